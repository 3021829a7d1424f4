"""Writes of the organizer pages about events: creating and editing events and series,
submitting a chapter's event to a series, a coordinator's approval, follow-up e-mails.

Registering, cancelling, the waiting list and attendance live in services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from solidaire.core.access import may_own, require, require_may_own
from solidaire.core.changes import changed_fields_apply, editable_check
from solidaire.core.i18n import localized
from solidaire.core.outbox import email_enqueue
from solidaire.core.ownership import same_organization_check
from solidaire.core.services import audit_log
from solidaire.core.site import absolute

from .models import Event, FollowUp, Registration, Series
from .selectors import (
    event_may_edit,
    series_for_new_events,
    series_may_approve,
    series_may_edit,
)
from .services import event_capacity_set, waitlist_promote

# What the organizer pages may change on an event (capacity and co-sponsors apart).
EVENT_EDITABLE = (
    "slug", "organization", "chapter", "campaign", "series", "kind", "title", "summary", "body",
    "format", "online_url", "online_details", "venue", "address", "city", "province",
    "postal_code", "accessibility", "starts_at", "ends_at", "time_zone", "languages",
    "interpretation", "waitlist", "visibility", "status", "registration_open", "reminders",
)
SERIES_EDITABLE = ("slug", "organization", "campaign", "title", "summary", "starts_on",
                   "ends_on", "is_public", "accepts_submissions")


# Who may do what is decided in selectors.py (decision 0056); these refuse the others.

def _require_series(actor, series: Series | None) -> None:
    if series is not None:
        require(series_for_new_events(actor).filter(pk=series.pk).exists(),
                "this series takes no events from this account")


def _require_editor(actor, event: Event) -> None:
    require(event_may_edit(actor, event), "this account may not edit this event")


def _status_for(*, actor, series: Series | None, wanted: str, current: str | None) -> str:
    """A chapter organizer's event in a series waits for a coordinator of the series'
    organization before it is published; a coordinator's is published directly."""
    if wanted != Event.Status.PUBLISHED or series is None:
        return wanted
    if current == Event.Status.PUBLISHED or series_may_approve(actor, series):
        return wanted
    if not series.accepts_submissions:
        raise PermissionDenied("this series takes no submissions")
    return Event.Status.SUBMITTED


@transaction.atomic
def event_create(*, actor, organization, slug: str, title: dict, starts_at, ends_at,
                 chapter=None, campaign=None, series=None, cosponsors=(),
                 capacity: int | None = None, status: str = Event.Status.DRAFT,
                 **fields) -> Event:
    editable_check(fields, EVENT_EDITABLE)
    same_organization_check(organization, chapter=chapter, campaign=campaign)
    require_may_own(actor, organization=organization, chapter=chapter, what="an event")
    _require_series(actor, series)
    status = _status_for(actor=actor, series=series, wanted=status, current=None)
    event = Event.objects.create(
        slug=slug, organization=organization, chapter=chapter, campaign=campaign,
        series=series, title=title, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        status=status, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        approved_by=(actor if status == Event.Status.PUBLISHED and series is not None
                     and getattr(actor, "is_authenticated", False) else None),
        **fields,
    )
    event.cosponsors.set(list(cosponsors))
    audit_log(action="solidaire.event.created", actor=actor, obj=event,
              data={"status": status, "series": series.pk if series else None})
    return event


