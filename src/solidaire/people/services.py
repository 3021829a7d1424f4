"""Writes about people. Every function runs in a transaction and keeps the ledger."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from solidaire.core.access import require, require_unless_system
from solidaire.core.changes import changed_fields_apply
from solidaire.core.crypto import ERASED, Erased
from solidaire.core.outbox import email_enqueue, outbox_release
from solidaire.core.ownership import same_organization_check
from solidaire.core.services import activities_move, activity_record, audit_log
from solidaire.core.site import absolute

from .activities import PERSON_CREATED
from .models import (
    STATUS_COLUMNS,
    Channel,
    ConsentEvent,
    EmailAddress,
    Person,
    PersonStatus,
    PhoneNumber,
    SpokenLanguage,
    StatusCategory,
    StatusFlag,
    Suggestion,
    Tag,
)
from .normalize import normalize_email, normalize_phone, normalize_postal_code
from .selectors import person_may_edit, person_may_place, status_access

# The Person field that holds the current consent of each channel.
CONSENT_FIELD = {
    Channel.EMAIL: "consent_email",
    Channel.SMS: "consent_sms",
    Channel.PHONE: "consent_phone",
}
# Fields person_upsert may fill or update; an empty incoming value never overwrites.
PROFILE_FIELDS = (
    "chosen_name", "given_name", "family_name", "preferred_language", "postal_code",
    "home_chapter", "sector", "workplace",
)


@dataclass
class UpsertResult:
    person: Person
    created: bool
    changed: list[str] = field(default_factory=list)
    # Fields the input could not write over the record: kept as suggestions (0036).
    suggested: list[str] = field(default_factory=list)
    # The rows of the e-mail and phone typed, as the person's record now holds them.
    email_address: EmailAddress | None = None
    phone_number: PhoneNumber | None = None

    @property
    def email_pending(self) -> bool:
        """The e-mail typed waits for the person's confirmation: nothing goes to it yet."""
        return self.email_address is not None and self.email_address.pending


def person_find(*, organization, email: str = "", phone: str = "") -> Person | None:
    """The person of `organization`'s list a normalized e-mail or phone belongs to
    (e-mail wins). Never looks into another organization's list (decision 0035)."""
    people = Person.objects.filter(organization=organization)
    if email:
        match = people.filter(emails__address=email).first()
        if match:
            return match
    if phone:
        # A shared family phone could belong to several people: take the oldest.
        return people.filter(phones__number=phone).order_by("id").first()
    return None


def organization_of(*, home_chapter=None, organization=None):
    """The organization a new person belongs to: the one given, else their chapter's."""
    if organization is not None:
        same_organization_check(organization, home_chapter=home_chapter)
        return organization
    if home_chapter is None:
        raise ValueError("a person belongs to an organization")
    return home_chapter.organization


@transaction.atomic
def person_create(
    *,
    chosen_name: str,
    organization=None,
    email: str = "",
    phone: str = "",
    source: str = "manual",
    source_detail: str = "",
    other_languages: Iterable[str] = (),
    tags: Iterable[str] = (),
    actor=None,
    **profile,
) -> Person:
    """Record a new person in an organization's list (their home chapter's when no
    organization is given). Only a chosen name is required."""
    organization = organization_of(home_chapter=profile.get("home_chapter"),
                                   organization=organization)
    email = normalize_email(email) if email else ""
    phone = normalize_phone(phone) if phone else ""
    given_on = f"{source}: {source_detail}" if source_detail else source
    if "postal_code" in profile:
        profile["postal_code"] = normalize_postal_code(profile["postal_code"])
    person = Person.objects.create(
        chosen_name=chosen_name.strip(), organization=organization, source=source,
        source_detail=source_detail, **profile,
    )
    if email:
        EmailAddress.objects.create(person=person, organization=organization, address=email,
                                    is_primary=True, source=given_on[:200])
    if phone:
        PhoneNumber.objects.create(person=person, number=phone, is_primary=True,
                                   source=given_on[:200])
    _languages_add(person, other_languages)
    person_tag(person=person, names=tags)
    activity_record(person=person, kind=PERSON_CREATED, obj=person,
                    occurred_at=person.created_at)
    if actor is not None:
        audit_log(action="solidaire.person.created", actor=actor, obj=person)
    return person


