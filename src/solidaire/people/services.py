"""Writes about people. Every function runs in a transaction and keeps the ledger."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from solidaire.core.crypto import ERASED
from solidaire.core.models import ActivityKind
from solidaire.core.services import activities_move, activity_record, audit_log

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
    Tag,
)
from .normalize import normalize_email, normalize_phone, normalize_postal_code
from .selectors import status_access

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


def person_find(*, email: str = "", phone: str = "") -> Person | None:
    """The person a normalized e-mail or phone belongs to (e-mail wins)."""
    if email:
        match = Person.objects.filter(emails__address=email).first()
        if match:
            return match
    if phone:
        # A shared family phone could belong to several people: take the oldest.
        return Person.objects.filter(phones__number=phone).order_by("id").first()
    return None


@transaction.atomic
def person_create(
    *,
    chosen_name: str,
    email: str = "",
    phone: str = "",
    source: str = "manual",
    source_detail: str = "",
    other_languages: Iterable[str] = (),
    tags: Iterable[str] = (),
    actor=None,
    **profile,
) -> Person:
    """Record a new person. Only a chosen name is required."""
    email = normalize_email(email) if email else ""
    phone = normalize_phone(phone) if phone else ""
    if "postal_code" in profile:
        profile["postal_code"] = normalize_postal_code(profile["postal_code"])
    person = Person.objects.create(
        chosen_name=chosen_name.strip(), source=source, source_detail=source_detail, **profile,
    )
    if email:
        EmailAddress.objects.create(person=person, address=email, is_primary=True)
    if phone:
        PhoneNumber.objects.create(person=person, number=phone, is_primary=True)
    _languages_add(person, other_languages)
    person_tag(person=person, names=tags)
    activity_record(person=person, kind=ActivityKind.PERSON_CREATED, obj=person,
                    occurred_at=person.created_at)
    if actor is not None:
        audit_log(action="solidaire.person.created", actor=actor, obj=person)
    return person


def person_upsert(
    *,
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
    """Match an existing person by normalized e-mail or phone, else create one.

    A match gets the new contact points and any profile value it lacked or that
    changed; an empty incoming value never erases what is recorded.
    """
    email = normalize_email(email) if email else ""
    phone = normalize_phone(phone) if phone else ""
    if not (email or phone):
        person = person_create(
            chosen_name=chosen_name, source=source, source_detail=source_detail,
            other_languages=other_languages, tags=tags, actor=actor, **profile,
        )
        return UpsertResult(person=person, created=True)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = person_find(email=email, phone=phone)
                if existing is None:
                    person = person_create(
                        chosen_name=chosen_name, email=email, phone=phone, source=source,
                        source_detail=source_detail, other_languages=other_languages,
                        tags=tags, actor=actor, **profile,
                    )
                    return UpsertResult(person=person, created=True)
                changed = _person_fill(
                    existing, chosen_name=chosen_name, email=email, phone=phone,
                    other_languages=other_languages, tags=tags, **profile,
                )
                return UpsertResult(person=existing, created=False, changed=changed)
        except IntegrityError:
            # Another request added the same e-mail between our look-up and insert:
            # the second pass finds that person.
            continue
    raise IntegrityError("person_upsert could not settle on one person")


def _person_fill(person: Person, *, chosen_name, email, phone, other_languages, tags,
                 **profile) -> list[str]:
    incoming = {"chosen_name": (chosen_name or "").strip(), **profile}
    if incoming.get("postal_code"):
        incoming["postal_code"] = normalize_postal_code(incoming["postal_code"])
    changed = []
    for name, value in incoming.items():
        if name not in PROFILE_FIELDS or value in ("", None):
            continue
        current = getattr(person, name)
        if current != value:
            setattr(person, name, value)
            changed.append(name)
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    if email and not person.emails.filter(address=email).exists():
        EmailAddress.objects.create(
            person=person, address=email, is_primary=not person.emails.exists(),
        )
        changed.append("email")
    if phone and not person.phones.filter(number=phone).exists():
        PhoneNumber.objects.create(
            person=person, number=phone, is_primary=not person.phones.exists(),
        )
        changed.append("phone")
    _languages_add(person, other_languages)
    person_tag(person=person, names=tags)
    return changed


@transaction.atomic
def person_update(*, person: Person, actor=None, other_languages: Iterable[str] | None = None,
                  tags: Iterable[str] | None = None, **fields) -> Person:
    """Change profile fields of a person (an organizer's edit)."""
    if "postal_code" in fields:
        fields["postal_code"] = normalize_postal_code(fields["postal_code"])
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, fields[name])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
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
    address = normalize_email(email)
    obj, _created = EmailAddress.objects.get_or_create(
        address=address, defaults={"person": person},
    )
    if obj.person_id != person.pk:
        raise IntegrityError("e-mail belongs to another person")
    if make_primary or not person.emails.filter(is_primary=True).exists():
        person.emails.exclude(pk=obj.pk).update(is_primary=False)
        obj.is_primary = True
        obj.save(update_fields=["is_primary"])
    return obj


