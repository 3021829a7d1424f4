"""Reads about events and series."""

from __future__ import annotations

import datetime
import secrets

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from solidaire.core.access import scope_for, volunteer_work_q
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import public_reach_q

from .models import Event, Registration, Series


def _owned_q(user) -> Q:
    """Organization-wide events of the account's organizations, chapter events in scope."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    return ((Q(chapter__isnull=True) & scope.organization_q("organization"))
            | (Q(chapter__isnull=False) & scope.chapter_q("chapter")))


def events_visible_to(user) -> QuerySet[Event]:
    return Event.objects.filter(_owned_q(user))


def series_visible_to(user) -> QuerySet[Series]:
    scope = scope_for(user)
    if scope.everything:
        return Series.objects.all()
    return Series.objects.filter(scope.organization_q("organization"))


# -- who may edit (decision 0056) ------------------------------------------------------------
# Events as petitions: a chapter's event for the organizers of the chapter, an
# organization-wide one for its coordinators; volunteers edit none (they check people in).
# Editing an event covers its registrations' decisions and its follow-up e-mails. Series
# belong to an organization: its coordinators edit them and approve the events that
# chapters submit to them.

def events_editable_by(user) -> QuerySet[Event]:
    return events_visible_to(user).filter(scope_for(user).runs_q())


def event_may_edit(user, event: Event) -> bool:
    return events_editable_by(user).filter(pk=event.pk).exists()


def series_editable_by(user) -> QuerySet[Series]:
    scope = scope_for(user)
    visible = series_visible_to(user)
    return visible if scope.everything else visible.filter(
        organization_id__in=sorted(scope.organization_ids))


def series_may_edit(user, series: Series) -> bool:
    return series_editable_by(user).filter(pk=series.pk).exists()


def series_may_approve(user, series: Series) -> bool:
    """Only the coordinators of a series' organization approve the events submitted to
    it, even another organization's."""
    return scope_for(user).runs(series.organization_id, None)


def series_for_new_events(user) -> QuerySet[Series]:
    """Series the account may add an event to: those of the organizations it
    coordinates, and those open to chapters' submissions."""
    scope = scope_for(user)
    visible = series_visible_to(user)
    if scope.everything:
        return visible
    return visible.filter(Q(organization_id__in=sorted(scope.organization_ids))
                          | Q(accepts_submissions=True))


def listed_events() -> QuerySet[Event]:
    """Published public events: the public list, series pages and feeds."""
    return Event.objects.filter(status=Event.Status.PUBLISHED,
                                visibility=Event.Visibility.PUBLIC)


def upcoming_listed_events(chapter: Chapter | None = None) -> QuerySet[Event]:
    """Listed events not over yet, soonest first: all of them, or those for a chapter's
    people (organizing.selectors.public_reach_q)."""
    return (listed_events().filter(public_reach_q(chapter), ends_at__gte=timezone.now())
            .order_by("starts_at", "id"))


def event_for_public(slug: str, key: str = "") -> Event | None:
    """A published or cancelled event by its address; a private one only with its key."""
    event = (Event.objects.filter(slug=slug,
                                  status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
             .select_related("organization", "chapter", "campaign", "series").first())
    if event is None:
        return None
    if event.visibility == Event.Visibility.PRIVATE and not (
            key and secrets.compare_digest(str(key), event.private_key)):
        return None
    return event


WALK_IN_SOURCES = (Registration.Source.WALK_IN, Registration.Source.PAPER)


def event_stats(event: Event) -> dict:
    """Counts for the event page, in one query.

    registered: confirmed (walk-ins included); no_shows: confirmed, not attended, once
    the event is over; walk_ins: came without registering first (walk-in or paper).
    """
    status = Registration.Status
    came = Q(attended_at__isnull=False)
    counts = Registration.objects.filter(event=event).aggregate(
        registered=Count("id", filter=Q(status=status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=status.WAITLISTED)),
        awaiting=Count("id", filter=Q(status=status.AWAITING)),
        cancelled=Count("id", filter=Q(status=status.CANCELLED)),
        attended=Count("id", filter=came),
        not_attended=Count("id", filter=Q(status=status.CONFIRMED, attended_at__isnull=True)),
        walk_ins=Count("id", filter=Q(source__in=WALK_IN_SOURCES)),
        first_time=Count("id", filter=came & Q(first_time=True)),
    )
    not_attended = counts.pop("not_attended")
    counts["no_shows"] = not_attended if event.ends_at <= timezone.now() else 0
    return counts


def registrations_for(event: Event) -> QuerySet[Registration]:
    """The event's registrations with their people, oldest first."""
    return (Registration.objects.filter(event=event).select_related("person")
            .order_by("created_at", "id"))


# A volunteer's door work (check-in list, walk-ins, paper entry, sign-in sheet) opens a
# day before the event, to print sheets and set up, and closes two days after it ends,
# so that a weekend's sheets can be typed on Monday (decision 0044).
DOOR_OPENS_BEFORE = datetime.timedelta(hours=24)
DOOR_CLOSES_AFTER = datetime.timedelta(hours=48)


def events_for_door_work(user) -> QuerySet[Event]:
    """Events the account may check people in at and type sign-in sheets for.

    Organizers: the events they see, whatever their date. Volunteers: the events of the
    organizations they work within, organization-wide or of their chapters (and the
    chapters below), and only while the door is open (DOOR_OPENS_BEFORE the start to
    DOOR_CLOSES_AFTER the end); outside it the event is as absent as one out of scope.
    """
    if not scope_for(user).is_empty:
        return events_visible_to(user)
    volunteer = volunteer_work_q(user)
    if volunteer is None:
        return Event.objects.none()
    now = timezone.now()
    return Event.objects.filter(volunteer, starts_at__lte=now + DOOR_OPENS_BEFORE,
                                ends_at__gte=now - DOOR_CLOSES_AFTER)


def event_may_work_door(user, event_id: int) -> bool:
    """May the account check people in at this event, undo a check-in, add a walk-in or
    type its sign-in sheets (`events_for_door_work`, decision 0056)?"""
    return events_for_door_work(user).filter(pk=event_id).exists()


def event_may_import_attendance(user, event: Event) -> bool:
    """A video-meeting report is imported by an organizer who sees the event, whatever
    its date; volunteers do not (the report names everyone who joined)."""
    return (not scope_for(user).is_empty
            and events_visible_to(user).filter(pk=event.pk).exists())
