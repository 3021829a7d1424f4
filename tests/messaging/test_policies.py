"""Who may edit audiences, make call lists and record calls, and the services refusing
the others (decision 0056)."""

import pytest

from solidaire.core.access import NotAllowed
from solidaire.core.models import OrganizerRole
from solidaire.messaging.calls import (
    call_list_create,
    call_list_delete,
    call_list_may_make,
    call_lists_editable_by,
    entry_may_record,
    entry_outcome_record,
)
from solidaire.messaging.models import Audience, CallEntry, CallList
from solidaire.messaging.selectors import audience_may_edit, audiences_editable_by
from solidaire.messaging.services import audience_delete, audience_save, audience_update

from tests.factories import PersonFactory, PhoneFactory, make_organizer
from tests.policies import EDITS, accounts, editable_names, placements


def _audience(placement, name="Audience"):
    return Audience.objects.create(name=name, organization=placement.organization,
                                   chapter=placement.chapter, definition={})


@pytest.mark.parametrize("account", sorted(EDITS))
def test_audiences_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items = {p.name: _audience(p) for p in placements(world)}
    by_pk = {audience.pk: name for name, audience in items.items()}
    assert editable_names(audiences_editable_by(user), by_pk) == EDITS[account]
    for name, audience in items.items():
        assert audience_may_edit(user, audience) is (name in EDITS[account])


def test_audience_services_refuse_who_may_not_edit_and_let_the_application_through(world):
    accounts(world)
    with pytest.raises(NotAllowed):
        audience_save(name="Tout", organization=world.centre, definition={},
                      actor=world.montreal_organizer)
    audience = audience_save(name="Tout", organization=world.centre, definition={})
    for actor in (world.montreal_organizer, world.other_coordinator, world.volunteer):
        with pytest.raises(NotAllowed):
            audience_update(audience=audience, name="Changé", definition={}, actor=actor)
        with pytest.raises(NotAllowed):
            audience_delete(audience=audience, actor=actor)
    assert Audience.objects.get(pk=audience.pk).name == "Tout"
    audience_update(audience=audience, name="Changé", definition={}, actor=world.coordinator)


@pytest.mark.parametrize("account", sorted(EDITS))
def test_call_lists_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items = {p.name: CallList.objects.create(name=p.name, organization=p.organization,
                                             chapter=p.chapter)
             for p in placements(world)}
    by_pk = {call_list.pk: name for name, call_list in items.items()}
    assert editable_names(call_lists_editable_by(user), by_pk) == EDITS[account]


def test_call_list_delete_refuses_who_may_not_edit_the_list(world):
    accounts(world)
    call_list = CallList.objects.create(name="Appels", organization=world.centre,
                                        chapter=world.montreal)
    for actor in (world.rimouski_organizer, world.volunteer, world.other_coordinator):
        with pytest.raises(NotAllowed):
            call_list_delete(call_list=call_list, actor=actor)
    assert CallList.objects.filter(pk=call_list.pk).exists()
    call_list_delete(call_list=call_list, actor=world.montreal_organizer)
    assert not CallList.objects.filter(pk=call_list.pk).exists()


def test_call_lists_are_made_by_organizers_for_what_they_see(world):
    accounts(world)
    chapter_audience = Audience.objects.create(name="BSL", organization=world.centre,
                                               chapter=world.bsl, definition={})
    everyone = Audience.objects.create(name="Tous", organization=world.centre, definition={})
    organizer = world.montreal_organizer
    assert call_list_may_make(organizer, organization=world.centre, chapter=world.cdn)
    # An organization-wide audience the chapter organizer sees makes an organization's list.
    assert call_list_may_make(organizer, organization=world.centre, audience=everyone)
    assert not call_list_may_make(organizer, organization=world.centre, chapter=world.bsl,
                                  audience=chapter_audience)
    assert not call_list_may_make(organizer, organization=world.other)
    for account in (world.volunteer, world.no_role):
        assert not call_list_may_make(account, organization=world.centre,
                                      chapter=world.montreal)
    assert call_list_may_make(world.coordinator, organization=world.centre,
                              chapter=world.bsl, audience=chapter_audience)


def test_call_list_create_refuses_a_volunteer_and_another_chapter(world):
    caller = make_organizer(role=OrganizerRole.Role.VOLUNTEER, username="caller",
                            chapters=[world.montreal])
    for actor, chapter in ((world.volunteer, world.montreal),
                           (world.rimouski_organizer, world.montreal)):
        with pytest.raises(NotAllowed):
            call_list_create(name="Non", organization=world.centre, chapter=chapter,
                             definition={}, callers=[caller], actor=actor)
    assert not CallList.objects.exists()


def test_calls_are_recorded_by_the_caller_or_an_organizer_who_sees_the_person(world):
    accounts(world)
    caller = make_organizer(role=OrganizerRole.Role.VOLUNTEER, username="caller",
                            chapters=[world.montreal])
    person = PersonFactory(home_chapter=world.montreal)
    PhoneFactory(person=person)
    call_list = call_list_create(name="Appels", organization=world.centre,
                                 chapter=world.montreal,
                                 definition={"chapters": [world.montreal.pk]},
                                 callers=[caller], actor=world.montreal_organizer)
    entry = CallEntry.objects.get(assignment__call_list=call_list)
    assert entry_may_record(caller, entry)
    assert entry_may_record(world.montreal_organizer, entry)
    assert entry_may_record(world.coordinator, entry)
    for outsider in (world.volunteer, world.rimouski_organizer, world.other_coordinator,
                     world.no_role):
        assert not entry_may_record(outsider, entry)
        with pytest.raises(NotAllowed):
            entry_outcome_record(entry=entry, outcome=CallEntry.Outcome.REACHED,
                                 actor=outsider)
    entry.refresh_from_db()
    assert entry.outcome == ""
    entry_outcome_record(entry=entry, outcome=CallEntry.Outcome.REACHED, actor=caller)