@transaction.atomic
def person_phone_add(*, person: Person, phone: str, make_primary: bool = False,
                     kind: str = PhoneNumber.Kind.MOBILE) -> PhoneNumber:
    number = normalize_phone(phone)
    obj, _created = PhoneNumber.objects.get_or_create(
        person=person, number=number, defaults={"kind": kind},
    )
    if make_primary or not person.phones.filter(is_primary=True).exists():
        person.phones.exclude(pk=obj.pk).update(is_primary=False)
        obj.is_primary = True
        obj.save(update_fields=["is_primary"])
    return obj


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


@transaction.atomic
def person_merge(*, keep: Person, remove: Person, actor=None) -> Person:
    """Fold `remove` into `keep`, keeping every contact point, consent, tag,
    language, committee membership and activity; `remove` is deleted.

    Blank profile fields of `keep` are filled from `remove`. Rows of later apps
    that point at a person move with the `person_merging` signal.
    """
    from .signals import person_merging

    if keep.pk == remove.pk:
        raise ValueError("cannot merge a person with itself")
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    remove = Person.objects.select_for_update().get(pk=remove.pk)

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

    category: str | object
    expiry_month: datetime.date | object | None
    flags: tuple[str, ...] | object
    note: str | object
    updated_at: datetime.datetime
    updated_by_id: int | None

    @property
    def erased(self) -> bool:
        return self.category is ERASED

    @property
    def category_label(self) -> str:
        if self.erased:
            return str(ERASED)
        return str(StatusCategory(self.category).label) if self.category else ""

    @property
    def flag_labels(self) -> list[str]:
        return [] if self.erased else [str(StatusFlag(flag).label) for flag in self.flags]


def _status_access_check(actor) -> None:
    if not status_access(actor):
        raise PermissionDenied("This account may not see or change immigration status.")


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
    _status_access_check(actor)
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
    if any(value is ERASED for value in values.values()):
        return StatusView(category=ERASED, expiry_month=ERASED, flags=ERASED, note=ERASED,
                          updated_at=status.updated_at, updated_by_id=status.updated_by_id)
    return StatusView(
        category=values["sealed_category"],
        expiry_month=_month_parse(values["sealed_expiry_month"]),
        flags=tuple(json.loads(values["sealed_flags"])),
        note=values["sealed_note"],
        updated_at=status.updated_at, updated_by_id=status.updated_by_id,
    )


@transaction.atomic
def status_read(*, person: Person, actor) -> StatusView | None:
    """Open a person's status for a status-access account; the view is audited."""
    _status_access_check(actor)
    status = PersonStatus.objects.filter(person=person).first()
    if status is None:
        return None
    view = status_open(status)
    audit_log(action="solidaire.person.status.viewed", actor=actor, obj=person)
    return view


@transaction.atomic
def status_clear(*, person: Person, actor) -> bool:
    """Delete a person's status row. True when there was one."""
    _status_access_check(actor)
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
    if view.erased:
        return
    sealed = status_seal_values(person_id=to_person.pk, category=view.category,
                                expiry_month=view.expiry_month, flags=view.flags,
                                note=view.note)
    PersonStatus.objects.create(person=to_person, updated_at=status.updated_at,
                                updated_by_id=status.updated_by_id, **sealed)
