"""The organizer-side writes about events: series submissions, approval, follow-ups."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from solidaire.core.models import OutboxEmail
from solidaire.events import editing
from solidaire.events.models import Event, FollowUp, Registration

from tests.factories import (
    EmailFactory,
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    SeriesFactory,
)


def new_event(world, actor, **fields):
    start = timezone.now() + datetime.timedelta(days=3)
    arguments = {
        "actor": actor, "organization": world.centre, "chapter": world.montreal,
        "slug": "local", "title": {"fr": "Rassemblement"}, "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=1), "status": Event.Status.PUBLISHED,
    }
    arguments.update(fields)
    return editing.event_create(**arguments)


def test_a_chapter_organizers_event_in_a_series_is_submitted(world):
    series = SeriesFactory(organization=world.centre)
    event = new_event(world, world.montreal_organizer, series=series)
    assert event.status == Event.Status.SUBMITTED
    # Editing it again does not publish it.
    event = editing.event_update(actor=world.montreal_organizer, event=event,
                                 status=Event.Status.PUBLISHED, city="Montréal")
    assert event.status == Event.Status.SUBMITTED


def test_a_series_closed_to_submissions_refuses_a_chapter_event(world):
    series = SeriesFactory(organization=world.centre, accepts_submissions=False)
    with pytest.raises(PermissionDenied):
        new_event(world, world.montreal_organizer, series=series)
    assert not Event.objects.exists()


def test_only_a_coordinator_of_the_series_organization_approves(world):
    series = SeriesFactory(organization=world.centre)
    event = new_event(world, world.montreal_organizer, series=series)
    for outsider in (world.montreal_organizer, world.rimouski_organizer):
        with pytest.raises(PermissionDenied):
            editing.event_approve(actor=outsider, event=event)
    event = editing.event_approve(actor=world.coordinator, event=event)
    assert event.status == Event.Status.PUBLISHED


def test_a_rejected_event_goes_back_to_draft_and_can_be_resubmitted(world):
    series = SeriesFactory(organization=world.centre)
    event = new_event(world, world.montreal_organizer, series=series)
    event = editing.event_reject(actor=world.coordinator, event=event)
    assert event.status == Event.Status.DRAFT
    event = editing.event_submit(actor=world.montreal_organizer, event=event)
    assert event.status == Event.Status.SUBMITTED


def test_a_follow_up_with_the_same_key_is_sent_once(world):
    event = EventFactory(organization=world.centre,
                         starts_at=timezone.now() - datetime.timedelta(hours=2),
                         ends_at=timezone.now() - datetime.timedelta(hours=1))
    person = PersonFactory(preferred_language="en")
    EmailFactory(person=person)
    RegistrationFactory(event=event, person=person, attended_at=timezone.now())
    arguments = {"event": event, "audience": FollowUp.Audience.ATTENDED,
                 "subject": {"en": "Thanks"}, "body": {"en": "See you soon."},
                 "token": "once", "actor": world.coordinator}
    first = editing.follow_up_send(**arguments)
    second = editing.follow_up_send(**arguments)
    assert first.pk == second.pk and first.recipients == 1
    assert OutboxEmail.objects.filter(kind="event.follow_up").count() == 1


def test_a_follow_up_is_refused_before_the_event(world):
    event = EventFactory(organization=world.centre)
    with pytest.raises(ValueError):
        editing.follow_up_send(event=event, audience="attended", subject={"en": "x"},
                               body={"en": "y"}, token="t", actor=world.coordinator)
    assert not FollowUp.objects.exists()


def test_no_shows_are_confirmed_people_who_did_not_come(world):
    event = EventFactory(organization=world.centre)
    absent = RegistrationFactory(event=event)
    RegistrationFactory(event=event, attended_at=timezone.now())
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    assert list(editing.follow_up_audience(event, "no_shows")) == [absent]


def _register(event, n):
    from solidaire.events import services

    return services.registration_create(
        event=event, chosen_name=f"Person {n}", email=f"p{n}@example.org", language="fr",
        token=f"key-{event.pk}-{n}").registration


def test_publishing_again_seats_the_waiting_list_before_anyone_new_registers(world):
    from solidaire.events import services

    event = EventFactory(organization=world.centre, chapter=world.montreal, capacity=1)
    seated, waiting = _register(event, 1), _register(event, 2)
    event = editing.event_update(actor=world.coordinator, event=event,
                                 status=Event.Status.DRAFT)
    # Cancelled while the event is a draft: nobody is seated then.
    assert services.registration_cancel(registration=seated) == []
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITLISTED

    event = editing.event_update(actor=world.coordinator, event=event,
                                 status=Event.Status.PUBLISHED)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert OutboxEmail.objects.filter(to="p2@example.org",
                                      kind="events.registration_promoted").exists()
    assert _register(event, 3).status == Registration.Status.WAITLISTED


def test_approving_a_submitted_event_seats_its_waiting_list(world):
    from solidaire.events import services

    series = SeriesFactory(organization=world.centre)
    event = EventFactory(organization=world.centre, chapter=world.montreal, series=series,
                         capacity=1)
    seated, waiting = _register(event, 1), _register(event, 2)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.SUBMITTED)
    services.registration_cancel(registration=seated)
    editing.event_approve(actor=world.coordinator, event=event)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
