"""A kind an app declares later works everywhere without a change to core or analytics:
it counts in the engagement digest when it is an action, and audiences ask the ledger
about it when the digest has no column for it (decision 0054)."""

import datetime

import pytest
from django.utils import timezone

from solidaire.analytics.engagement import engagement_check
from solidaire.analytics.models import Engagement
from solidaire.core import activity_kinds
from solidaire.core.activity_kinds import ActivityKind
from solidaire.core.services import activity_record
from solidaire.core.signals import ledger_changed
from solidaire.events.attendance import attendance_import
from solidaire.events.models import Event
from solidaire.messaging.audiences import audience_people
from solidaire.organize.forms.audiences import AudienceFilterForm

from tests.factories import EventFactory, PersonFactory


@pytest.fixture
def new_kinds(monkeypatch):
    """Two kinds a new app would declare: forgotten after the test."""
    monkeypatch.setattr(activity_kinds, "_KINDS", dict(activity_kinds._KINDS))
    shift = ActivityKind("shift.worked", "Worked a volunteer shift", counts_as_action=True)
    leaflet = ActivityKind("leaflet.received", "Received a leaflet")
    return shift, leaflet


def at(days_ago: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def day(days_ago: int) -> str:
    return timezone.localdate(at(days_ago)).isoformat()


def names(definition, user) -> set[str]:
    return set(audience_people(definition, user).values_list("chosen_name", flat=True))


@pytest.fixture
def volunteers(world, new_kinds):
    shift, leaflet = new_kinds
    for name, kind, days_ago in (("Ana", shift, 3), ("Bea", shift, 40), ("Cy", leaflet, 2),
                                 ("Dee", leaflet, 50)):
        person = PersonFactory(chosen_name=name, home_chapter=world.montreal)
        activity_record(person=person, kind=kind, occurred_at=at(days_ago))
    PersonFactory(chosen_name="Eve", home_chapter=world.montreal)  # did nothing
    return world


def test_a_new_kind_counts_in_the_digest_only_when_declared_an_action(volunteers):
    ana = Engagement.objects.get(person__chosen_name="Ana")
    assert ana.action_1_at is not None and ana.action_1_at == ana.last_activity_at
    cy = Engagement.objects.get(person__chosen_name="Cy")
    assert cy.action_1_at is None and cy.last_activity_at is not None
    assert engagement_check() == []
    user = volunteers.coordinator
    # "At least one action in 10 days": from the digest, and the same from the ledger.
    digest = {"actions": {"min": 1, "since": day(10)}}
    ledger = {"actions": {**digest["actions"], "until": timezone.localdate().isoformat()}}
    assert names(digest, user) == names(ledger, user) == {"Ana"}


@pytest.mark.parametrize("kind", ["shift.worked", "leaflet.received"])
def test_did_since_a_day_on_a_kind_without_a_digest_column_reads_the_ledger(volunteers, kind):
    user = volunteers.coordinator
    row = {"kind": kind, "since": day(10)}
    people = audience_people({"did": [row]}, user)
    sql = str(people.query)
    assert "core_activity" in sql and "analytics_engagement" not in sql
    expected, ever = {"shift.worked": ({"Ana"}, {"Ana", "Bea"}),
                      "leaflet.received": ({"Cy"}, {"Cy", "Dee"})}[kind]
    assert names({"did": [row]}, user) == expected
    until = {**row, "until": timezone.localdate().isoformat()}
    assert names({"did": [until]}, user) == expected
    assert names({"did_not": [row]}, user) == names({"did_not": [until]}, user)
    assert expected.isdisjoint(names({"did_not": [row]}, user))
    assert names({"did": [{"kind": kind}]}, user) == ever


def test_the_audience_form_offers_a_new_kind(world, new_kinds):
    form = AudienceFilterForm(user=world.coordinator)
    assert ("shift.worked", "Worked a volunteer shift") in form.fields["did_1_kind"].choices


def test_a_batch_of_ledger_rows_tells_the_digest_once(world):
    event = EventFactory(organization=world.centre, chapter=world.montreal,
                         format=Event.Format.ONLINE,
                         starts_at=datetime.datetime(2026, 11, 21, 19, tzinfo=datetime.UTC))
    report = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n" + "".join(
        f"P{n},p{n}@example.org,11/21/2026 07:00 PM,11/21/2026 08:00 PM,60\n" for n in range(5))
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    ledger_changed.connect(receiver)
    try:
        attendance_import(event=event, file=report.encode(), filename="zoom.csv", actor=None)
    finally:
        ledger_changed.disconnect(receiver)
    # One signal for the new people, one for their attendance: not one per row.
    assert len(sent) == 2
    assert all(len(s["person_ids"]) == 5 and not s["rows_removed"] for s in sent)
    assert Engagement.objects.filter(last_attended_at__isnull=False).count() == 5
    assert engagement_check() == []
