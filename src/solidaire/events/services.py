"""Writes about events: registering, cancelling, the waiting list, attendance, reminders.

Every function here is the only write path for what it does. Seats are counted in
`Event.seats_taken`, changed only while the event row is locked (decision 0023), so the
last seat goes to exactly one person even when two take it at the same moment.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone, translation

from solidaire.core.access import require, require_unless_system
from solidaire.core.i18n import localized
from solidaire.core.models import Activity
from solidaire.core.outbox import email_enqueue
from solidaire.core.services import activity_record, audit_log
from solidaire.core.signals import ledger_changed_send
from solidaire.core.site import absolute
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import ConsentMethod, EmailAddress, Person, Source
from solidaire.people.services import (
    UpsertResult,
    consent_from_form,
    email_confirmation_request,
    person_email_enqueue,
    person_upsert,
)

from .activities import EVENT_ATTENDED, EVENT_REGISTERED
from .calendar import event_ics
from .models import DEFAULT_REMINDERS, Event, Registration, ReminderSent
from .selectors import event_may_edit, event_may_work_door, events_editable_by
from .zones import zone_abbreviation

logger = logging.getLogger(__name__)

# Outcomes of registration_create
CONFIRMED = "confirmed"      # a seat is theirs
WAITLISTED = "waitlisted"    # full: on the waiting list
AWAITING = "awaiting"        # members-only event, person not known: an organizer decides
FULL = "full"                # full and no waiting list: nothing stored
CLOSED = "closed"            # registration closed, event cancelled or over: nothing stored
ALREADY = "already"          # this person is already registered (or waitlisted/awaiting)
REPLAY = "replay"            # the same form key was posted before

# Reminders are looked for in events starting within this window (offsets larger than
# this are not sent).
REMINDER_HORIZON = datetime.timedelta(days=31)
_REMINDER_BATCH = 200

_STATUS_OUTCOME = {
    Registration.Status.CONFIRMED: CONFIRMED,
    Registration.Status.WAITLISTED: WAITLISTED,
    Registration.Status.AWAITING: AWAITING,
}


@dataclass(frozen=True)
class RegistrationResult:
    outcome: str
    registration: Registration | None
    person: Person | None


# --- registering -------------------------------------------------------------------


def registration_create(*, event: Event, chosen_name: str, email: str = "", phone: str = "",
                        language: str, postal_code: str = "", consent_email: bool = False,
                        consent_sms: bool = False, token: str | None = None,
                        source: str = Registration.Source.ONLINE, actor=None,
                        notify: bool = True,
                        share_with_cosponsors: bool = False) -> RegistrationResult:
    """Someone registers (the public form, or an organizer adding them).

    A seat if one is free, else the waiting list (or FULL); on a members-only event a
    person the organization does not know waits for approval. The form key makes a
    replayed POST register once. E-mails (with the `.ics`) go through the outbox.
    """
    token = token or None
    if token:
        existing = Registration.objects.select_related("person").filter(token=token).first()
        if existing is not None:
            return RegistrationResult(REPLAY, existing, existing.person)
    now = timezone.now()
    if not registration_is_open(event, now=now):
        return RegistrationResult(CLOSED, None, None)
    if _full_without_waitlist(event):
        return RegistrationResult(FULL, None, None)  # no person stored either
    typed = {"chosen_name": chosen_name, "email": email, "phone": phone,
             "postal_code": postal_code, "consent_email": consent_email,
             "consent_sms": consent_sms}
    upserted = _person(event=event, language=language, source=source, actor=actor, **typed)
    person, created = upserted.person, upserted.created
    try:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if token:
                existing = Registration.objects.filter(token=token).first()
                if existing is not None:
                    return RegistrationResult(REPLAY, existing, person)
            if not registration_is_open(locked, now=now):
                return RegistrationResult(CLOSED, None, person)
            registration = Registration.objects.filter(event=locked, person=person).first()
            if (registration is not None
                    and registration.status != Registration.Status.CANCELLED):
                if upserted.email_pending and notify and upserted.email_address is not None:
                    # Registered before under another address: the new one may be
                    # confirmed, nothing else goes to it (decision 0036).
                    email_confirmation_request(address=upserted.email_address,
                                               language=_mail_language(language))
                return RegistrationResult(ALREADY, registration, person)
            # A members-only event's link is for members: someone matched only by a
            # phone, with an e-mail the record does not hold, waits for an organizer.
            if (locked.visibility == Event.Visibility.MEMBERS
                    and source == Registration.Source.ONLINE
                    and (created or upserted.email_pending
                         or not _known_to(person, locked))):
                status: Registration.Status | None = Registration.Status.AWAITING
            else:
                status = _seat_or_queue(locked)
            if status is None:
                return RegistrationResult(FULL, None, person)
            first_time = created or not _has_done_anything(person)
            if registration is None:
                registration = Registration(event=locked, person=person)
            registration.token = token
            registration.status = status
            registration.source = source
            registration.language = language
            registration.first_time = first_time
            registration.created_at = now
            registration.status_changed_at = now
            registration.email_address = upserted.email_address
            registration.save()
            if status == Registration.Status.CONFIRMED:
                _seats_add(locked, 1)
            activity_record(person=person, kind=EVENT_REGISTERED, obj=locked,
                            campaign=locked.campaign, chapter=locked.chapter,
                            occurred_at=now)
            if share_with_cosponsors and source == Registration.Source.ONLINE:
                _share_with_cosponsors(event=locked, language=language, **typed)
            if actor is not None and getattr(actor, "is_authenticated", False):
                audit_log(action="solidaire.event.registration.added", actor=actor,
                          obj=registration, data={"event": locked.pk, "status": status})
            if notify:
                _notify(registration, {
                    Registration.Status.CONFIRMED: "confirmed",
                    Registration.Status.WAITLISTED: "waitlisted",
                    Registration.Status.AWAITING: "awaiting",
                }[status], event=locked)
    except IntegrityError:
        # The same form (or the same person) arrived twice at once: the other won.
        if token:
            existing = Registration.objects.filter(token=token).first()
            if existing is not None:
                return RegistrationResult(REPLAY, existing, person)
        existing = Registration.objects.filter(event=event, person=person).first()
        if existing is not None:
            return RegistrationResult(ALREADY, existing, person)
        raise
    event.seats_taken = locked.seats_taken
    registration.event = locked
    return RegistrationResult(_STATUS_OUTCOME[status], registration, person)


def registration_is_open(event: Event, *, now=None) -> bool:
    """Published, registration open and not over yet."""
    now = now or timezone.now()
    return (event.status == Event.Status.PUBLISHED and event.registration_open
            and event.ends_at > now)


def _full_without_waitlist(event: Event) -> bool:
    """A quick unlocked look (checked again under the lock); members-only events may
    still take people waiting for approval."""
    if event.waitlist or event.capacity is None or event.visibility == Event.Visibility.MEMBERS:
        return False
    seats = Event.objects.filter(pk=event.pk).values_list("seats_taken", flat=True).first()
    return seats is not None and seats >= event.capacity


def _person(*, event, chosen_name, email, phone, language, postal_code, consent_email,
            consent_sms, source, actor, organization=None) -> UpsertResult:
    """The person behind a registration, in the event's organization's list (or a
    co-sponsor's, when shared). Only an organizer who can see them may change their
    record; anyone else adds to it (decision 0036)."""
    profile = {"preferred_language": language}
    if postal_code:
        profile["postal_code"] = postal_code
    shared = organization is not None
    result = person_upsert(
        organization=organization or event.organization, chosen_name=chosen_name,
        email=email, phone=phone, source=Source.EVENT,
        source_detail=event.slug,
        actor=None if shared else actor, **profile)
    method = {Registration.Source.ONLINE: ConsentMethod.WEB_FORM,
              Registration.Source.PAPER: ConsentMethod.PAPER,
              Registration.Source.IMPORT: ConsentMethod.IMPORT}.get(source, ConsentMethod.VERBAL)
    consent_from_form(result=result, email=consent_email, sms=consent_sms, method=method,
                      source=f"event:{event.slug}", actor=actor)
    return result


def _share_with_cosponsors(*, event: Event, language: str, **typed) -> None:
    """The registrant ticked the box to share their details with the event's
    co-sponsors: each gets them on its own list, with the registration on its ledger."""
    for cosponsor in event.cosponsors.exclude(pk=event.organization_id):
        result = _person(event=event, language=language, organization=cosponsor,
                         source=Registration.Source.ONLINE, actor=None, **typed)
        activity_record(person=result.person, kind=EVENT_REGISTERED, obj=event,
                        campaign=event.campaign)


def _known_to(person: Person, event: Event) -> bool:
    return (person.organization_id == event.organization_id
            and person.home_chapter_id is not None)


def _has_done_anything(person: Person) -> bool:
    return (Activity.objects.filter(person=person)
            .exclude(kind=PERSON_CREATED).exists())


def _seat_or_queue(locked: Event) -> Registration.Status | None:
    """The status a new registration gets on a locked event; None when full."""
    if locked.capacity is None or locked.seats_taken < locked.capacity:
        return Registration.Status.CONFIRMED
    if locked.waitlist:
        return Registration.Status.WAITLISTED
    return None


def _seats_add(locked: Event, n: int) -> None:
    locked.seats_taken = max(0, locked.seats_taken + n)
    locked.save(update_fields=["seats_taken"])


# --- cancelling, the waiting list, capacity ----------------------------------------


def registration_cancel(*, registration: Registration, actor=None,
                        notify: bool = False) -> list[Registration]:
    """Cancel; returns the registrations promoted from the waiting list to the freed seat.

    `actor=None` is the person themselves (their registration's page) or the application;
    an organizer cancels where they may edit the event (decision 0056)."""
    require_unless_system(
        actor, lambda: events_editable_by(actor).filter(pk=registration.event_id).exists(),
        "this account may not cancel this event's registrations")
    now = timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return []
        if current.status == Registration.Status.CONFIRMED:
            _seats_add(locked, -1)
        current.status = Registration.Status.CANCELLED
        current.status_changed_at = now
        current.save(update_fields=["status", "status_changed_at"])
        if actor is not None and getattr(actor, "is_authenticated", False):
            audit_log(action="solidaire.event.registration.cancelled", actor=actor,
                      obj=current, data={"event": locked.pk})
        if notify:
            _notify(current, "cancelled", event=locked)
        promoted = _promote(locked)
    registration.status, registration.status_changed_at = current.status, now
    return promoted


def waitlist_promote(*, event: Event) -> list[Registration]:
    """Give free seats to the waiting list, oldest first; each promoted person is told."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        promoted = _promote(locked)
    event.seats_taken = locked.seats_taken
    return promoted


def event_capacity_set(*, event: Event, capacity: int | None, actor=None) -> list[Registration]:
    """Change the capacity; a larger one seats people from the waiting list. An account
    must be allowed to edit the event (`actor=None`: the application)."""
    require_unless_system(actor, lambda: event_may_edit(actor, event),
                          "this account may not edit this event")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        if actor is not None and getattr(actor, "is_authenticated", False):
            audit_log(action="solidaire.event.capacity.changed", actor=actor, obj=locked,
                      data={"capacity": capacity})
        promoted = _promote(locked)
    event.capacity, event.seats_taken = locked.capacity, locked.seats_taken
    return promoted


def _promote(locked: Event) -> list[Registration]:
    """Seat waiting people on an event whose row this transaction holds locked."""
    if locked.status != Event.Status.PUBLISHED or locked.ends_at <= timezone.now():
        return []
    waiting = (Registration.objects.filter(event=locked, status=Registration.Status.WAITLISTED)
               .select_related("person").order_by("created_at", "id"))
    if locked.capacity is not None:
        free = locked.capacity - locked.seats_taken
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    if not promoted:
        return []
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed_at = now
        registration.event = locked
    Registration.objects.bulk_update(promoted, ["status", "status_changed_at"])
    _seats_add(locked, len(promoted))
    for registration in promoted:
        _notify(registration, "promoted", event=locked)
    return promoted


def registration_decide(*, registration: Registration, approve: bool, actor) -> Registration:
    """An organizer approves (a seat, or the waiting list when full) or declines someone
    waiting for approval on a members-only event. Anything else is left as it is."""
    require(events_editable_by(actor).filter(pk=registration.event_id).exists(),
            "this account may not decide on this event's registrations")
    now = timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        current = (Registration.objects.select_for_update().select_related("person")
                   .get(pk=registration.pk))
        if current.status != Registration.Status.AWAITING:
            return current
        if approve:
            # Approved when full without a waiting list: they still wait for a seat.
            current.status = _seat_or_queue(locked) or Registration.Status.WAITLISTED
            if current.status == Registration.Status.CONFIRMED:
                _seats_add(locked, 1)
        else:
            current.status = Registration.Status.CANCELLED
        current.status_changed_at = now
        current.save(update_fields=["status", "status_changed_at"])
        audit_log(action=("solidaire.event.registration.approved" if approve
                          else "solidaire.event.registration.declined"),
                  actor=actor, obj=current, data={"event": locked.pk})
        which_of: dict[str, str] = {Registration.Status.CONFIRMED: "confirmed",
                                    Registration.Status.WAITLISTED: "waitlisted",
                                    Registration.Status.CANCELLED: "declined"}
        which = which_of[current.status]
        _notify(current, which, event=locked)
    current.event = locked
    return current


# --- attendance --------------------------------------------------------------------


def attendance_mark(*, registration: Registration, source: str, actor=None, at=None,
                    minutes_online: int | None = None, sheet_number: str = "") -> bool:
    """Record that the person came (once); False if it was already recorded.

    `sheet_number`: the paper sign-in sheet the person signed, kept if none is recorded.

    A person who came although cancelled or waiting takes a seat: they were there.
    One EVENT_ATTENDED ledger row, dated at the event's start unless `at` is given.

    An account must be allowed to work at the event's door (volunteers too, while it is
    open: `event_may_work_door`); `actor=None` is the application (decision 0056).
    """
    require_unless_system(actor, lambda: event_may_work_door(actor, registration.event_id),
                          "this account may not check people in at this event")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        current = (Registration.objects.select_for_update().select_related("person")
                   .get(pk=registration.pk))
        if current.attended_at is not None:
            if minutes_online is not None and current.minutes_online is None:
                current.minutes_online = minutes_online
                current.save(update_fields=["minutes_online"])
            _copy_attendance(current, registration)
            return False
        fields = ["attended_at", "attendance_source", "checked_in_by", "minutes_online"]
        if sheet_number and not current.sheet_number:
            current.sheet_number = sheet_number
            fields.append("sheet_number")
        if current.status != Registration.Status.CONFIRMED:
            current.status = Registration.Status.CONFIRMED
            current.status_changed_at = timezone.now()
            fields += ["status", "status_changed_at"]
            _seats_add(locked, 1)
        current.attended_at = at or timezone.now()
        current.attendance_source = source
        current.checked_in_by = actor if getattr(actor, "is_authenticated", False) else None
        current.minutes_online = minutes_online
        current.save(update_fields=fields)
        activity_record(person=current.person, kind=EVENT_ATTENDED, obj=locked,
                        campaign=locked.campaign, chapter=locked.chapter,
                        occurred_at=at or locked.starts_at)
    _copy_attendance(current, registration)
    return True


def attendance_unmark(*, registration: Registration, actor=None) -> bool:
    """Undo a mistaken check-in: clears the attendance and its ledger row (the same rule
    as `attendance_mark`)."""
    require_unless_system(actor, lambda: event_may_work_door(actor, registration.event_id),
                          "this account may not check people in at this event")
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.attended_at is None:
            return False
        current.attended_at = None
        current.attendance_source = ""
        current.checked_in_by = None
        current.minutes_online = None
        current.save(update_fields=["attended_at", "attendance_source", "checked_in_by",
                                    "minutes_online"])
        Activity.objects.filter(
            person_id=current.person_id, kind=EVENT_ATTENDED,
            object_type=ContentType.objects.get_for_model(Event), object_id=current.event_id,
        ).delete()
        ledger_changed_send([current.person_id], rows_removed=True)
        if actor is not None and getattr(actor, "is_authenticated", False):
            audit_log(action="solidaire.event.attendance.removed", actor=actor, obj=current,
                      data={"event": current.event_id})
    _copy_attendance(current, registration)
    return True


def _copy_attendance(source: Registration, target: Registration) -> None:
    for name in ("status", "status_changed_at", "attended_at", "attendance_source",
                 "checked_in_by_id", "minutes_online"):
        setattr(target, name, getattr(source, name))


def walk_in_add(*, event: Event, chosen_name: str, language: str, phone: str = "",
                email: str = "", postal_code: str = "", consent_email: bool = False,
                consent_sms: bool = False, actor=None, token: str | None = None,
                source: str = Registration.Source.WALK_IN,
                sheet_number: str = "") -> RegistrationResult:
    """Someone who came without registering (check-in or a paper sheet): registered and
    marked present at once, beyond the capacity if need be (they are in the room).

    Already registered: their registration is marked present and ALREADY returned.
    The same rule as `attendance_mark`: checked before anyone is recorded.
    """
    require_unless_system(actor, lambda: event_may_work_door(actor, event.pk),
                          "this account may not check people in at this event")
    token = token or None
    if token:
        existing = Registration.objects.select_related("person").filter(token=token).first()
        if existing is not None:
            return RegistrationResult(REPLAY, existing, existing.person)
    attendance = (Registration.Attendance.PAPER if source == Registration.Source.PAPER
                  else Registration.Attendance.CHECK_IN)
    upserted = _person(event=event, chosen_name=chosen_name, email=email, phone=phone,
                       language=language, postal_code=postal_code,
                       consent_email=consent_email, consent_sms=consent_sms,
                       source=source, actor=actor)
    person, created = upserted.person, upserted.created
    now = timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        registration = Registration.objects.filter(event=locked, person=person).first()
        if registration is not None:
            attendance_mark(registration=registration, source=attendance, actor=actor)
            return RegistrationResult(ALREADY, registration, person)
        first_time = created or not _has_done_anything(person)
        registration = Registration.objects.create(
            event=locked, person=person, token=token, status=Registration.Status.CONFIRMED,
            source=source, language=language, first_time=first_time, created_at=now,
            status_changed_at=now, sheet_number=sheet_number.strip()[:20],
            email_address=upserted.email_address)
        _seats_add(locked, 1)
        activity_record(person=person, kind=EVENT_REGISTERED, obj=locked,
                        campaign=locked.campaign, chapter=locked.chapter, occurred_at=now)
        attendance_mark(registration=registration, source=attendance, actor=actor)
    event.seats_taken = locked.seats_taken
    return RegistrationResult(CONFIRMED, registration, person)


# --- e-mails -----------------------------------------------------------------------


def registration_url(registration: Registration, *, language: str | None = None) -> str:
    """The person's own page for this registration (details, online link, cancel)."""
    language = _mail_language(language or registration.language)
    with translation.override(language):
        return absolute(reverse("public:event_registration",
                                args=[registration.manage_token]))


def event_when_text(event: Event, language: str) -> str:
    """'Saturday, November 28, 2026, 6:00 p.m. – 8:00 p.m. (EST)' in the language."""
    start, end = event.local_start, event.local_end
    with translation.override(_mail_language(language)):
        # Translators: a weekday and a date, e.g. "Saturday, Nov. 28, 2026".
        day = translation.gettext("%(weekday)s, %(date)s") % {
            "weekday": formats.date_format(start, "l"),
            "date": formats.date_format(start, "DATE_FORMAT")}
        text = f"{day}, {formats.time_format(start, 'TIME_FORMAT')}"
        if end.date() == start.date():
            text += f" – {formats.time_format(end, 'TIME_FORMAT')}"
        else:
            text += (f" – {formats.date_format(end, 'DATE_FORMAT')}, "
                     f"{formats.time_format(end, 'TIME_FORMAT')}")
        abbreviation = zone_abbreviation(start)
    return f"{text} ({abbreviation})"


def _mail_language(language: str) -> str:
    codes = dict(settings.LANGUAGES)
    if language in codes:
        return language
    short = (language or "").split("-")[0]
    return short if short in codes else settings.LANGUAGE_CODE


def _place(event: Event) -> str:
    return ", ".join(part for part in (event.venue, event.address, event.city) if part) \
        if event.is_in_person else ""


def _context(registration: Registration, event: Event, language: str, *,
             manage_url: str | None = None, greet: bool = True) -> dict:
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "event": event,
        "title": localized(event.title, language) or event.slug,
        "name": registration.person.chosen_name if registration.person_id and greet else "",
        "when": event_when_text(event, language),
        "place": _place(event),
        "online": event.is_online,
        "online_url": event.online_url if confirmed else "",
        "online_details": event.online_details if confirmed else "",
        "accessibility": localized(event.accessibility, language),
        "registration_url": manage_url or registration_url(registration, language=language),
        "organization": event.organization.name,
        "language": language,
    }


def _notify(registration: Registration, which: str, *, event: Event,
            address: str | None = None, greet: bool = True) -> None:
    """Queue one e-mail about a registration (in the caller's transaction).

    To the address typed with the registration when it is the person's; when it waits
    for confirmation, held there until confirmed, and sent at once to the person's own
    address if they have one (decision 0036). `address`: a known confirmed address
    (reminders pick theirs in bulk), `greet` whether it is the person's primary one.

    The person's recorded name greets them only at their primary address: an address
    confirmed by link proves who reads it, not whose record it is on.
    """
    recipients = [address] if address is not None else _recipients(registration)
    if not recipients:
        return
    language = _mail_language(registration.language
                              or getattr(registration.person, "preferred_language", ""))
    attachments = []
    if which in ("confirmed", "promoted"):
        attachments = [("event.ics", event_ics(event, language=language,
                                               registration=registration),
                        "text/calendar; method=PUBLISH")]
    email: dict[str, Any] = {
        "subject_template": f"events/email/{which}_subject.txt",
        "body_template": f"events/email/{which}.txt",
        "language": language, "kind": f"events.registration_{which}",
        "attachments": attachments}
    for recipient in recipients:
        if isinstance(recipient, EmailAddress):
            context = _context(registration, event, language, greet=recipient.is_primary)
            person_email_enqueue(address=recipient, context=context, **email)
        else:
            context = _context(registration, event, language, greet=greet)
            email_enqueue(to=recipient, context=context, **email)


def _recipients(registration: Registration) -> list[EmailAddress]:
    """The addresses e-mail about a registration goes to (see `_notify`)."""
    typed = registration.email_address
    own = (EmailAddress.objects.filter(person_id=registration.person_id, pending=False)
           .order_by("-is_primary", "id").first())
    if typed is None or typed.person_id != registration.person_id:
        return [own] if own else []
    if not typed.pending:
        return [typed]
    return [typed] + ([own] if own else [])


def deliverable_address_sql():
    """For reminders in bulk: the registration's own confirmed address, else the
    person's first confirmed one (primary first)."""
    typed = (EmailAddress.objects.filter(pk=OuterRef("email_address_id"), pending=False)
             .values("address")[:1])
    own = (EmailAddress.objects.filter(person_id=OuterRef("person_id"), pending=False)
           .order_by("-is_primary", "id").values("address")[:1])
    return Coalesce(Subquery(typed), Subquery(own))


def _primary_address_sql():
    return Subquery(EmailAddress.objects.filter(person_id=OuterRef("person_id"),
                                                is_primary=True).values("address")[:1])


# --- reminders ---------------------------------------------------------------------


def reminders_send(now=None) -> int:
    """Queue the reminder e-mails that are due; returns how many were queued.

    For each upcoming published event, only the smallest offset already due is sent
    (a registration made after a reminder time does not get that reminder; a day
    reminder missed while no worker ran is skipped rather than sent late beside the
    hour one). A ReminderSent row, created in the same transaction as the e-mail,
    makes each reminder go once even when two workers sweep at the same time.
    """
    now = now or timezone.now()
    events = (Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now,
                                   starts_at__lte=now + REMINDER_HORIZON)
              .select_related("organization"))
    sent = 0
    for event in events:
        offsets = [int(m) for m in (event.reminders or DEFAULT_REMINDERS) if int(m) > 0]
        due = [m for m in offsets if now >= event.starts_at - datetime.timedelta(minutes=m)]
        if due:
            sent += _reminders_for(event, min(due))
    return sent


