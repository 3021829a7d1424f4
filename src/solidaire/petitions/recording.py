"""Recording many signatures at once, set-based (decision 0053).

`signatures_process` hands each batch of waiting signatures here first. One pass does,
for the whole batch, what `person_upsert` and `_process` do for one signature: match
people of the petition's organization by e-mail, then phone (a few `IN` queries), create
the new people and their contact points with the bulk writers the import uses, record
consent, the ledger and the signatures' outcome, and queue the e-mails.

Only what needs no decision goes this way: a signer who is new to the organization's
list, or who matches someone already there and typed nothing the record does not already
hold (same name, language and postal code, an e-mail and phone that are theirs and
confirmed). Anything else — a different name to keep as a suggestion, a new e-mail to
hold until confirmed, a paper sheet typed by an organizer who may correct the record, a
signer sharing their contact with co-sponsors, a second signer matching someone created
in this same batch — is returned to be recorded one at a time by `person_upsert`, so
the rules of who may change a record (decision 0036) stay in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from solidaire.core.bulk import ids_in, ids_reserve, rows_insert, rows_update
from solidaire.core.models import Activity
from solidaire.core.signals import ledger_changed_send
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import (
    Channel,
    ConsentEvent,
    ConsentMethod,
    EmailAddress,
    Person,
    PhoneNumber,
)
from solidaire.people.normalize import normalize_postal_code

from .activities import PETITION_SIGNED
from .models import Petition, Signature

_PERSON_COLUMNS = ("id", "created_at", "updated_at", "chosen_name", "given_name", "family_name",
                   "preferred_language", "postal_code", "home_chapter_id", "sector", "workplace",
                   "source", "source_detail", "consent_email", "consent_sms", "consent_phone",
                   "added_by_import_id", "organization_id")
_SIGNATURE_OUTCOME = ("person_id", "email_address_id", "status", "processed_at", "email",
                      "phone")


@dataclass
class Recorded:
    """What the batch wrote for one signature, for the e-mails sent after."""

    signature: Signature
    address_id: int | None
    address: str


@dataclass
class _Match:
    person_id: int
    email_id: int | None = None
    new: bool = False


@dataclass
class _Known:
    """A person already in the list, as far as deciding "nothing to change" needs."""

    chosen_name: str
    preferred_language: str
    postal_code: str
    home_chapter_id: int | None
    consent_email: bool
    consent_sms: bool
    emails: dict[str, tuple[int, bool]] = field(default_factory=dict)  # address -> (id, pending)
    phones: dict[str, bool] = field(default_factory=dict)  # number -> pending


def fast_path_eligible(signature: Signature) -> bool:
    """Signatures whose recording involves no one's judgement: typed online by the
    signer, not shared with co-sponsors, with a contact point to match on."""
    return (signature.entered_by_id is None and not signature.share_with_cosponsors
            and signature.source == Signature.Source.ONLINE
            and bool(signature.email or signature.phone))


def signatures_record(signatures: list[Signature]) -> tuple[list[Recorded], list[Signature]]:
    """Record `signatures` (locked, pending, eligible) set-based, inside the caller's
    transaction. Returns what was recorded (for the e-mails) and the signatures left
    for the one-at-a-time path."""
    recorded: list[Recorded] = []
    left: list[Signature] = []
    by_organization: dict[int, list[Signature]] = {}
    for signature in signatures:
        by_organization.setdefault(signature.petition.organization_id, []).append(signature)
    for organization_id, group in by_organization.items():
        done, rest = _record_for(organization_id, group)
        recorded.extend(done)
        left.extend(rest)
    return recorded, left


def _record_for(organization_id: int, signatures: list[Signature]
                ) -> tuple[list[Recorded], list[Signature]]:
    now = timezone.now()
    by_email, by_phone = _lookup(organization_id, signatures)
    known = _known(set(by_email.values()) | set(by_phone.values()))
    taken = _already_signed(signatures, set(known))

    new_people: list[Signature] = []
    outcome: dict[int, tuple[Signature, _Match]] = {}
    new_by_contact: dict[str, int] = {}  # contact point -> index in new_people
    left: list[Signature] = []
    for signature in signatures:
        email, phone = signature.email, signature.phone
        try:
            # As person_create would: a value the record refuses is left to the path
            # that reports it.
            signature.postal_code = normalize_postal_code(signature.postal_code)
        except ValidationError:
            left.append(signature)
            continue
        person_id = by_email.get(email) if email else None
        if person_id is None and phone:
            person_id = by_phone.get(phone)
        if person_id is not None:
            if not _nothing_to_change(signature, known[person_id]):
                left.append(signature)
                continue
            email_id = known[person_id].emails[email][0] if email else None
            outcome[signature.pk] = (signature, _Match(person_id, email_id))
            continue
        if (email and email in new_by_contact) or (phone and phone in new_by_contact):
            # Matches someone created in this batch: person_upsert decides, after.
            left.append(signature)
            continue
        for point in (email, phone):
            if point:
                new_by_contact[point] = len(new_people)
        new_people.append(signature)

    created = _people_create(organization_id, new_people, now)
    for signature, match in zip(new_people, created, strict=True):
        outcome[signature.pk] = (signature, match)

    statuses: dict[int, str] = {}
    for signature, match in outcome.values():
        pair = (signature.petition_id, match.person_id)
        if pair in taken:
            # The same person signed already, under another e-mail or phone.
            statuses[signature.pk] = Signature.Status.DUPLICATE
            continue
        taken.add(pair)
        statuses[signature.pk] = (Signature.Status.UNCONFIRMED if _wants_confirmation(signature)
                                  else Signature.Status.COUNTED)

    _consent(outcome.values(), statuses, known, now)
    rows_update(Signature, _SIGNATURE_OUTCOME, [
        (signature.pk, match.person_id, match.email_id, statuses[signature.pk], now, "", "")
        for signature, match in outcome.values()
    ])
    home = {pid: person.home_chapter_id for pid, person in known.items()}
    counted = [(signature, match) for signature, match in outcome.values()
               if statuses[signature.pk] == Signature.Status.COUNTED]
    _ledger(counted, home)
    # The ledger's summaries (the engagement digests), once for the batch (decision 0054).
    ledger_changed_send({match.person_id for _signature, match in counted}
                        | {match.person_id for match in created}, rows_removed=False)
    recorded = []
    for signature, match in outcome.values():
        status = statuses[signature.pk]
        address = signature.email
        signature.person_id, signature.email_address_id = match.person_id, match.email_id
        signature.status, signature.processed_at = status, now
        signature.email = signature.phone = ""
        if status != Signature.Status.DUPLICATE and match.email_id is not None:
            recorded.append(Recorded(signature, match.email_id, address))
    return recorded, left


def _wants_confirmation(signature: Signature) -> bool:
    return signature.petition.double_opt_in and bool(signature.email)


def _lookup(organization_id: int, signatures: list[Signature]
            ) -> tuple[dict[str, int], dict[str, int]]:
    """Who in the organization's list has these e-mails and phones (e-mail first; a
    shared family phone belongs to its oldest person, as in `person_find`)."""
    emails = sorted({s.email for s in signatures if s.email})
    by_email = dict(EmailAddress.objects.filter(
        organization_id=organization_id, address__in=ids_in(emails),
    ).values_list("address", "person_id")) if emails else {}
    phones = sorted({s.phone for s in signatures
                     if s.phone and not (s.email and s.email in by_email)})
    by_phone: dict[str, int] = {}
    if phones:
        for number, person_id in (PhoneNumber.objects.filter(
                number__in=ids_in(phones), person__organization_id=organization_id)
                .order_by("-person_id").values_list("number", "person_id")):
            by_phone[number] = person_id
    return by_email, by_phone


def _known(person_ids: set[int]) -> dict[int, _Known]:
    if not person_ids:
        return {}
    ids = ids_in(sorted(person_ids))
    known = {
        values.pop("id"): _Known(**values)
        for values in Person.objects.filter(id__in=ids).values(
            "id", "chosen_name", "preferred_language", "postal_code", "home_chapter_id",
            "consent_email", "consent_sms")
    }
    for person_id, address_id, address, pending in EmailAddress.objects.filter(
            person_id__in=ids).values_list("person_id", "id", "address", "pending"):
        known[person_id].emails[address] = (address_id, pending)
    for person_id, number, pending in PhoneNumber.objects.filter(
            person_id__in=ids).values_list("person_id", "number", "pending"):
        known[person_id].phones[number] = pending
    return known


def _nothing_to_change(signature: Signature, person: _Known) -> bool:
    """True when the signature adds nothing the record lacks and asks for no decision:
    then recording it is only consent, ledger and e-mail."""
    if signature.email and person.emails.get(signature.email, (None, True))[1]:
        return False  # a new or unconfirmed address: held e-mail, confirmation link
    if signature.phone and person.phones.get(signature.phone, True):
        return False  # a new or unconfirmed phone: added as pending
    if signature.name.strip() != person.chosen_name:
        return False  # a suggestion for organizers
    if signature.language != person.preferred_language:
        return False
    return not (signature.postal_code and signature.postal_code != person.postal_code)


def _already_signed(signatures: list[Signature], person_ids: set[int]) -> set[tuple[int, int]]:
    """(petition, person) pairs already counted or waiting for confirmation."""
    if not person_ids:
        return set()
    petitions = {s.petition_id for s in signatures}
    return set(Signature.objects.filter(
        petition_id__in=petitions, person_id__in=ids_in(sorted(person_ids)),
        status__in=[Signature.Status.COUNTED, Signature.Status.UNCONFIRMED],
    ).values_list("petition_id", "person_id"))


def _people_create(organization_id: int, signatures: list[Signature], now) -> list[_Match]:
    """New people, their e-mail and phone (their own: not pending), and the ledger row
    saying they were added, as `person_create` writes them."""
    if not signatures:
        return []
    ids = ids_reserve(Person, len(signatures))
    email_ids = {}
    people, phones, emails = [], [], []
    stamp = now.isoformat() if connection.vendor == "postgresql" else now
    for person_id, signature in zip(ids, signatures, strict=True):
        petition = signature.petition
        detail = petition.slug
        given_on = f"petition: {detail}"[:200]
        # Consent is on the person from the start; its events are written with the
        # others in `_consent`.
        people.append((
            person_id, stamp, stamp, signature.name.strip()[:150], "", "", signature.language,
            signature.postal_code, None, "", "", "petition", detail[:200],
            signature.consent_email and bool(signature.email),
            signature.consent_sms and bool(signature.phone), False, None, organization_id,
        ))
        if signature.email:
            emails.append((person_id, signature.email, True, stamp, organization_id, given_on))
        if signature.phone:
            phones.append((person_id, signature.phone, str(PhoneNumber.Kind.MOBILE.value), True,
                           stamp, given_on))
    rows_insert(Person, _PERSON_COLUMNS, people)
    rows_insert(EmailAddress, ("person_id", "address", "is_primary", "added_at",
                               "organization_id", "source"), emails)
    rows_insert(PhoneNumber, ("person_id", "number", "kind", "is_primary", "added_at", "source"),
                phones)
    if emails:
        email_ids = dict(EmailAddress.objects.filter(person_id__in=ids_in(ids))
                         .values_list("person_id", "id"))
    person_type = ContentType.objects.get_for_model(Person).id
    rows_insert(Activity, ("person_id", "kind", "object_type_id", "object_id", "campaign_id",
                           "chapter_id", "occurred_at"),
                [(person_id, str(PERSON_CREATED.value), person_type, person_id,
                  None, None, stamp) for person_id in ids])
    return [_Match(person_id, email_ids.get(person_id), new=True) for person_id in ids]


def _consent(outcomes, statuses: dict[int, str], known: dict[int, _Known], now) -> None:
    """Consent ticked for a contact point that is the person's own (every one on this
    path is): one event per channel, and the person's current state."""
    events, grant_email, grant_sms = [], set(), set()
    for signature, match in outcomes:
        # As one at a time: consent is recorded even when the signature turns out to
        # repeat one the person already gave.
        source = f"petition:{signature.petition.slug}"
        for ticked, channel, point, grants in (
                (signature.consent_email, Channel.EMAIL, signature.email, grant_email),
                (signature.consent_sms, Channel.SMS, signature.phone, grant_sms)):
            if ticked and point:
                events.append((match.person_id, str(channel.value), True,
                               str(ConsentMethod.WEB_FORM.value), source, None, now))
                if not match.new:
                    grants.add(match.person_id)
    rows_insert(ConsentEvent, ("person_id", "channel", "granted", "method", "source",
                               "recorded_by_id", "at"), events)
    for column, ids in (("consent_email", grant_email), ("consent_sms", grant_sms)):
        ids = {pid for pid in ids if not getattr(known[pid], column)}
        if ids:
            Person.objects.filter(id__in=ids_in(sorted(ids))).update(
                **{column: True, "updated_at": now})


def _ledger(counted: list[tuple[Signature, _Match]], home: dict[int, int | None]) -> None:
    if not counted:
        return
    petition_type = ContentType.objects.get_for_model(Petition).id
    kind = str(PETITION_SIGNED.value)
    rows_insert(Activity, ("person_id", "kind", "object_type_id", "object_id", "campaign_id",
                           "chapter_id", "occurred_at"),
                [(match.person_id, kind, petition_type, signature.petition_id,
                  signature.petition.campaign_id, home.get(match.person_id), signature.created_at)
                 for signature, match in counted])