def person_upsert(
    *,
    organization,
    chosen_name: str,
    email: str = "",
    phone: str = "",
    source: str = "manual",
    source_detail: str = "",
    other_languages: Iterable[str] = (),
    tags: Iterable[str] = (),
    actor=None,
    **profile,
) -> UpsertResult:
    """Match a person of `organization`'s list by normalized e-mail or phone, else
    create one there.

    Input from an organizer who can see the matched person updates the record as
    typed (an empty value never erases). Input from anyone else — the public, a
    volunteer, an organizer of another chapter — only adds: blanks are filled, a
    different value is kept as a suggestion, a new e-mail or phone is added as pending
    (decision 0036).
    """
    email = normalize_email(email) if email else ""
    phone = normalize_phone(phone) if phone else ""
    if not (email or phone):
        person = person_create(
            chosen_name=chosen_name, organization=organization, source=source,
            source_detail=source_detail, other_languages=other_languages, tags=tags,
            actor=actor, **profile,
        )
        return UpsertResult(person=person, created=True)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = person_find(organization=organization, email=email, phone=phone)
                if existing is None:
                    person = person_create(
                        chosen_name=chosen_name, organization=organization, email=email,
                        phone=phone, source=source, source_detail=source_detail,
                        other_languages=other_languages, tags=tags, actor=actor, **profile,
                    )
                    return _typed(UpsertResult(person=person, created=True), email, phone)
                # Where a contact point or a suggestion came from, for organizers.
                given_on = f"{source}: {source_detail}" if source_detail else source
                # Only an organizer who may edit the person replaces what is recorded;
                # the public, volunteers at the door and organizers of other chapters
                # add to the record (decision 0036).
                if person_may_edit(actor, existing):
                    changed = _person_fill(
                        existing, chosen_name=chosen_name, email=email, phone=phone,
                        other_languages=other_languages, tags=tags, source=given_on,
                        **profile,
                    )
                    result = UpsertResult(person=existing, created=False, changed=changed)
                else:
                    result = _person_add_only(
                        existing, chosen_name=chosen_name, email=email, phone=phone,
                        other_languages=other_languages, tags=tags, source=given_on,
                        **profile,
                    )
                return _typed(result, email, phone)
        except IntegrityError:
            # Another request added the same e-mail between our look-up and insert:
            # the second pass finds that person.
            continue
    raise IntegrityError("person_upsert could not settle on one person")


def _typed(result: UpsertResult, email: str, phone: str) -> UpsertResult:
    if email:
        result.email_address = result.person.emails.filter(address=email).first()
    if phone:
        result.phone_number = result.person.phones.filter(number=phone).first()
    return result


def _incoming(chosen_name, profile) -> dict:
    incoming = {"chosen_name": (chosen_name or "").strip(), **profile}
    if incoming.get("postal_code"):
        incoming["postal_code"] = normalize_postal_code(incoming["postal_code"])
    return {name: value for name, value in incoming.items()
            if name in PROFILE_FIELDS and value not in ("", None)}


def _person_fill(person: Person, *, chosen_name, email, phone, other_languages, tags,
                 source="", **profile) -> list[str]:
    """An organizer's input for someone they see: changed values are written."""
    changed = changed_fields_apply(person, _incoming(chosen_name, profile))
    if email and not person.emails.filter(address=email).exists():
        EmailAddress.objects.create(
            person=person, organization_id=person.organization_id, address=email,
            is_primary=not person.emails.filter(is_primary=True).exists(),
            source=source[:200],
        )
        changed.append("email")
    elif email:
        # An organizer typing an address that waited for confirmation vouches for it.
        person.emails.filter(address=email, pending=True).update(pending=False)
    if phone and not person.phones.filter(number=phone).exists():
        PhoneNumber.objects.create(
            person=person, number=phone,
            is_primary=not person.phones.filter(is_primary=True).exists(),
            source=source[:200],
        )
        changed.append("phone")
    elif phone:
        person.phones.filter(number=phone, pending=True).update(pending=False)
    _languages_add(person, other_languages)
    person_tag(person=person, names=tags)
    return changed