def _reminders_for(event: Event, minutes: int) -> int:
    moment = event.starts_at - datetime.timedelta(minutes=minutes)
    waiting = (Registration.objects
               .filter(event=event, status=Registration.Status.CONFIRMED, created_at__lt=moment)
               .exclude(reminders_sent__minutes_before=minutes)
               .select_related("person").annotate(address=deliverable_address_sql(),
                                                  primary_address=_primary_address_sql())
               .filter(address__isnull=False).order_by("id"))
    rows = list(waiting)
    sent = 0
    for start in range(0, len(rows), _REMINDER_BATCH):
        batch = rows[start:start + _REMINDER_BATCH]
        try:
            # The usual case: one INSERT for the batch's ReminderSent rows.
            with transaction.atomic():
                ReminderSent.objects.bulk_create(
                    [ReminderSent(registration=r, minutes_before=minutes) for r in batch])
                for registration in batch:
                    registration.event = event
                    _notify(registration, "reminder", event=event, address=registration.address,
                            greet=registration.address == registration.primary_address)
            sent += len(batch)
            continue
        except IntegrityError:
            pass  # another worker is sending some of these: go one by one
        for registration in batch:
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(registration=registration,
                                                minutes_before=minutes)
                    _notify(registration, "reminder", event=event, address=registration.address,
                            greet=registration.address == registration.primary_address)
            except IntegrityError:
                continue  # another worker queued this one
            sent += 1
    if sent:
        logger.info("Queued %d reminder(s) for event #%s (%d min before).", sent, event.pk,
                    minutes)
    return sent


_last_reminders = 0.0
REMINDERS_EVERY_SECONDS = 60


def reminders_due_run() -> int:
    """At most once a minute per process (the worker sweeps every few seconds)."""
    global _last_reminders
    if time.monotonic() - _last_reminders < REMINDERS_EVERY_SECONDS:
        return 0
    _last_reminders = time.monotonic()
    return reminders_send()
