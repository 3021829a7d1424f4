"""Call lists: who is on them, how they are split, and the ledger rows of outcomes."""

import pytest

from solidaire.core.models import Activity, OrganizerRole
from solidaire.messaging.activities import CALL_BACK, CALL_REACHED
from solidaire.messaging.calls import (
    assignments_for,
    call_list_create,
    call_lists_visible_to,
    call_outcome_counts,
    entry_outcome_record,
    split_evenly,
)
from solidaire.messaging.models import Audience, CallEntry
from solidaire.people.models import Channel, ConsentMethod
from solidaire.people.services import consent_record

from tests.factories import CampaignFactory, PersonFactory, PhoneFactory, make_organizer

Outcome = CallEntry.Outcome


def callers(world, n):
    return [make_organizer(role=OrganizerRole.Role.VOLUNTEER, username=f"caller{i}",
                           chapters=[world.montreal]) for i in range(n)]


def montreal_people(world, n):
    people = [PersonFactory(chosen_name=f"Person {i:02d}", home_chapter=world.montreal)
              for i in range(n)]
    for person in people:
        PhoneFactory(person=person)
    return people


def make_list(world, *, callers, campaign=None, definition=None, actor=None):
    return call_list_create(
        name="Call day", organization=world.centre, chapter=world.montreal,
        campaign=campaign, definition=definition or {"chapters": [world.montreal.pk]},
        script={"en": "Hello", "fr": "Bonjour"}, callers=callers,
        actor=actor or world.montreal_organizer,
    )


