"""Who sees which events, what the public sees, and the counts after an event."""

import datetime

from django.utils import timezone

from solidaire.events import selectors
from solidaire.events.models import Event, Registration

from tests.factories import EventFactory, RegistrationFactory, SeriesFactory


def test_organizers_see_the_events_of_their_scope(world):
    org_wide = EventFactory(organization=world.centre)
    montreal = EventFactory(organization=world.centre, chapter=world.montreal)
    rimouski = EventFactory(organization=world.centre, chapter=world.bsl)
    elsewhere = EventFactory(organization=world.other)
    seen = set(selectors.events_visible_to(world.montreal_organizer))
    assert seen == {org_wide, montreal}
    assert set(selectors.events_visible_to(world.coordinator)) == {org_wide, montreal, rimouski}
    assert elsewhere not in selectors.events_visible_to(world.rimouski_organizer)
    assert set(selectors.events_visible_to(world.volunteer)) == {org_wide}


def test_series_are_seen_by_their_organization(world):
    ours = SeriesFactory(organization=world.centre)
    SeriesFactory(organization=world.other)
    assert list(selectors.series_visible_to(world.montreal_organizer)) == [ours]
    assert list(selectors.series_visible_to(world.coordinator)) == [ours]


def test_only_published_public_events_are_listed(db):
    listed = EventFactory()
    EventFactory(visibility=Event.Visibility.MEMBERS)
    EventFactory(visibility=Event.Visibility.PRIVATE)
    EventFactory(status=Event.Status.DRAFT)
    EventFactory(status=Event.Status.CANCELLED)
    assert list(selectors.listed_events()) == [listed]


def test_the_public_sees_published_and_cancelled_events_not_drafts(db):
    assert selectors.event_for_public(EventFactory(slug="ok").slug) is not None
    assert selectors.event_for_public(
        EventFactory(slug="off", status=Event.Status.CANCELLED).slug) is not None
    for status in (Event.Status.DRAFT, Event.Status.SUBMITTED):
        event = EventFactory(status=status)
        assert selectors.event_for_public(event.slug) is None
    assert selectors.event_for_public("nothing-here") is None


def test_a_private_event_needs_its_key(db):
    event = EventFactory(visibility=Event.Visibility.PRIVATE)
    assert selectors.event_for_public(event.slug) is None
    assert selectors.event_for_public(event.slug, key="wrong") is None
    assert selectors.event_for_public(event.slug, key=event.private_key) == event
    members = EventFactory(visibility=Event.Visibility.MEMBERS)
    assert selectors.event_for_public(members.slug) == members


def test_event_counts_after_the_event_in_one_query(db, django_assert_num_queries):
    start = timezone.now() - datetime.timedelta(days=1)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    came = timezone.now() - datetime.timedelta(hours=23)
    status = Registration.Status
    RegistrationFactory(event=event, attended_at=came, first_time=True)
    RegistrationFactory(event=event, attended_at=came)
    RegistrationFactory(event=event)  # no-show
    RegistrationFactory(event=event, source=Registration.Source.WALK_IN, attended_at=came,
                        first_time=True)
    RegistrationFactory(event=event, source=Registration.Source.PAPER, attended_at=came)
    RegistrationFactory(event=event, status=status.WAITLISTED)
    RegistrationFactory(event=event, status=status.AWAITING)
    RegistrationFactory(event=event, status=status.CANCELLED)
    with django_assert_num_queries(1):
        stats = selectors.event_stats(event)
    assert stats == {"registered": 5, "waitlisted": 1, "awaiting": 1, "cancelled": 1,
                     "attended": 4, "no_shows": 1, "walk_ins": 2, "first_time": 2}


def test_no_shows_are_counted_only_once_the_event_is_over(db):
    event = EventFactory()
    RegistrationFactory(event=event)
    assert selectors.event_stats(event)["no_shows"] == 0
