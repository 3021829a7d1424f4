"""Who may edit organizations and chapters, and the services refusing the others
(decision 0056)."""

import pytest

from solidaire.core.access import NotAllowed
from solidaire.core.models import OrganizerRole
from solidaire.organizing.models import Chapter, Organization
from solidaire.organizing.selectors import (
    chapter_may_edit,
    chapter_may_move,
    chapter_parent_choices,
    chapters_editable_by,
    coalition_may_edit,
    coalitions_run_by,
    organization_may_create,
    organization_may_edit,
    organizations_for_new,
    organizations_run_by,
)
from solidaire.organizing.services import (
    chapter_create,
    chapter_move,
    chapter_update,
    coalition_member_create,
    organization_create,
    organization_update,
)

from tests.factories import OrganizationFactory, UserFactory, make_organizer
from tests.policies import accounts

RUNS = {"coordinator": {"cti"}, "montreal_organizer": set(), "rimouski_organizer": set(),
        "other_coordinator": {"msu"}, "volunteer": set(), "no_role": set()}
ADDS_TO = {"coordinator": {"cti"}, "montreal_organizer": {"cti"},
           "rimouski_organizer": {"cti"}, "other_coordinator": {"msu"}, "volunteer": set(),
           "no_role": set()}
CHAPTERS = {"coordinator": {"Québec", "Montréal", "Côte-des-Neiges", "Bas-Saint-Laurent"},
            "montreal_organizer": {"Montréal", "Côte-des-Neiges"},
            "rimouski_organizer": {"Bas-Saint-Laurent"},
            "other_coordinator": {"Toronto"}, "volunteer": set(), "no_role": set()}


@pytest.mark.parametrize("account", sorted(RUNS))
def test_organizations_are_run_by_their_coordinators(world, account):
    user = accounts(world)[account]
    assert set(organizations_run_by(user).values_list("slug", flat=True)) == RUNS[account]
    assert organization_may_edit(user, world.centre) is ("cti" in RUNS[account])
    assert (set(organizations_for_new(user).values_list("slug", flat=True))
            == ADDS_TO[account])


@pytest.mark.parametrize("account", sorted(CHAPTERS))
def test_chapters_are_edited_by_the_organizers_of_their_scope(world, account):
    user = accounts(world)[account]
    assert set(chapters_editable_by(user).values_list("name", flat=True)) == CHAPTERS[account]
    assert chapter_may_edit(user, world.cdn) is ("Côte-des-Neiges" in CHAPTERS[account])


def test_the_top_of_a_chapter_organizers_scope_stays_where_the_coordinators_put_it(world):
    assert chapter_parent_choices(world.montreal_organizer, world.montreal) is None
    assert not chapter_may_move(world.montreal_organizer, world.montreal, world.bsl)
    assert set(chapter_parent_choices(world.montreal_organizer, world.cdn)) == {world.montreal}
    assert chapter_may_move(world.coordinator, world.cdn, world.bsl)
    assert chapter_may_move(world.coordinator, world.montreal, None)
    assert not chapter_may_move(world.coordinator, world.montreal, world.cdn)  # below itself


def test_only_coordinators_run_a_coalition(world):
    accounts(world)
    coalition = OrganizationFactory(kind=Organization.Kind.COALITION, slug="front")
    assert not coalitions_run_by(world.coordinator).filter(pk=coalition.pk).exists()
    assert not coalition_may_edit(world.coordinator, coalition)
    with pytest.raises(NotAllowed):
        coalition_member_create(coalition=coalition, name="Allié", kind="union",
                                actor=world.coordinator)
    assert not Organization.objects.filter(name="Allié").exists()
    coalition_member_create(coalition=coalition, name="Allié", kind="union")  # no actor


def test_organization_update_refuses_all_but_its_coordinators(world):
    accounts(world)
    for actor in (world.montreal_organizer, world.other_coordinator, world.volunteer,
                  world.no_role):
        with pytest.raises(NotAllowed):
            organization_update(organization=world.centre, actor=actor, city="Laval")
    assert Organization.objects.get(pk=world.centre.pk).city != "Laval"
    organization_update(organization=world.centre, actor=world.coordinator, city="Laval")


def test_chapter_services_refuse_out_of_scope_and_let_the_application_through(world):
    accounts(world)
    with pytest.raises(NotAllowed):  # the top of the tree: coordinators only
        chapter_create(organization=world.centre, name="Gaspésie", kind=Chapter.Kind.REGION,
                       actor=world.montreal_organizer)
    with pytest.raises(NotAllowed):
        chapter_create(organization=world.centre, name="Rimouski-Est",
                       kind=Chapter.Kind.CITY, parent=world.bsl,
                       actor=world.montreal_organizer)
    assert not Chapter.objects.filter(name__in=["Gaspésie", "Rimouski-Est"]).exists()
    chapter_create(organization=world.centre, name="Verdun", kind=Chapter.Kind.CITY,
                   parent=Chapter.objects.get(pk=world.montreal.pk),
                   actor=world.montreal_organizer)
    for actor in (world.rimouski_organizer, world.other_coordinator, world.volunteer):
        with pytest.raises(NotAllowed):
            chapter_update(chapter=world.cdn, actor=actor, city="Ailleurs")
    with pytest.raises(NotAllowed):
        chapter_move(chapter=world.montreal, parent=world.bsl, actor=world.montreal_organizer)
    assert Chapter.objects.get(pk=world.montreal.pk).path.startswith(world.quebec.path)
    chapter_update(chapter=world.cdn, actor=world.montreal_organizer, city="Montréal")


def test_only_an_account_that_runs_the_whole_site_adds_an_organization(world):
    """Coordinators run their own organization; a new one is the site's (the demo data,
    a superuser). A coalition's coordinators add allies through coalition_member_create."""
    for account, user in accounts(world).items():
        assert not organization_may_create(user), account
        with pytest.raises(NotAllowed):
            organization_create(name="Nouvelle", kind="union", actor=user)
    assert not Organization.objects.filter(name="Nouvelle").exists()
    superuser = UserFactory(username="root", is_superuser=True)
    assert organization_may_create(superuser)
    organization_create(name="Nouvelle", kind="union", actor=superuser)
    organization_create(name="Autre", kind="union")  # the application itself
    coalition = OrganizationFactory(kind=Organization.Kind.COALITION, slug="front")
    its_coordinator = make_organizer(role=OrganizerRole.Role.COORDINATOR, username="front",
                                     organization=coalition)
    assert not organization_may_create(its_coordinator)
    coalition_member_create(coalition=coalition, name="Alliée", kind="union",
                            actor=its_coordinator)
    assert set(coalition.members.values_list("name", flat=True)) == {"Alliée"}