def test_people_are_split_evenly_among_three_callers(world):
    people = montreal_people(world, 10)
    team = callers(world, 3)
    call_list = make_list(world, callers=team)
    sizes = [a.entries.count() for a in call_list.assignments.order_by("id")]
    assert sizes == [4, 3, 3]
    on_list = CallEntry.objects.filter(assignment__call_list=call_list)
    assert sorted(on_list.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    assert [a.caller for a in call_list.assignments.order_by("id")] == team


def test_split_evenly_sizes_differ_by_one_at_most():
    for n in range(0, 30):
        blocks = split_evenly(list(range(n)), 3)
        sizes = [len(b) for b in blocks]
        assert sum(sizes) == n and max(sizes) - min(sizes) <= 1
        assert [x for b in blocks for x in b] == list(range(n))


def test_people_without_a_phone_are_left_out(world):
    with_phone = montreal_people(world, 2)
    PersonFactory(chosen_name="No phone", home_chapter=world.montreal)
    call_list = make_list(world, callers=callers(world, 1))
    on_list = set(CallEntry.objects.filter(assignment__call_list=call_list)
                  .values_list("person_id", flat=True))
    assert on_list == {p.pk for p in with_phone} | ({world.in_montreal.pk} & on_list)
    assert world.in_montreal.pk not in on_list  # the world's people have no phone


def test_people_who_withdrew_phone_consent_are_left_out(world):
    keep, withdrew = montreal_people(world, 2)
    consent_record(person=withdrew, channel=Channel.PHONE, granted=True,
                   method=ConsentMethod.VERBAL)
    consent_record(person=withdrew, channel=Channel.PHONE, granted=False,
                   method=ConsentMethod.VERBAL)
    call_list = make_list(world, callers=callers(world, 1))
    assert list(CallEntry.objects.filter(assignment__call_list=call_list)
                .values_list("person_id", flat=True)) == [keep.pk]


def test_not_interested_on_an_earlier_list_of_the_campaign_are_left_out(world):
    campaign = CampaignFactory(organization=world.centre)
    first, second = montreal_people(world, 2)
    team = callers(world, 1)
    earlier = make_list(world, callers=team, campaign=campaign)
    entry = CallEntry.objects.get(assignment__call_list=earlier, person=first)
    entry_outcome_record(entry=entry, outcome=Outcome.NOT_INTERESTED, actor=team[0])
    again = make_list(world, callers=team, campaign=campaign)
    other_campaign = make_list(world, callers=team, campaign=CampaignFactory(
        organization=world.centre))
    assert list(CallEntry.objects.filter(assignment__call_list=again)
                .values_list("person_id", flat=True)) == [second.pk]
    assert CallEntry.objects.filter(assignment__call_list=other_campaign).count() == 2


def test_the_list_holds_only_people_in_the_makers_scope(world):
    montreal_people(world, 2)
    PhoneFactory(person=world.in_bsl)
    call_list = make_list(world, callers=callers(world, 1), definition={})
    person_ids = set(CallEntry.objects.filter(assignment__call_list=call_list)
                     .values_list("person_id", flat=True))
    assert world.in_bsl.pk not in person_ids and len(person_ids) == 2


def test_an_audience_gives_its_definition(world):
    people = montreal_people(world, 3)
    audience = Audience.objects.create(name="Montréal", organization=world.centre,
                                       chapter=world.montreal,
                                       definition={"chapters": [world.montreal.pk]})
    call_list = call_list_create(name="From audience", organization=world.centre,
                                 chapter=world.montreal, audience=audience,
                                 callers=callers(world, 2), actor=world.montreal_organizer)
    assert call_list.audience == audience
    assert CallEntry.objects.filter(assignment__call_list=call_list).count() == len(people)


def test_a_list_needs_a_caller(world):
    with pytest.raises(ValueError):
        make_list(world, callers=[])


def _ledger(person):
    return Activity.objects.filter(person=person, kind__startswith="call.")


def test_an_outcome_writes_one_ledger_row_of_the_right_kind_and_campaign(world):
    campaign = CampaignFactory(organization=world.centre)
    (person,) = montreal_people(world, 1)
    team = callers(world, 1)
    call_list = make_list(world, callers=team, campaign=campaign)
    entry = CallEntry.objects.get(assignment__call_list=call_list)
    entry = entry_outcome_record(entry=entry, outcome=Outcome.REACHED, actor=team[0])
    assert entry.outcome == Outcome.REACHED and entry.called_at is not None
    (row,) = _ledger(person)
    assert row.kind == CALL_REACHED
    assert row.campaign == campaign
    assert row.chapter == world.montreal
    assert (row.object_type.model, row.object_id) == ("calllist", call_list.pk)


def test_changing_the_outcome_keeps_one_ledger_row(world):
    (person,) = montreal_people(world, 1)
    team = callers(world, 1)
    call_list = make_list(world, callers=team)
    entry = CallEntry.objects.get(assignment__call_list=call_list)
    entry_outcome_record(entry=entry, outcome=Outcome.MESSAGE, actor=team[0])
    entry_outcome_record(entry=entry, outcome=Outcome.CALL_BACK, actor=team[0])
    assert list(_ledger(person).values_list("kind", flat=True)) == [CALL_BACK]
    entry_outcome_record(entry=entry, outcome="", actor=team[0])
    assert not _ledger(person).exists()
    assert CallEntry.objects.get(pk=entry.pk).called_at is None


def test_the_same_outcome_twice_is_harmless(world):
    (person,) = montreal_people(world, 1)
    team = callers(world, 1)
    entry = CallEntry.objects.get(assignment__call_list=make_list(world, callers=team))
    first = entry_outcome_record(entry=entry, outcome=Outcome.WRONG_NUMBER, actor=team[0])
    second = entry_outcome_record(entry=entry, outcome=Outcome.WRONG_NUMBER, actor=team[0])
    assert second.called_at == first.called_at
    assert _ledger(person).count() == 1


def test_a_person_on_two_lists_has_a_row_for_each(world):
    (person,) = montreal_people(world, 1)
    team = callers(world, 1)
    for call_list in (make_list(world, callers=team), make_list(world, callers=team)):
        entry = CallEntry.objects.get(assignment__call_list=call_list)
        entry_outcome_record(entry=entry, outcome=Outcome.REACHED, actor=team[0])
    assert _ledger(person).count() == 2


def test_call_outcome_counts_of_a_campaign(world):
    campaign = CampaignFactory(organization=world.centre)
    montreal_people(world, 3)
    team = callers(world, 1)
    call_list = make_list(world, callers=team, campaign=campaign)
    entries = list(CallEntry.objects.filter(assignment__call_list=call_list))
    entry_outcome_record(entry=entries[0], outcome=Outcome.REACHED, actor=team[0])
    entry_outcome_record(entry=entries[1], outcome=Outcome.REACHED, actor=team[0])
    entry_outcome_record(entry=entries[2], outcome=Outcome.NOT_INTERESTED, actor=team[0])
    counts = call_outcome_counts(campaign)
    assert counts[Outcome.REACHED] == 2 and counts[Outcome.NOT_INTERESTED] == 1
    assert counts[Outcome.MESSAGE] == 0
    assert call_outcome_counts(CampaignFactory(organization=world.centre))[Outcome.REACHED] == 0


def test_volunteers_see_no_call_lists_only_their_assignments(world):
    montreal_people(world, 2)
    call_list = make_list(world, callers=[world.volunteer, world.montreal_organizer])
    assert not call_lists_visible_to(world.volunteer).exists()
    assert list(assignments_for(world.volunteer)) == list(
        call_list.assignments.filter(caller=world.volunteer))
    assert call_lists_visible_to(world.montreal_organizer).get() == call_list
    assert call_lists_visible_to(world.coordinator).get() == call_list
    assert not call_lists_visible_to(world.rimouski_organizer).exists()