def _person_add_only(person: Person, *, chosen_name, email, phone, other_languages, tags,
                     source="", **profile) -> UpsertResult:
    """Input that may not replace anything: blanks are filled, other values become
    suggestions, new contact points wait for confirmation (decision 0036)."""
    filled, suggested = [], []
    for name, value in _incoming(chosen_name, profile).items():
        current = getattr(person, name)
        if current == value:
            continue
        if current in ("", None):
            setattr(person, name, value)
            filled.append(name)
        elif name in Suggestion.Field.values:
            suggestion, created = Suggestion.objects.get_or_create(
                person=person, field=name, value=str(value)[:150],
                defaults={"source": source[:200]},
            )
            if not created:
                suggestion.submitted_at = timezone.now()
                suggestion.source = source[:200]
                suggestion.save(update_fields=["submitted_at", "source"])
            suggested.append(name)
    if filled:
        person.save(update_fields=[*filled, "updated_at"])
    result = UpsertResult(person=person, created=False, changed=filled, suggested=suggested)
    if email and not person.emails.filter(address=email).exists():
        EmailAddress.objects.create(
            person=person, organization_id=person.organization_id, address=email,
            is_primary=False, pending=True, source=source[:200],
        )
        result.changed.append("email")
    if phone and not person.phones.filter(number=phone).exists():
        PhoneNumber.objects.create(person=person, number=phone, is_primary=False,
                                   pending=True, source=source[:200])
        result.changed.append("phone")
    _languages_add(person, other_languages)
    person_tag(person=person, names=tags)
    return result


@transaction.atomic
def person_update(*, person: Person, actor=None, other_languages: Iterable[str] | None = None,
                  tags: Iterable[str] | None = None, **fields) -> Person:
    """Change profile fields of a person (an organizer's edit).

    An account must see the person, and may move them only to a home chapter where it
    would still see them; `actor=None` is the application itself (decision 0056)."""
    # A person stays on their organization's list (decision 0035).
    same_organization_check(person.organization_id, home_chapter=fields.get("home_chapter"))
    require_unless_system(actor, lambda: person_may_edit(actor, person),
                          "this account may not change this person")
    if "home_chapter" in fields and (getattr(fields["home_chapter"], "pk", None)
                                     != person.home_chapter_id):
        require_unless_system(
            actor, lambda: person_may_place(actor, organization=person.organization_id,
                                            home_chapter=fields["home_chapter"]),
            "this account may not put this person in that chapter")
    if "postal_code" in fields:
        fields["postal_code"] = normalize_postal_code(fields["postal_code"])
    changed = changed_fields_apply(person, fields)
    if other_languages is not None:
        wanted = set(other_languages) - {person.preferred_language}
        person.other_languages.exclude(code__in=wanted).delete()
        _languages_add(person, wanted)
    if tags is not None:
        wanted_tags = {t.strip() for t in tags if t.strip()}
        person.tags.remove(*person.tags.exclude(name__in=wanted_tags))
        person_tag(person=person, names=wanted_tags)
    audit_log(action="solidaire.person.changed", actor=actor, obj=person,
              data={"fields": sorted(changed)})
    return person


@transaction.atomic
def person_email_add(*, person: Person, email: str, make_primary: bool = False) -> EmailAddress:
    """An organizer who sees the person adds an address, or chooses one that waited for
    confirmation: either way it is theirs now (not pending)."""
    address = normalize_email(email)
    obj, _created = EmailAddress.objects.get_or_create(
        organization_id=person.organization_id, address=address,
        defaults={"person": person},
    )
    if obj.person_id != person.pk:
        raise IntegrityError("e-mail belongs to another person")
    fields = []
    if obj.pending:
        obj.pending = False
        fields.append("pending")
    if make_primary or not person.emails.filter(is_primary=True).exists():
        person.emails.exclude(pk=obj.pk).update(is_primary=False)
        obj.is_primary = True
        fields.append("is_primary")
    if fields:
        obj.save(update_fields=fields)
    return obj


