"""The last seat, taken by two people at the same moment, goes to exactly one of them.

These run two registrations really at once, each thread on its own PostgreSQL
connection, started together by a barrier. SQLite runs one writer at a time, so there
is no race to test there.
"""

import threading

import pytest
from django.db import connection

from solidaire.events import services
from solidaire.events.models import Registration

from tests.factories import EventFactory


def race_for_the_last_seat(event, people=2):
    barrier = threading.Barrier(people)
    outcomes, errors = [], []

    def take_seat(n):
        try:
            barrier.wait(timeout=10)
            result = services.registration_create(
                event=event, chosen_name=f"Racer {n}", email=f"racer{n}@example.org",
                language="fr", token=f"race-{n}")
            outcomes.append(result.outcome)
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_seat, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(outcomes)


def skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at the same moment need PostgreSQL (SQLite runs one writer)")


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_one_gets_it_the_other_waits():
    skip_unless_postgresql()
    event = EventFactory(capacity=3, seats_taken=2)
    outcomes = race_for_the_last_seat(event)
    assert outcomes == [services.CONFIRMED, services.WAITLISTED]
    event.refresh_from_db()
    assert event.seats_taken == event.capacity == 3
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_without_waiting_list_one_is_told_it_is_full():
    skip_unless_postgresql()
    event = EventFactory(capacity=1, waitlist=False)
    outcomes = race_for_the_last_seat(event)
    assert outcomes == [services.CONFIRMED, services.FULL]
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_people_at_once_never_oversell_the_event():
    skip_unless_postgresql()
    event = EventFactory(capacity=5)
    outcomes = race_for_the_last_seat(event, people=12)
    assert outcomes.count(services.CONFIRMED) == 5
    assert outcomes.count(services.WAITLISTED) == 7
    event.refresh_from_db()
    assert event.seats_taken == 5
    assert Registration.objects.filter(event=event,
                                       status=Registration.Status.CONFIRMED).count() == 5
