"""Registering, cancelling, the waiting list, members-only events, attendance, walk-ins."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from solidaire.core.models import Activity, OutboxEmail
from solidaire.events import services
from solidaire.events.activities import EVENT_ATTENDED, EVENT_REGISTERED
from solidaire.events.models import Event, Registration
from solidaire.people.models import Person

from tests.factories import EventFactory, PersonFactory, RegistrationFactory


def register(event, n, *, language="fr", **kwargs):
    values = {"chosen_name": f"Person {n}", "email": f"p{n}@example.org", "language": language,
              "token": f"key-{event.pk}-{n}"}
    values.update(kwargs)
    return services.registration_create(event=event, **values)


def emails_to(address):
    return list(OutboxEmail.objects.filter(to=address).order_by("id"))


def test_registering_takes_a_seat_and_sends_a_confirmation_with_a_calendar_file(db):
    event = EventFactory(capacity=10)
    result = register(event, 1, consent_email=True)
    assert result.outcome == services.CONFIRMED
    assert result.registration.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.seats_taken == 1
    person = result.person
    assert person.source == "event" and person.consent_email is True
    [email] = emails_to("p1@example.org")
    assert email.kind == "events.registration_confirmed"
    assert event.title["fr"] in email.subject
    assert services.registration_url(result.registration) in email.body_text
    assert "/fr/events/r/" in email.body_text
    [attachment] = email.attachments
    assert attachment["filename"] == "event.ics"
    cal = icalendar.Calendar.from_ical(attachment["content"])
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["summary"]) == event.title["fr"]
    assert vevent.decoded("dtstart") == event.starts_at
    assert Activity.objects.filter(person=person, kind=EVENT_REGISTERED).count() == 1


def test_the_confirmation_is_in_the_language_the_person_registered_in(db):
    event = EventFactory()
    register(event, 1, language="en")
    [email] = emails_to("p1@example.org")
    assert email.language == "en"
    assert event.title["en"] in email.subject
    assert "/en/events/r/" in email.body_text


def test_the_online_link_goes_only_to_registered_people(db):
    event = EventFactory(format=Event.Format.ONLINE, online_url="https://meet.example.org/abc",
                         online_details="Code 1234", capacity=1)
    register(event, 1)
    register(event, 2)  # waiting list
    [confirmed] = emails_to("p1@example.org")
    [waiting] = emails_to("p2@example.org")
    assert "https://meet.example.org/abc" in confirmed.body_text
    assert "Code 1234" in confirmed.body_text
    assert "meet.example.org/abc" in confirmed.attachments[0]["content"]
    assert waiting.kind == "events.registration_waitlisted"
    assert "meet.example.org" not in waiting.body_text
    assert waiting.attachments == []


def test_a_full_event_puts_people_on_the_waiting_list_and_never_oversells(db):
    event = EventFactory(capacity=2)
    outcomes = [register(event, n).outcome for n in range(4)]
    assert outcomes == [services.CONFIRMED, services.CONFIRMED, services.WAITLISTED,
                        services.WAITLISTED]
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_a_full_event_without_waiting_list_stores_nothing(db):
    event = EventFactory(capacity=1, waitlist=False)
    register(event, 1)
    result = register(event, 2)
    assert result.outcome == services.FULL and result.registration is None
    assert Registration.objects.filter(event=event).count() == 1
    assert emails_to("p2@example.org") == []
    assert not Person.objects.filter(emails__address="p2@example.org").exists()


def test_a_cancellation_gives_the_seat_to_the_oldest_on_the_waiting_list_in_their_language(db):
    event = EventFactory(capacity=1)
    first = register(event, 1).registration
    older = register(event, 2, language="en").registration
    register(event, 3)
    promoted = services.registration_cancel(registration=first)
    assert [r.pk for r in promoted] == [older.pk]
    older.refresh_from_db()
    assert older.status == Registration.Status.CONFIRMED
    first.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED and first.status_changed_at
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert Registration.objects.get(person__emails__address="p3@example.org").status == \
        Registration.Status.WAITLISTED
    seat_email = emails_to("p2@example.org")[-1]
    assert seat_email.kind == "events.registration_promoted"
    assert seat_email.language == "en"
    assert event.title["en"] in seat_email.subject
    assert seat_email.attachments[0]["filename"] == "event.ics"


def test_cancelling_twice_changes_nothing_the_second_time(db):
    event = EventFactory(capacity=5)
    registration = register(event, 1).registration
    services.registration_cancel(registration=registration)
    assert services.registration_cancel(registration=registration) == []
    event.refresh_from_db()
    assert event.seats_taken == 0


def test_raising_the_capacity_seats_the_waiting_list(db):
    event = EventFactory(capacity=1)
    register(event, 1)
    register(event, 2)
    register(event, 3)
    promoted = services.event_capacity_set(event=event, capacity=2)
    assert len(promoted) == 1
    event.refresh_from_db()
    assert event.capacity == 2 and event.seats_taken == 2


def test_a_replayed_form_registers_once(db):
    event = EventFactory()
    first = register(event, 1)
    again = register(event, 1)
    assert again.outcome == services.REPLAY
    assert again.registration.pk == first.registration.pk
    assert Registration.objects.filter(event=event).count() == 1
    assert len(emails_to("p1@example.org")) == 1


def test_registering_again_with_another_form_says_already(db):
    event = EventFactory()
    first = register(event, 1)
    again = register(event, 1, token="another-key")
    assert again.outcome == services.ALREADY
    assert again.registration.pk == first.registration.pk
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_someone_who_cancelled_can_register_again_on_the_same_row(db):
    event = EventFactory(capacity=3)
    first = register(event, 1).registration
    services.registration_cancel(registration=first)
    again = register(event, 1, token="second-try")
    assert again.outcome == services.CONFIRMED
    assert again.registration.pk == first.pk
    event.refresh_from_db()
    assert event.seats_taken == 1


@pytest.mark.parametrize("change", [
    {"status": Event.Status.DRAFT}, {"status": Event.Status.CANCELLED},
    {"registration_open": False},
])
def test_closed_events_take_no_registration(db, change):
    event = EventFactory(**change)
    result = register(event, 1)
    assert result.outcome == services.CLOSED
    assert not Registration.objects.exists()
    assert not Person.objects.filter(emails__address="p1@example.org").exists()


def test_an_event_that_is_over_takes_no_registration(db):
    start = timezone.now() - datetime.timedelta(hours=3)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    assert register(event, 1).outcome == services.CLOSED


def test_members_only_an_unknown_person_waits_for_approval_without_a_seat(world):
    event = EventFactory(organization=world.centre, visibility=Event.Visibility.MEMBERS,
                         capacity=5)
    result = register(event, 1)
    assert result.outcome == services.AWAITING
    event.refresh_from_db()
    assert event.seats_taken == 0
    assert emails_to("p1@example.org")[0].kind == "events.registration_awaiting"
    decided = services.registration_decide(registration=result.registration, approve=True,
                                           actor=world.coordinator)
    assert decided.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert emails_to("p1@example.org")[-1].kind == "events.registration_confirmed"


def test_members_only_a_person_of_the_organization_gets_a_seat(world):
    from tests.factories import EmailFactory

    EmailFactory(person=world.in_montreal, address="ana@example.org")
    event = EventFactory(organization=world.centre, visibility=Event.Visibility.MEMBERS)
    result = services.registration_create(event=event, chosen_name="Ana",
                                          email="ana@example.org", language="fr", token="k")
    assert result.outcome == services.CONFIRMED
    assert result.person == world.in_montreal
    assert result.registration.first_time is True  # nothing on the ledger yet


def test_members_only_declining_cancels_and_says_so_politely(world):
    event = EventFactory(organization=world.centre, visibility=Event.Visibility.MEMBERS)
    result = register(event, 1, language="en")
    decided = services.registration_decide(registration=result.registration, approve=False,
                                           actor=world.coordinator)
    assert decided.status == Registration.Status.CANCELLED
    assert emails_to("p1@example.org")[-1].kind == "events.registration_declined"


def test_first_time_is_false_for_someone_who_has_acted_before(db):
    earlier = EventFactory()
    first = register(earlier, 1).registration
    assert first.first_time is True
    later = EventFactory(organization=earlier.organization)  # the same organization's list
    again = register(later, 1)
    assert again.registration.first_time is False
    assert again.person == first.person


def test_attendance_is_recorded_once_with_one_ledger_row(world):
    event = EventFactory(organization=world.centre, chapter=world.montreal)
    registration = register(event, 1).registration
    assert services.attendance_mark(registration=registration, source="check_in",
                                    actor=world.montreal_organizer) is True
    assert services.attendance_mark(registration=registration, source="check_in") is False
    registration.refresh_from_db()
    assert registration.attended and registration.checked_in_by == world.montreal_organizer
    rows = Activity.objects.filter(person=registration.person, kind=EVENT_ATTENDED)
    assert rows.count() == 1
    assert rows.get().occurred_at == event.starts_at


def test_a_mistaken_check_in_can_be_undone(db):
    event = EventFactory()
    registration = register(event, 1).registration
    services.attendance_mark(registration=registration, source="check_in")
    assert services.attendance_unmark(registration=registration) is True
    registration.refresh_from_db()
    assert not registration.attended and registration.attendance_source == ""
    assert not Activity.objects.filter(kind=EVENT_ATTENDED).exists()
    assert services.attendance_unmark(registration=registration) is False


def test_a_walk_in_is_registered_and_present_even_when_the_event_is_full(world):
    event = EventFactory(organization=world.centre, chapter=world.montreal, capacity=1)
    register(event, 1)
    result = services.walk_in_add(event=event, chosen_name="Walk In", phone="514-555-0199",
                                  language="fr", actor=world.montreal_organizer)
    assert result.outcome == services.CONFIRMED
    registration = result.registration
    registration.refresh_from_db()
    assert registration.source == Registration.Source.WALK_IN
    assert registration.attendance_source == Registration.Attendance.CHECK_IN
    assert registration.first_time is True
    event.refresh_from_db()
    assert event.seats_taken == 2
    assert Activity.objects.filter(person=result.person,
                                   kind=EVENT_ATTENDED).count() == 1


def test_a_walk_in_already_registered_is_just_checked_in(db):
    event = EventFactory()
    first = register(event, 1).registration
    result = services.walk_in_add(event=event, chosen_name="Person 1", email="p1@example.org",
                                  language="fr", source=Registration.Source.PAPER)
    assert result.outcome == services.ALREADY
    assert result.registration.pk == first.pk
    first.refresh_from_db()
    assert first.attendance_source == Registration.Attendance.PAPER
    assert Registration.objects.filter(event=event).count() == 1


def test_a_waitlisted_person_who_comes_anyway_takes_a_seat_when_checked_in(db):
    event = EventFactory(capacity=1)
    register(event, 1)
    waiting = register(event, 2).registration
    services.attendance_mark(registration=waiting, source="check_in")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_registrations_made_by_factory_and_service_share_the_person_ledger(db):
    person = PersonFactory()
    registration = RegistrationFactory(person=person)
    services.attendance_mark(registration=registration, source="import", minutes_online=42)
    registration.refresh_from_db()
    assert registration.minutes_online == 42
    assert Activity.objects.filter(person=person, kind=EVENT_ATTENDED).exists()


def test_a_person_who_cancels_can_be_told_it_is_done_in_their_language(db):
    event = EventFactory()
    registration = register(event, 1, language="en").registration
    services.registration_cancel(registration=registration, notify=True)
    email = emails_to("p1@example.org")[-1]
    assert email.kind == "events.registration_cancelled"
    assert email.language == "en" and event.title["en"] in email.subject
