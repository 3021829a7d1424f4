"""What the organizer forms write, each as one transaction over the people services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from solidaire.organizing.selectors import organization_for_new_people
from solidaire.people.models import Person
from solidaire.people.services import (
    CONSENT_FIELD,
    consent_record,
    person_create,
    person_email_add,
    person_phone_add,
    person_update,
)

CONSENT_SOURCE = "organizer form"


def consent_changes(person: Person | None, consent: Mapping[str, bool]) -> dict[str, bool]:
    """The channels whose consent differs from what is recorded (a new person has none)."""
    changes: dict[str, bool] = {}
    for channel, field_name in CONSENT_FIELD.items():
        wanted = bool(consent.get(channel, False))
        current = getattr(person, field_name) if person is not None else False
        if wanted != current:
            changes[channel] = wanted
    return changes


@transaction.atomic
def person_add(
    *,
    actor,
    chosen_name: str,
    email: str = "",
    phone: str = "",
    other_languages: Iterable[str] = (),
    tags: Iterable[str] = (),
    consent: Mapping[str, bool] | None = None,
    consent_method: str = "",
    **profile,
) -> Person:
    """An organizer adds a person by hand, with the consent they gave, to the list of
    their home chapter's organization (or of the organizer's, without a chapter)."""
    home_chapter = profile.get("home_chapter")
    organization = (home_chapter.organization if home_chapter is not None
                    else organization_for_new_people(actor))
    person = person_create(
        chosen_name=chosen_name, organization=organization, email=email, phone=phone,
        source="manual", other_languages=other_languages, tags=tags, actor=actor, **profile,
    )
    for channel, granted in consent_changes(None, consent or {}).items():
        consent_record(person=person, channel=channel, granted=granted, method=consent_method,
                       source=CONSENT_SOURCE, actor=actor)
    return person


@transaction.atomic
def person_edit(
    *,
    person: Person,
    actor,
    other_languages: Iterable[str],
    tags: Iterable[str],
    new_email: str = "",
    new_email_primary: bool = False,
    primary_email: str = "",
    new_phone: str = "",
    new_phone_primary: bool = False,
    primary_phone: str = "",
    consent: Mapping[str, bool] | None = None,
    consent_method: str = "",
    **fields,
) -> Person:
    """An organizer edits a person: profile, extra contact points, consent changes.

    Existing e-mails and phones are kept; consent is recorded only where it changed.
    """
    changes = consent_changes(person, consent or {})
    person_update(person=person, actor=actor, other_languages=other_languages, tags=tags,
                  **fields)
    if primary_email:
        person_email_add(person=person, email=primary_email, make_primary=True)
    if new_email:
        person_email_add(person=person, email=new_email, make_primary=new_email_primary)
    if primary_phone:
        person_phone_add(person=person, phone=primary_phone, make_primary=True)
    if new_phone:
        person_phone_add(person=person, phone=new_phone, make_primary=new_phone_primary)
    for channel, granted in changes.items():
        consent_record(person=person, channel=channel, granted=granted, method=consent_method,
                       source=CONSENT_SOURCE, actor=actor)
    return person
