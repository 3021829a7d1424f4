"""Reminder e-mails: once each, in each person's language, only to registered people."""

import datetime

import pytest
from django.utils import timezone

from solidaire.core.models import OutboxEmail
from solidaire.events import services, tasks
from solidaire.events.models import Event, Registration, ReminderSent

from tests.factories import EmailFactory, EventFactory, PersonFactory, RegistrationFactory

DAY, HOUR = 1440, 60


@pytest.fixture
def start():
    return (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)


def registrant(event, address, *, language="fr", status=Registration.Status.CONFIRMED,
               registered=None):
    person = PersonFactory(preferred_language=language)
    EmailFactory(person=person, address=address)
    registered = registered or event.starts_at - datetime.timedelta(days=5)
    return RegistrationFactory(event=event, person=person, language=language, status=status,
                               created_at=registered)


def reminders_to(address):
    return list(OutboxEmail.objects.filter(to=address, kind="events.registration_reminder"))


def at(event, minutes_before):
    return event.starts_at - datetime.timedelta(minutes=minutes_before)


def test_each_reminder_goes_once_even_when_the_sweep_runs_again(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registrant(event, "ana@example.org")
    registrant(event, "bea@example.org")
    assert services.reminders_send(now=at(event, DAY)) == 2
    assert services.reminders_send(now=at(event, DAY) + datetime.timedelta(minutes=1)) == 0
    assert len(reminders_to("ana@example.org")) == 1
    assert len(reminders_to("bea@example.org")) == 1
    assert ReminderSent.objects.filter(minutes_before=DAY).count() == 2


def test_the_hour_reminder_follows_the_day_one(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registrant(event, "ana@example.org")
    assert services.reminders_send(now=at(event, DAY + 5)) == 0  # not yet
    services.reminders_send(now=at(event, DAY))
    services.reminders_send(now=at(event, HOUR + 1))  # between the two: nothing new
    services.reminders_send(now=at(event, HOUR))
    services.reminders_send(now=at(event, 30))
    assert len(reminders_to("ana@example.org")) == 2
    assert sorted(ReminderSent.objects.values_list("minutes_before", flat=True)) == [HOUR, DAY]


def test_reminders_are_in_each_persons_language(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registrant(event, "fr@example.org", language="fr")
    registrant(event, "en@example.org", language="en")
    services.reminders_send(now=at(event, DAY))
    [french] = reminders_to("fr@example.org")
    [english] = reminders_to("en@example.org")
    assert french.language == "fr" and english.language == "en"
    assert event.title["fr"] in french.subject
    assert event.title["en"] in english.subject and event.title["fr"] not in english.subject
    # The date is written in the language: French day and month names.
    month_fr = {11: "novembre", 12: "décembre", 1: "janvier"}.get(event.local_start.month)
    if month_fr:
        assert month_fr in french.body_text
    assert "/fr/events/r/" in french.body_text and "/en/events/r/" in english.body_text


def test_no_reminder_to_people_who_cancelled_wait_or_await_approval(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registrant(event, "gone@example.org", status=Registration.Status.CANCELLED)
    registrant(event, "waiting@example.org", status=Registration.Status.WAITLISTED)
    registrant(event, "awaiting@example.org", status=Registration.Status.AWAITING)
    registrant(event, "seated@example.org")
    assert services.reminders_send(now=at(event, DAY)) == 1
    assert reminders_to("seated@example.org")
    assert not OutboxEmail.objects.exclude(to="seated@example.org").exists()


def test_someone_who_cancels_after_the_day_reminder_gets_no_hour_reminder(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registration = registrant(event, "ana@example.org")
    services.reminders_send(now=at(event, DAY))
    services.registration_cancel(registration=registration)
    services.reminders_send(now=at(event, HOUR))
    assert len(reminders_to("ana@example.org")) == 1


def test_no_day_reminder_to_someone_who_registered_two_hours_before(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registrant(event, "late@example.org", registered=at(event, 120))
    services.reminders_send(now=at(event, 119))
    assert reminders_to("late@example.org") == []
    services.reminders_send(now=at(event, HOUR))
    assert len(reminders_to("late@example.org")) == 1


def test_no_reminder_once_the_event_has_started_or_for_unpublished_events(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    cancelled = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                             status=Event.Status.CANCELLED)
    registrant(event, "ana@example.org")
    registrant(cancelled, "bea@example.org")
    assert services.reminders_send(now=start + datetime.timedelta(minutes=1)) == 0
    assert services.reminders_send(now=at(event, HOUR)) == 1
    assert reminders_to("bea@example.org") == []


def test_the_online_link_is_in_the_reminder(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                         format=Event.Format.ONLINE, online_url="https://meet.example.org/x")
    registrant(event, "ana@example.org", language="en")
    services.reminders_send(now=at(event, HOUR))
    assert "https://meet.example.org/x" in reminders_to("ana@example.org")[0].body_text


def test_configured_offsets_are_used(db, start):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                         reminders=[2 * DAY])
    registrant(event, "ana@example.org")
    assert services.reminders_send(now=at(event, DAY)) == 1
    assert ReminderSent.objects.get().minutes_before == 2 * DAY


def test_a_large_event_is_reminded_in_few_queries(db, start, django_assert_max_num_queries):
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    for n in range(30):
        registrant(event, f"p{n}@example.org")
    # Per person: the e-mail (with its savepoint); the ReminderSent rows go in one INSERT.
    with django_assert_max_num_queries(10 + 30 * 3):
        assert services.reminders_send(now=at(event, DAY)) == 30


def test_the_worker_sweep_sends_due_reminders(db):
    start = (timezone.now() + datetime.timedelta(minutes=30)).replace(microsecond=0)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    registrant(event, "ana@example.org")
    services._last_reminders = 0.0
    assert tasks.reminders_sweep() == 1
    assert len(reminders_to("ana@example.org")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_send_each_reminder_once():
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two writers at the same moment need PostgreSQL (SQLite runs one writer)")
    start = (timezone.now() + datetime.timedelta(minutes=30)).replace(microsecond=0)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    for n in range(40):
        registrant(event, f"p{n}@example.org")
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def sweep():
        try:
            barrier.wait(timeout=10)
            counts.append(services.reminders_send())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(counts) == 40
    assert OutboxEmail.objects.filter(kind="events.registration_reminder").count() == 40
    assert ReminderSent.objects.count() == 40