@transaction.atomic
def person_phone_add(*, person: Person, phone: str, make_primary: bool = False,
                     kind: str = PhoneNumber.Kind.MOBILE) -> PhoneNumber:
    """An organizer who sees the person adds a number, or chooses one that waited."""
    number = normalize_phone(phone)
    obj, _created = PhoneNumber.objects.get_or_create(
        person=person, number=number, defaults={"kind": kind},
    )
    fields = []
    if obj.pending:
        obj.pending = False
        fields.append("pending")
    if make_primary or not person.phones.filter(is_primary=True).exists():
        person.phones.exclude(pk=obj.pk).update(is_primary=False)
        obj.is_primary = True
        fields.append("is_primary")
    if fields:
        obj.save(update_fields=fields)
    return obj


@transaction.atomic
def email_address_confirm(*, address: EmailAddress) -> bool:
    """The person clicked the link sent to a pending address: it is theirs, and e-mails
    held for it go out. It does not become primary by itself: a link proves who reads
    the address, not whose record it belongs on (decision 0036). False when it was
    confirmed already."""
    locked = EmailAddress.objects.select_for_update().filter(pk=address.pk).first()
    if locked is None or locked.confirmed_at is not None:
        return False
    locked.pending = False
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["pending", "confirmed_at"])
    outbox_release(hold=email_hold_key(locked))
    address.pending, address.confirmed_at = locked.pending, locked.confirmed_at
    return True


def email_hold_key(address: EmailAddress) -> str:
    """The outbox key of e-mails held until this address is confirmed."""
    return f"email-address:{address.pk}"


_CONFIRM_ADDRESS_SALT = "solidaire.people.confirm-address"
CONFIRM_ADDRESS_MAX_AGE = 30 * 24 * 3600
# One link to confirm an address a day at most, however many forms give it.
CONFIRM_ADDRESS_EVERY = datetime.timedelta(days=1)


def email_confirm_token(address: EmailAddress) -> str:
    return signing.TimestampSigner(salt=_CONFIRM_ADDRESS_SALT).sign(
        f"{address.pk}.{address.address}")


def email_address_from_token(token: str) -> EmailAddress | None:
    """The address a confirmation link was sent to; None if forged, too old, or the
    address is no longer recorded."""
    try:
        value = signing.TimestampSigner(salt=_CONFIRM_ADDRESS_SALT).unsign(
            token, max_age=CONFIRM_ADDRESS_MAX_AGE)
        pk_text, _dot, address = value.partition(".")
        pk = int(pk_text)
    except (signing.BadSignature, ValueError):
        return None
    return (EmailAddress.objects.select_related("person", "organization")
            .filter(pk=pk, address=address).first())


def person_email_enqueue(*, address: EmailAddress, language: str, **email) -> None:
    """Queue an e-mail to one of a person's addresses (in the caller's transaction).

    Sent at once when the address is the person's; when it waits for confirmation
    the e-mail is held, and the address is asked to confirm first: nothing about the
    person reaches an address someone else may have typed (decision 0036).
    """
    if not address.pending:
        email_enqueue(to=address.address, language=language, **email)
        return
    email_enqueue(to=address.address, language=language, hold=email_hold_key(address),
                  **email)
    email_confirmation_request(address=address, language=language)


