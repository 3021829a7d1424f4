"""Who may change a person's record, merge records, set a status, decide on duplicates and
imports, and the services refusing the others (decision 0056)."""

import pytest

from solidaire.core.access import NotAllowed
from solidaire.people.duplicates import (
    duplicate_mark_distinct,
    duplicate_merge,
    duplicate_pair_may_decide,
    duplicates_scan,
)
from solidaire.people.importing.selectors import import_may_manage, imports_may_create
from solidaire.people.importing.services import (
    person_import_create,
    person_import_report_downloaded,
)
from solidaire.people.models import DuplicatePair, Person, PersonStatus, Suggestion
from solidaire.people.selectors import people_editable_by, person_may_edit, person_may_place
from solidaire.people.services import (
    person_merge,
    person_update,
    status_clear,
    status_read,
    status_set,
    suggestion_apply,
    suggestion_dismiss,
)

from tests.factories import PersonFactory
from tests.policies import EDITS, accounts, editable_names, placements


def _one_each(world):
    """A person at each placement: a chapter's people, or an organization's without one."""
    items = {p.name: PersonFactory(organization=p.organization, home_chapter=p.chapter)
             for p in placements(world)}
    return items, {item.pk: name for name, item in items.items()}


@pytest.mark.parametrize("account", sorted(EDITS))
def test_people_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items, by_pk = _one_each(world)
    assert editable_names(people_editable_by(user), by_pk) == EDITS[account]
    for name, person in items.items():
        assert person_may_edit(user, person) is (name in EDITS[account])


@pytest.mark.parametrize("account", sorted(EDITS))
def test_a_person_is_placed_only_where_the_account_would_still_see_them(world, account):
    user = accounts(world)[account]
    for placement in placements(world):
        assert person_may_place(user, organization=placement.organization,
                                home_chapter=placement.chapter) is (
            placement.name in EDITS[account])


def test_person_update_refuses_who_does_not_see_the_person(world):
    accounts(world)
    for actor in (world.rimouski_organizer, world.other_coordinator, world.volunteer,
                  world.no_role):
        with pytest.raises(NotAllowed):
            person_update(person=world.in_cdn, actor=actor, sector="Agriculture")
    assert Person.objects.get(pk=world.in_cdn.pk).sector == ""
    person_update(person=world.in_cdn, actor=world.montreal_organizer, sector="Agriculture")
    person_update(person=world.in_cdn, sector="Soins")  # the application itself
    assert Person.objects.get(pk=world.in_cdn.pk).sector == "Soins"


def test_person_update_refuses_a_home_chapter_the_account_would_not_see(world):
    person = world.in_cdn
    for chapter in (world.bsl, None):  # none: only coordinators keep people without one
        with pytest.raises(NotAllowed):
            person_update(person=person, actor=world.montreal_organizer, home_chapter=chapter)
    assert Person.objects.get(pk=person.pk).home_chapter == world.cdn
    person_update(person=person, actor=world.montreal_organizer, home_chapter=world.montreal)
    person_update(person=person, actor=world.coordinator, home_chapter=None)
    assert Person.objects.get(pk=person.pk).home_chapter is None


def test_person_merge_needs_both_records_in_scope(world):
    in_bsl = PersonFactory(home_chapter=world.bsl)
    for keep, remove in ((world.in_montreal, in_bsl), (in_bsl, world.in_montreal)):
        with pytest.raises(NotAllowed):
            person_merge(keep=keep, remove=remove, actor=world.montreal_organizer)
    assert Person.objects.filter(pk__in=[in_bsl.pk, world.in_montreal.pk]).count() == 2
    person_merge(keep=world.in_montreal, remove=world.in_cdn, actor=world.montreal_organizer)
    assert not Person.objects.filter(pk=world.in_cdn.pk).exists()


def test_suggestions_are_decided_only_by_who_sees_the_person(world):
    suggestion = Suggestion.objects.create(person=world.in_bsl, field="sector",
                                           value="Pêche")
    for decide in (suggestion_apply, suggestion_dismiss):
        with pytest.raises(NotAllowed):
            decide(suggestion=suggestion, actor=world.montreal_organizer)
    assert Suggestion.objects.filter(pk=suggestion.pk).exists()
    suggestion_apply(suggestion=suggestion, actor=world.rimouski_organizer)
    assert Person.objects.get(pk=world.in_bsl.pk).sector == "Pêche"


def test_a_status_is_set_and_read_only_for_people_in_scope(world, settings, tmp_path):
    settings.FIELD_KEYS_FILE = tmp_path / "keys.json"
    for user in (world.montreal_organizer, world.coordinator):
        role = user.organizer_role
        role.status_access = True
        role.save(update_fields=["status_access"])
    with pytest.raises(NotAllowed):
        status_set(person=world.in_bsl, actor=world.montreal_organizer,
                   category="closed_work_permit")
    assert not PersonStatus.objects.exists()
    status_set(person=world.in_bsl, actor=world.coordinator, category="closed_work_permit")
    with pytest.raises(NotAllowed):
        status_read(person=world.in_bsl, actor=world.montreal_organizer)
    with pytest.raises(NotAllowed):
        status_clear(person=world.in_bsl, actor=world.montreal_organizer)
    assert status_read(person=world.in_bsl, actor=world.coordinator).category == (
        "closed_work_permit")


def test_duplicates_are_decided_by_who_sees_both_records(world):
    a = PersonFactory(chosen_name="Ana Lima", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Ana Lima", home_chapter=world.bsl)
    duplicates_scan()
    pair = DuplicatePair.objects.get()
    assert duplicate_pair_may_decide(world.coordinator, pair)
    for actor in (world.montreal_organizer, world.rimouski_organizer, world.volunteer, None):
        assert not duplicate_pair_may_decide(actor, pair)
        with pytest.raises(NotAllowed):
            duplicate_mark_distinct(pair=pair, actor=actor)
        with pytest.raises(NotAllowed):
            duplicate_merge(pair=pair, keep=a, actor=actor)
    assert Person.objects.filter(pk__in=[a.pk, b.pk]).count() == 2
    assert DuplicatePair.objects.get().decision == DuplicatePair.Decision.OPEN
    duplicate_merge(pair=pair, keep=a, actor=world.coordinator)
    assert not Person.objects.filter(pk=b.pk).exists()


def test_imports_are_made_by_organizers_and_managed_by_who_sees_them(world, tmp_path):
    accounts(world)
    path = tmp_path / "list.csv"
    path.write_text("Name,Email\nAna,ana@example.org\n", encoding="utf-8")
    assert not imports_may_create(world.volunteer)
    for actor in (world.volunteer, world.no_role):
        with pytest.raises(NotAllowed):
            person_import_create(path=path, original_name="list.csv", actor=actor)
    person_import = person_import_create(path=path, original_name="list.csv",
                                         actor=world.montreal_organizer)
    assert import_may_manage(world.coordinator, person_import)  # their organization's
    for actor in (world.rimouski_organizer, world.other_coordinator, world.volunteer):
        assert not import_may_manage(actor, person_import)
        with pytest.raises(NotAllowed):
            person_import_report_downloaded(person_import=person_import, actor=actor,
                                            file_format="csv")
    # The command without --user is the application itself.
    assert person_import_create(path=path, original_name="list.csv", actor=None).pk
