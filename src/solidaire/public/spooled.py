"""Recording what the public forms put in the spool while the database was down
(decision 0051). Registered in settings.SOLIDAIRE_SPOOL_HANDLERS; `core.spool` calls
them when it drains.

Each calls the service the form would have called, with the form's own key, so an
entry recorded twice (a drain cut short, two drainers) is answered "replay" the second
time. What they raise as SpoolEntryRejected is logged: it names no one.
"""

from __future__ import annotations

from solidaire.campaigns.models import Publication
from solidaire.core.spool import SpoolEntryRejected
from solidaire.events import services as event_services
from solidaire.events.models import Event
from solidaire.petitions.models import Petition
from solidaire.petitions.services import signature_submit


def signature_record(data: dict) -> str:
    """A signature sent during an outage, as `petition_page` would have stored it.

    Recorded even if the petition closed meanwhile: it was open when the person signed.
    """
    petition = (Petition.objects.exclude(status=Publication.DRAFT)
                .filter(pk=data.get("petition")).first())
    if petition is None:
        raise SpoolEntryRejected(f"petition {data.get('petition')} is no longer public")
    result = signature_submit(
        petition=petition, key=data["key"], name=data["name"], email=data["email"],
        phone=data["phone"], postal_code=data["postal_code"], city=data["city"],
        language=data["language"], comment=data["comment"],
        consent_email=bool(data["consent_email"]), consent_sms=bool(data["consent_sms"]),
        share_with_cosponsors=bool(data.get("share_with_cosponsors")),
    )
    return result.outcome


def registration_record(data: dict) -> str:
    """A registration sent during an outage, as `event_page` would have made it.

    If the event filled up or closed meanwhile, nothing is stored ("full", "closed"),
    as when the form is sent too late; the person was told that no e-mail means that.
    """
    event = Event.objects.filter(pk=data.get("event")).first()
    if event is None:
        raise SpoolEntryRejected(f"event {data.get('event')} no longer exists")
    result = event_services.registration_create(
        event=event, chosen_name=data["chosen_name"], email=data["email"],
        phone=data["phone"], language=data["language"], postal_code=data["postal_code"],
        consent_email=bool(data["consent_email"]), consent_sms=bool(data["consent_sms"]),
        token=data["key"], share_with_cosponsors=bool(data.get("share_with_cosponsors")),
    )
    return result.outcome
