"""The ledger's kinds are declared by the apps that write them; core only keeps the
register (decision 0054)."""

import copy
import pickle

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from solidaire.core import activity_kinds
from solidaire.core.activity_kinds import (
    ActivityKind,
    action_kinds,
    kind_choices,
    kind_get,
    kind_label,
    kinds,
)
from solidaire.core.models import Activity
from solidaire.core.services import activity_record
from solidaire.core.signals import ledger_changed
from solidaire.events.activities import EVENT_ATTENDED
from solidaire.people.activities import PERSON_CREATED
from solidaire.petitions.activities import PETITION_SIGNED

from tests.factories import PersonFactory


@pytest.fixture
def register(monkeypatch):
    """Kinds created in the test are forgotten after it."""
    monkeypatch.setattr(activity_kinds, "_KINDS", dict(activity_kinds._KINDS))


def test_every_kind_the_ledger_held_before_is_declared_with_its_label():
    values = {kind.value for kind in kinds()}
    assert values == {
        "person.created", "committee.joined", "committee.left", "chapter.requested",
        "petition.signed", "signon.endorsed", "target.called", "target.emailed",
        "event.registered", "event.attended", "call.reached", "call.message",
        "call.wrong_number", "call.call_back", "call.not_interested"}
    with translation.override("en"):
        assert kind_label("petition.signed") == "Signed a petition"
    with translation.override("fr"):
        assert kind_label("petition.signed") == "A signé une pétition"
    assert set(action_kinds()) == {
        "petition.signed", "signon.endorsed", "target.called", "target.emailed",
        "event.registered", "event.attended", "committee.joined", "chapter.requested"}


def test_kinds_come_in_the_order_of_the_apps_then_of_their_declaration():
    order = [kind.value for kind in kinds()]
    assert order.index("person.created") < order.index("petition.signed")
    assert order.index("petition.signed") < order.index("signon.endorsed")
    assert order.index("target.called") < order.index("event.registered")
    assert order.index("event.registered") < order.index("event.attended")
    assert order.index("event.attended") < order.index("call.reached")


def test_a_kind_is_its_value_wherever_a_value_goes(world):
    assert PETITION_SIGNED == "petition.signed" and PETITION_SIGNED.value == "petition.signed"
    assert type(PETITION_SIGNED.value) is str
    # Copied or pickled (form choices are deep-copied), it becomes the plain value.
    pickled = pickle.loads(pickle.dumps(PETITION_SIGNED))  # noqa: S301 -- our own bytes
    for copied in (copy.deepcopy(PETITION_SIGNED), pickled):
        assert copied == "petition.signed" and type(copied) is str
    person = PersonFactory(home_chapter=world.montreal)
    row = activity_record(person=person, kind=EVENT_ATTENDED)
    assert Activity.objects.get(pk=row.pk).kind == "event.attended"
    assert Activity.objects.filter(kind=EVENT_ATTENDED).count() == 1
    with translation.override("en"):
        assert str(Activity.objects.get(pk=row.pk)).startswith("Attended an event (")


def test_a_kind_an_app_adds_gets_a_label_and_a_choice_without_touching_core(register):
    shift = ActivityKind("shift.worked", "Worked a volunteer shift", counts_as_action=True)
    assert kind_get("shift.worked") is shift
    assert ("shift.worked", "Worked a volunteer shift") in kind_choices()
    assert kind_label("shift.worked") == "Worked a volunteer shift"
    assert "shift.worked" in action_kinds()
    ActivityKind("leaflet.received", "Received a leaflet")
    assert "leaflet.received" not in action_kinds()


def test_a_value_declared_twice_or_too_long_is_refused(register):
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        ActivityKind("petition.signed", "Signed again")
    with pytest.raises(ImproperlyConfigured):
        ActivityKind("x" * 41, "Too long")
    with pytest.raises(ImproperlyConfigured):
        ActivityKind("", "Nothing")


def test_rows_of_a_kind_no_app_declares_still_show_their_value(world):
    person = PersonFactory(home_chapter=world.montreal)
    row = Activity.objects.create(person=person, kind="removed.app")
    assert row.get_kind_display() == "removed.app"
    assert kind_label("removed.app") == "removed.app"


def test_activity_record_refuses_an_undeclared_kind(world):
    person = PersonFactory(home_chapter=world.montreal)
    with pytest.raises(ValueError, match="not a declared kind"):
        activity_record(person=person, kind="petition.sigend")


def test_writing_the_ledger_sends_ledger_changed_with_its_people(world):
    ana = PersonFactory(home_chapter=world.montreal)
    bea = PersonFactory(home_chapter=world.montreal)
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    ledger_changed.connect(receiver)
    try:
        row = activity_record(person=ana, kind=PERSON_CREATED)
        row.person = bea
        row.save()
        row.delete()
    finally:
        ledger_changed.disconnect(receiver)
    assert [(s["person_ids"], s["rows_removed"]) for s in sent] == [
        (frozenset({ana.pk}), False), (frozenset({ana.pk, bea.pk}), True),
        (frozenset({bea.pk}), True)]
