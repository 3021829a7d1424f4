"""The engagement digest follows the ledger, and audiences read it with the same answers
as the ledger gives (decision 0029)."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from solidaire.advocacy.activities import TARGET_CALLED, TARGET_EMAILED
from solidaire.analytics.engagement import (
    engagement_check,
    engagement_rebuild,
    engagement_refresh,
)
from solidaire.analytics.models import Engagement
from solidaire.core.models import Activity
from solidaire.core.services import activity_record
from solidaire.events.activities import EVENT_ATTENDED, EVENT_REGISTERED
from solidaire.events.attendance import attendance_import
from solidaire.events.models import Event
from solidaire.events.services import attendance_mark, attendance_unmark
from solidaire.messaging.activities import CALL_MESSAGE, CALL_REACHED
from solidaire.messaging.audiences import audience_people
from solidaire.people.services import person_merge
from solidaire.petitions.activities import PETITION_SIGNED

from tests.factories import EventFactory, PersonFactory, RegistrationFactory


def at(days_ago: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def day(days_ago: int) -> str:
    return timezone.localdate(at(days_ago)).isoformat()


def record(person, kind, days_ago):
    return activity_record(person=person, kind=kind, occurred_at=at(days_ago))


def test_the_digest_keeps_the_ten_latest_actions_newest_first_and_each_kinds_latest(world):
    person = PersonFactory(chosen_name="Ana", home_chapter=world.montreal)
    for days_ago in range(1, 13):  # 12 signatures, 1 to 12 days ago
        record(person, PETITION_SIGNED, days_ago)
    record(person, EVENT_ATTENDED, 30)
    record(person, CALL_REACHED, 0.5)  # not an action of hers
    digest = Engagement.objects.get(person=person)
    assert digest.last_activity_at == Activity.objects.filter(
        kind=CALL_REACHED).get().occurred_at
    signed = list(Activity.objects.filter(kind=PETITION_SIGNED)
                  .order_by("-occurred_at").values_list("occurred_at", flat=True))
    assert [getattr(digest, f"action_{rank}_at") for rank in range(1, 11)] == signed[:10]
    assert digest.last_signed_at == signed[0]
    assert digest.last_attended_at == Activity.objects.get(
        kind=EVENT_ATTENDED).occurred_at
    assert digest.last_called_at is None
    assert engagement_check() == []


def test_every_way_of_writing_the_ledger_keeps_the_digest_in_step(world):
    ana = PersonFactory(chosen_name="Ana", home_chapter=world.montreal)
    bea = PersonFactory(chosen_name="Bea", home_chapter=world.montreal)
    record(ana, PETITION_SIGNED, 3)
    row = Activity.objects.create(person=bea, kind=TARGET_CALLED,
                                  occurred_at=at(2))  # the ORM, one row
    row.occurred_at = at(40)  # moved back in time
    row.save()
    assert Engagement.objects.get(person=bea).last_called_at == row.occurred_at
    row.delete()
    assert not Engagement.objects.filter(person=bea).exists()

    event = EventFactory(organization=world.centre, chapter=world.montreal,
                         format=Event.Format.ONLINE,
                         starts_at=datetime.datetime(2026, 11, 21, 19, tzinfo=datetime.UTC))
    registration = RegistrationFactory(event=event, person=bea)
    attendance_mark(registration=registration, source="checkin")
    assert Engagement.objects.get(person=bea).last_attended_at is not None
    attendance_unmark(registration=registration)
    assert not Engagement.objects.filter(person=bea).exists()  # her only ledger row

    report = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
              "Carla New,carla@example.org,11/21/2026 07:00 PM,11/21/2026 08:00 PM,60\n")
    attendance_import(event=event, file=report.encode(), filename="zoom.csv", actor=None)
    carla = Activity.objects.get(kind=EVENT_ATTENDED).person
    assert Engagement.objects.get(person=carla).last_attended_at is not None

    person_merge(keep=ana, remove=bea)
    assert not Engagement.objects.filter(person_id=bea.pk).exists()
    assert engagement_check() == []

    # Bulk writes outside the services must refresh; until then the check says who.
    Activity.objects.filter(person=ana).update(occurred_at=at(100))
    assert engagement_check() == [ana.pk]
    engagement_refresh([ana.pk])
    assert engagement_check() == []


def test_rebuild_gives_what_the_writes_gave_and_the_command_checks(world, capsys):
    people = [PersonFactory(home_chapter=world.montreal) for _ in range(4)]
    for n, person in enumerate(people):
        for days_ago in range(n * 3):
            record(person, TARGET_EMAILED, days_ago + n)
    before = list(Engagement.objects.order_by("pk").values())
    assert engagement_rebuild() == 3  # the first person has no ledger row
    assert list(Engagement.objects.order_by("pk").values()) == before
    call_command("engagement", "check")
    Engagement.objects.filter(person=people[2]).delete()
    with pytest.raises(CommandError, match=str(people[2].pk)):
        call_command("engagement", "check")
    call_command("engagement", "rebuild")
    assert "3" in capsys.readouterr().out
    assert engagement_check() == []


@pytest.fixture
def active_world(world):
    """People with 0 to 7 actions spread over 200 days, and kinds of every sort."""
    kinds = [PETITION_SIGNED, EVENT_ATTENDED,
             TARGET_CALLED, EVENT_REGISTERED]
    for n in range(8):
        person = PersonFactory(chosen_name=f"P{n}", home_chapter=world.montreal)
        for i in range(n):
            record(person, kinds[(n + i) % len(kinds)], days_ago=(n * 17 + i * 29) % 200 + 0.5)
        if n % 3 == 0:
            record(person, CALL_MESSAGE, days_ago=n * 11 + 0.5)
    return world


def names(definition, user):
    return set(audience_people(definition, user).values_list("chosen_name", flat=True))


# A period "until today" is the same period as "from then on" (nothing is in the future),
# but with an end it is answered from the ledger rather than the digest.


@pytest.mark.parametrize(("low", "high", "since"), [
    (1, None, 30), (2, None, 90), (4, None, 200), (3, 5, 120), (None, 0, 60),
    (None, 2, 365), (10, None, 365), (1, None, None), (None, 12, 90), (11, None, 365),
])
def test_number_of_actions_from_the_digest_equals_the_ledger(active_world, low, high, since):
    user = active_world.coordinator
    digest = {"actions": {"min": low, "max": high, "since": day(since) if since else ""}}
    ledger = {"actions": {**digest["actions"],
                          "until": timezone.localdate().isoformat()}}
    assert names(digest, user) == names(ledger, user)


@pytest.mark.parametrize("kind", ["", EVENT_ATTENDED, TARGET_CALLED,
                                  CALL_MESSAGE])
@pytest.mark.parametrize("since", [None, 20, 100])
def test_did_and_did_not_from_the_digest_equal_the_ledger(active_world, kind, since):
    user = active_world.coordinator
    row = {"kind": kind, "since": day(since) if since else ""}
    until = {**row, "until": timezone.localdate().isoformat()}
    assert names({"did": [row]}, user) == names({"did": [until]}, user)
    assert names({"did_not": [row]}, user) == names({"did_not": [until]}, user)


def test_last_activity_from_the_digest(active_world):
    user = active_world.coordinator
    everyone = names({}, user)
    cutoff = timezone.localdate(at(50))
    start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    recent = {name for name in everyone if Activity.objects.filter(
        person__chosen_name=name, occurred_at__gte=start).exists()}
    assert names({"last_activity": {"after": cutoff.isoformat()}}, user) == recent
    assert names({"last_activity": {"before": cutoff.isoformat()}}, user) == everyone - recent