@transaction.atomic
def event_update(*, actor, event: Event, cosponsors=None, capacity=..., **changes) -> Event:
    """Change an event's details. A new capacity goes through `event_capacity_set`, which
    promotes people from the waiting list to the seats it opens."""
    editable_check(changes, EVENT_EDITABLE)
    _require_editor(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    series = changes.get("series", event.series)
    same_organization_check(changes.get("organization", event.organization),
                            chapter=changes.get("chapter", event.chapter),
                            campaign=changes.get("campaign", event.campaign))
    if "organization" in changes or "chapter" in changes:
        require_may_own(actor, organization=changes.get("organization", event.organization),
                        chapter=changes.get("chapter", event.chapter), what="an event")
    if series is not None and series.pk != event.series_id:
        _require_series(actor, series)
    if "status" in changes:
        moved = series is not None and series.pk != event.series_id
        changes["status"] = _status_for(
            actor=actor, series=series, wanted=changes["status"],
            current=None if moved else event.status)
    if (event.status == Event.Status.SUBMITTED
            and changes.get("status") == Event.Status.PUBLISHED):
        # A coordinator publishing a submitted event approves it.
        changes["approved_by"] = actor if getattr(actor, "is_authenticated", False) else None
    changed = changed_fields_apply(event, changes)
    if "status" in changed and event.status == Event.Status.PUBLISHED:
        # Seats freed while the event was not published (a cancellation then seats
        # nobody) go to the waiting list before anyone new can register.
        waitlist_promote(event=event)
    if cosponsors is not None:
        wanted = {org.pk for org in cosponsors}
        if wanted != set(event.cosponsors.values_list("pk", flat=True)):
            event.cosponsors.set(sorted(wanted))
            changed.append("cosponsors")
    if capacity is not ... and capacity != event.capacity:
        event_capacity_set(event=event, capacity=capacity, actor=actor)
        event.refresh_from_db()
        changed.append("capacity")
    if changed:
        audit_log(action="solidaire.event.updated", actor=actor, obj=event,
                  data={"fields": sorted(changed)})
    return event


@transaction.atomic
def event_submit(*, actor, event: Event) -> Event:
    """Ask the coordinators of the event's series to publish it."""
    _require_editor(actor, event)
    event = (Event.objects.select_for_update(of=("self",)).select_related("series")
             .get(pk=event.pk))
    if event.series is None or event.status == Event.Status.PUBLISHED:
        return event
    if not (event.series.accepts_submissions or series_may_approve(actor, event.series)):
        raise PermissionDenied("this series takes no submissions")
    if event.status != Event.Status.SUBMITTED:
        event.status = Event.Status.SUBMITTED
        event.save(update_fields=["status", "updated_at"])
        audit_log(action="solidaire.event.submitted", actor=actor, obj=event,
                  data={"series": event.series_id})
    return event


def _review(*, actor, event: Event, approve: bool) -> Event:
    event = (Event.objects.select_for_update(of=("self",)).select_related("series")
             .get(pk=event.pk))
    require(event.series is not None and series_may_approve(actor, event.series),
            "only a coordinator of the series' organization decides")
    if event.status != Event.Status.SUBMITTED:
        return event
    event.status = Event.Status.PUBLISHED if approve else Event.Status.DRAFT
    event.approved_by = actor if approve else None
    event.save(update_fields=["status", "approved_by", "updated_at"])
    audit_log(action="solidaire.event.approved" if approve else "solidaire.event.rejected",
              actor=actor, obj=event, data={"series": event.series_id})
    if approve:
        waitlist_promote(event=event)  # as when an organizer publishes (event_update)
    return event


@transaction.atomic
def event_approve(*, actor, event: Event) -> Event:
    """Publish an event a chapter submitted to a series."""
    return _review(actor=actor, event=event, approve=True)


@transaction.atomic
def event_reject(*, actor, event: Event) -> Event:
    """Send a submitted event back to its chapter as a draft."""
    return _review(actor=actor, event=event, approve=False)


@transaction.atomic
def series_create(*, actor, organization, slug: str, title: dict, starts_on, ends_on,
                  campaign=None, summary: dict | None = None, is_public: bool = False,
                  accepts_submissions: bool = True) -> Series:
    same_organization_check(organization, campaign=campaign)
    require(may_own(actor, organization=organization),
            "only the organization's coordinators add a series")
    series = Series.objects.create(
        slug=slug, organization=organization, campaign=campaign, title=title,
        summary=summary or {}, starts_on=starts_on, ends_on=ends_on, is_public=is_public,
        accepts_submissions=accepts_submissions,
    )
    audit_log(action="solidaire.series.created", actor=actor, obj=series)
    return series


@transaction.atomic
def series_update(*, actor, series: Series, **changes) -> Series:
    editable_check(changes, SERIES_EDITABLE)
    require(series_may_edit(actor, series), "this account may not edit this series")
    series = Series.objects.select_for_update().get(pk=series.pk)
    same_organization_check(changes.get("organization", series.organization),
                            campaign=changes.get("campaign", series.campaign))
    if "organization" in changes:
        require(may_own(actor, organization=changes["organization"]),
                "only the organization's coordinators run a series")
    changed = changed_fields_apply(series, changes)
    if changed:
        audit_log(action="solidaire.series.updated", actor=actor, obj=series,
                  data={"fields": changed})
    return series


# -- after the event ---------------------------------------------------------------------------

def follow_up_audience(event: Event, audience: str):
    """The registrations a follow-up goes to: the people who came, or those who were
    registered (a seat confirmed) and did not come. Cancelled ones never."""
    registrations = Registration.objects.filter(event=event)
    if audience == FollowUp.Audience.ATTENDED:
        return registrations.filter(attended_at__isnull=False) \
            .exclude(status=Registration.Status.CANCELLED)
    if audience == FollowUp.Audience.NO_SHOWS:
        return registrations.filter(attended_at__isnull=True,
                                    status=Registration.Status.CONFIRMED)
    raise ValueError(f"unknown audience {audience!r}")


def follow_up_recipients(event: Event, audience: str) -> list[tuple[Registration, str]]:
    """(registration, e-mail address) for each person of the audience with an address."""
    rows = (follow_up_audience(event, audience)
            .select_related("person").prefetch_related("person__emails").order_by("id"))
    found = []
    for registration in rows:
        # Never an address that waits for confirmation (decision 0036): the one typed
        # with the registration once confirmed, else the person's own, primary first.
        emails = sorted((e for e in registration.person.emails.all() if not e.pending),
                        key=lambda e: (e.pk != registration.email_address_id,
                                       not e.is_primary, e.added_at, e.pk))
        if emails:
            found.append((registration, emails[0]))
    return found


def _text_language(texts: dict, wanted: str) -> str:
    """The language of the text a person reads: theirs when written, else the fallback
    that `localized` would choose."""
    if texts.get(wanted):
        return wanted
    for code in (settings.LANGUAGE_CODE, "en", "fr"):
        if texts.get(code):
            return code
    return next((code for code, text in texts.items() if text), settings.LANGUAGE_CODE)


def follow_up_send(*, event: Event, audience: str, subject: dict, body: dict, token: str,
                   actor) -> FollowUp:
    """Queue one e-mail per person of the audience who has an address, each in their
    preferred language when the message is written in it. The form key makes a double
    submit send once: the second call returns the first follow-up."""
    if audience not in FollowUp.Audience.values:
        raise ValueError(f"unknown audience {audience!r}")
    if not localized(subject) or not localized(body):
        raise ValueError("a follow-up needs a subject and a message")
    if event.starts_at > timezone.now():
        raise ValueError("the event has not started")
    _require_editor(actor, event)
    existing = FollowUp.objects.filter(token=token).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                event=event, audience=audience, subject=subject, body=body, token=token,
                sent_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            recipients = follow_up_recipients(event, audience)
            for registration, address in recipients:
                person = registration.person
                # The recorded name only at the primary address (see services._notify).
                name = person.chosen_name if address.is_primary else ""
                language = _text_language(body, person.preferred_language)
                with translation.override(language):
                    page = absolute(reverse("public:event", kwargs={"slug": event.slug}))
                if event.visibility == Event.Visibility.PRIVATE:
                    page += f"?k={event.private_key}"
                email_enqueue(
                    to=address.address,
                    subject_template="events/email/follow_up_subject.txt",
                    body_template="events/email/follow_up.txt",
                    context={"event": event, "name": name,
                             "subject": localized(subject, language),
                             "body": localized(body, language), "page_url": page,
                             "language": language},
                    language=language,
                    kind="event.follow_up",
                )
            follow_up.recipients = len(recipients)
            follow_up.save(update_fields=["recipients"])
            audit_log(action="solidaire.event.follow_up_sent", actor=actor, obj=event,
                      data={"audience": audience, "recipients": len(recipients),
                            "follow_up": follow_up.pk})
    except IntegrityError:  # the same form key, posted twice at the same moment
        return FollowUp.objects.get(token=token)
    return follow_up