def email_confirmation_request(*, address: EmailAddress, language: str) -> bool:
    """Send the link that confirms a pending address (at most once a day)."""
    now = timezone.now()
    sent = (EmailAddress.objects.filter(pk=address.pk, pending=True)
            .exclude(confirmation_sent_at__gt=now - CONFIRM_ADDRESS_EVERY)
            .update(confirmation_sent_at=now))
    if not sent:
        return False
    with translation.override(language):
        url = absolute(reverse("public:email_confirm", args=[email_confirm_token(address)]))
    email_enqueue(
        to=address.address, language=language, kind="people.confirm_address",
        subject_template="people/email/confirm_address_subject.txt",
        body_template="people/email/confirm_address.txt",
        context={"organization": address.organization.name, "confirm_url": url,
                 "days": CONFIRM_ADDRESS_MAX_AGE // 86400},
    )
    return True


@transaction.atomic
def contact_point_decide(*, person: Person, kind: str, point_id: int, accept: bool,
                         actor) -> bool:
    """An organizer who sees the person decides about an e-mail or phone that waits for
    confirmation: it is theirs (kept, usable, not made primary), or it is not (removed).
    False when there was no such pending contact point."""
    require(person_may_edit(actor, person), "this account may not change this person")
    model_of: dict[str, type[EmailAddress] | type[PhoneNumber]] = {
        "email": EmailAddress, "phone": PhoneNumber}
    point = model_of[kind].objects.filter(person=person, pk=point_id, pending=True).first()
    if point is None:
        return False
    if accept:
        point.pending = False
        point.save(update_fields=["pending"])
        if isinstance(point, EmailAddress):
            outbox_release(hold=email_hold_key(point))
    else:
        point.delete()
    audit_log(action=f"solidaire.person.{kind}.{'accepted' if accept else 'removed'}",
              actor=actor, obj=person)
    return True


@transaction.atomic
def suggestion_apply(*, suggestion: Suggestion, actor) -> Person:
    """An organizer who sees the person uses a value typed on a form."""
    person = suggestion.person
    require(person_may_edit(actor, person), "this account may not change this person")
    value = suggestion.value
    if (suggestion.field == Suggestion.Field.PREFERRED_LANGUAGE
            and value not in dict(settings.CONTENT_LANGUAGES)):
        suggestion.delete()
        return person
    person_update(person=person, actor=actor, **{suggestion.field: value})
    Suggestion.objects.filter(person=person, field=suggestion.field).delete()
    return person


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, actor) -> None:
    """An organizer who sees the person keeps the record as it is."""
    require(person_may_edit(actor, suggestion.person), "this account may not change this person")
    audit_log(action="solidaire.person.suggestion.dismissed", actor=actor,
              obj=suggestion.person, data={"field": suggestion.field})
    suggestion.delete()


def person_tag(*, person: Person, names: Iterable[str]) -> None:
    names = sorted({n.strip() for n in names if n and n.strip()})
    if not names:
        return
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in existing:
            existing[name], _ = Tag.objects.get_or_create(name=name)
    person.tags.add(*existing.values())


def _languages_add(person: Person, codes: Iterable[str]) -> None:
    codes = {c for c in codes if c and c != person.preferred_language}
    have = set(person.other_languages.values_list("code", flat=True))
    SpokenLanguage.objects.bulk_create(
        [SpokenLanguage(person=person, code=c) for c in sorted(codes - have)],
    )


@transaction.atomic
def consent_record(*, person: Person, channel: str, granted: bool, method: str,
                   source: str = "", actor=None) -> ConsentEvent:
    """Record consent given or withdrawn on one channel, and keep the current state."""
    event = ConsentEvent.objects.create(
        person=person, channel=channel, granted=granted, method=method, source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    field_name = CONSENT_FIELD[Channel(channel)]
    if getattr(person, field_name) != granted:
        setattr(person, field_name, granted)
        person.save(update_fields=[field_name, "updated_at"])
    return event


def consent_from_form(*, result: UpsertResult, email: bool = False, sms: bool = False,
                      method: str, source: str, actor=None) -> None:
    """Consent ticked on a form, recorded for each channel whose contact point typed on
    the form is the person's own; an address waiting for confirmation grants nothing
    (decision 0036)."""
    for ticked, channel, point in ((email, Channel.EMAIL, result.email_address),
                                   (sms, Channel.SMS, result.phone_number)):
        if ticked and point is not None and not point.pending:
            consent_record(person=result.person, channel=channel, granted=True,
                           method=method, source=source, actor=actor)


@transaction.atomic
def person_merge(*, keep: Person, remove: Person, actor=None) -> Person:
    """Fold `remove` into `keep`, keeping every contact point, consent, tag,
    language, committee membership and activity; `remove` is deleted.

    Blank profile fields of `keep` are filled from `remove`. Rows of later apps
    that point at a person move with the `person_merging` signal. An account must be
    allowed to edit both records; `actor=None` is the application itself (decision 0056).
    """
    from .signals import person_merging

    if keep.pk == remove.pk:
        raise ValueError("cannot merge a person with itself")
    # Each organization's list is its own (decision 0035).
    same_organization_check(keep.organization_id, person_to_merge=remove)
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    remove = Person.objects.select_for_update().get(pk=remove.pk)
    require_unless_system(
        actor, lambda: person_may_edit(actor, keep) and person_may_edit(actor, remove),
        "this account may not merge these records")

    filled = []
    for name in PROFILE_FIELDS:
        if getattr(keep, name) in ("", None) and getattr(remove, name) not in ("", None):
            setattr(keep, name, getattr(remove, name))
            filled.append(name)
    if remove.created_at < keep.created_at:
        keep.created_at = remove.created_at
        filled.append("created_at")

    if keep.emails.filter(is_primary=True).exists():
        remove.emails.update(person=keep, is_primary=False)
    else:
        remove.emails.update(person=keep)
    keep_numbers = set(keep.phones.values_list("number", flat=True))
    remove.phones.filter(number__in=keep_numbers).delete()
    has_primary_phone = keep.phones.filter(is_primary=True).exists()
    if has_primary_phone:
        remove.phones.update(person=keep, is_primary=False)
    else:
        remove.phones.update(person=keep)

    _languages_add(keep, [*remove.other_languages.values_list("code", flat=True),
                          remove.preferred_language])
    keep.tags.add(*remove.tags.all())

    kept = set(keep.suggestions.values_list("field", "value"))
    for suggestion in remove.suggestions.all():
        if (suggestion.field, suggestion.value) in kept:
            suggestion.delete()
        else:
            suggestion.person = keep
            suggestion.save(update_fields=["person"])

    # Consent: the whole history moves; the current state follows the latest event.
    remove.consent_events.update(person=keep)
    for channel, field_name in CONSENT_FIELD.items():
        latest = keep.consent_events.filter(channel=channel).order_by("-at", "-id").first()
        value = latest.granted if latest else False
        if getattr(keep, field_name) != value:
            setattr(keep, field_name, value)
            filled.append(field_name)

    activities_move(from_person_id=remove.pk, to_person_id=keep.pk)
    _status_move(from_person=remove, to_person=keep)
    person_merging.send(sender=Person, keep=keep, remove=remove)

    if filled:
        keep.save(update_fields=[*filled, "updated_at"])
    removed_id = remove.pk
    remove.delete()
    audit_log(action="solidaire.person.merged", actor=actor, obj=keep,
              data={"removed_id": removed_id, "filled": sorted(filled)})
    return keep


# Immigration status (decision 0011). Only accounts with status access read or set
# it; values exist in plaintext only in memory, never in logs or audit entries.


@dataclass(frozen=True)
class StatusView:
    """A person's status, opened. Values are ERASED after the status key was shredded."""

    category: str | Erased
    expiry_month: datetime.date | Erased | None
    flags: tuple[str, ...] | Erased
    note: str | Erased
    updated_at: datetime.datetime
    updated_by_id: int | None

    @property
    def erased(self) -> bool:
        return self.category is ERASED

    @property
    def category_label(self) -> str:
        if self.category is ERASED:
            return str(ERASED)
        return str(StatusCategory(self.category).label) if self.category else ""

    @property
    def flag_labels(self) -> list[str]:
        return [] if self.flags is ERASED else [str(StatusFlag(flag).label) for flag in self.flags]


def _status_access_check(actor, person: Person) -> None:
    """Status access, and the person in the account's scope (decision 0056). The second
    factor a web request needs on top (`status_unlocked`) is the face's to ask."""
    if not status_access(actor):
        raise PermissionDenied("This account may not see or change immigration status.")
    require(person_may_edit(actor, person), "this account may not see this person")


def _month_text(month: datetime.date | None) -> str:
    return f"{month.year:04d}-{month.month:02d}" if month else ""


def _month_parse(text: str) -> datetime.date | None:
    if not text:
        return None
    year, month = text.split("-")
    return datetime.date(int(year), int(month), 1)


def status_seal_values(*, person_id: int, category: str, expiry_month: datetime.date | None,
                       flags: Iterable[str], note: str, keyring=None) -> dict[str, str]:
    """The sealed columns of a status row (also used by the bulk demo load)."""
    values = {
        "sealed_category": category or "",
        "sealed_expiry_month": _month_text(expiry_month),
        "sealed_flags": json.dumps(sorted(set(flags))),
        "sealed_note": note or "",
    }
    return {name: STATUS_COLUMNS.seal(name, value, person_id, keyring=keyring)
            for name, value in values.items()}


def _status_validate(category: str, flags: Iterable[str]) -> None:
    if category and category not in StatusCategory.values:
        raise ValueError("unknown status category")
    if set(flags) - set(StatusFlag.values):
        raise ValueError("unknown status flag")


@transaction.atomic
def status_set(*, person: Person, actor, category: str,
               expiry_month: datetime.date | None = None, flags: Iterable[str] = (),
               note: str = "") -> PersonStatus:
    """Record or replace a person's status; the expiry keeps only its year and month."""
    _status_access_check(actor, person)
    flags = list(flags)
    _status_validate(category, flags)
    if expiry_month is not None:
        expiry_month = expiry_month.replace(day=1)
    sealed = status_seal_values(person_id=person.pk, category=category,
                                expiry_month=expiry_month, flags=flags, note=(note or "").strip())
    status, _created = PersonStatus.objects.update_or_create(
        person=person, defaults={**sealed, "updated_at": timezone.now(), "updated_by": actor},
    )
    audit_log(action="solidaire.person.status.changed", actor=actor, obj=person)
    return status


def status_open(status: PersonStatus) -> StatusView:
    """Decrypt a status row (no access check: callers are services that did it)."""
    values = {name: STATUS_COLUMNS.unseal(name, getattr(status, name), status.pk)
              for name in STATUS_COLUMNS.fields}
    opened = {name: value for name, value in values.items() if value is not ERASED}
    if len(opened) < len(values):
        return StatusView(category=ERASED, expiry_month=ERASED, flags=ERASED, note=ERASED,
                          updated_at=status.updated_at, updated_by_id=status.updated_by_id)
    return StatusView(
        category=opened["sealed_category"],
        expiry_month=_month_parse(opened["sealed_expiry_month"]),
        flags=tuple(json.loads(opened["sealed_flags"])),
        note=opened["sealed_note"],
        updated_at=status.updated_at, updated_by_id=status.updated_by_id,
    )


@transaction.atomic
def status_read(*, person: Person, actor) -> StatusView | None:
    """Open a person's status for a status-access account; the view is audited."""
    _status_access_check(actor, person)
    status = PersonStatus.objects.filter(person=person).first()
    if status is None:
        return None
    view = status_open(status)
    audit_log(action="solidaire.person.status.viewed", actor=actor, obj=person)
    return view


@transaction.atomic
def status_clear(*, person: Person, actor) -> bool:
    """Delete a person's status row. True when there was one."""
    _status_access_check(actor, person)
    deleted, _rows = PersonStatus.objects.filter(person=person).delete()
    if deleted:
        audit_log(action="solidaire.person.status.cleared", actor=actor, obj=person)
    return bool(deleted)


def _status_move(*, from_person: Person, to_person: Person) -> None:
    """On a merge, a status follows the kept person unless that one has its own.

    Values are bound to their row, so they are opened and sealed again for the new row.
    """
    status = PersonStatus.objects.filter(person=from_person).first()
    if status is None or PersonStatus.objects.filter(person=to_person).exists():
        return
    view = status_open(status)
    if (view.category is ERASED or view.expiry_month is ERASED or view.flags is ERASED
            or view.note is ERASED):
        return  # erased together: the key was shredded
    sealed = status_seal_values(person_id=to_person.pk, category=view.category,
                                expiry_month=view.expiry_month, flags=view.flags,
                                note=view.note)
    PersonStatus.objects.create(person=to_person, updated_at=status.updated_at,
                                updated_by_id=status.updated_by_id, **sealed)
