"""The one scoping selector: who sees which people, chapters, committees and campaigns."""

import pytest

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.access import NotAllowed, require_may_own, require_unless_system
from solidaire.core.models import OrganizerRole
from solidaire.core.sessions import account_sessions_end
from solidaire.membership.selectors import committees_visible_to
from solidaire.organizing.selectors import chapters_visible_to, organizations_visible_to
from solidaire.people.selectors import people_visible_to

from tests.factories import CampaignFactory, CommitteeFactory, UserFactory, make_organizer


def names(queryset):
    return set(queryset.values_list("chosen_name", flat=True))


def test_a_coordinator_sees_the_whole_organization_and_unassigned_people(world):
    assert names(people_visible_to(world.coordinator)) == {
        "Ana Montréal", "Bea Côte-des-Neiges", "Carlos Rimouski", "Eve Sans-chapitre"}


def test_a_chapter_organizer_sees_the_chapter_and_the_chapters_below_it(world):
    assert names(people_visible_to(world.montreal_organizer)) == {
        "Ana Montréal", "Bea Côte-des-Neiges"}
    assert set(chapters_visible_to(world.montreal_organizer).values_list("name", flat=True)) == {
        "Montréal", "Côte-des-Neiges"}


def test_a_regional_organizer_does_not_see_another_region(world):
    assert names(people_visible_to(world.rimouski_organizer)) == {"Carlos Rimouski"}


def test_a_volunteer_sees_no_people(world):
    assert not people_visible_to(world.volunteer).exists()


@pytest.mark.django_db
def test_an_account_without_a_role_sees_nothing(world):
    user = UserFactory()
    assert not people_visible_to(user).exists()
    assert not chapters_visible_to(user).exists()


def test_a_superuser_without_a_role_sees_everything(world):
    admin = UserFactory(is_superuser=True)
    assert people_visible_to(admin).count() == 5


def test_committees_follow_the_chapter_scope(world):
    montreal_committee = CommitteeFactory(organization=world.centre, chapter=world.montreal)
    bsl_committee = CommitteeFactory(organization=world.centre, chapter=world.bsl)
    whole_org = CommitteeFactory(organization=world.centre, chapter=None)
    other_org = CommitteeFactory(organization=world.other, chapter=None)
    visible = set(committees_visible_to(world.montreal_organizer))
    assert montreal_committee in visible and whole_org in visible
    assert bsl_committee not in visible and other_org not in visible


def test_campaigns_and_organizations_follow_the_organization(world):
    ours = CampaignFactory(organization=world.centre)
    CampaignFactory(organization=world.other)  # another organization: never visible
    bsl_only = CampaignFactory(organization=world.centre, chapter=world.bsl)
    assert set(campaigns_visible_to(world.montreal_organizer)) == {ours}
    assert set(campaigns_visible_to(world.rimouski_organizer)) == {ours, bsl_only}
    assert set(organizations_visible_to(world.montreal_organizer)) == {world.centre}


def test_require_may_own_lets_the_application_through_only_where_the_service_says(world):
    """One helper for every owned item (decision 0056): `system` says that `actor=None`
    is the application itself, as for campaigns or committees."""
    require_may_own(world.montreal_organizer, organization=world.centre, chapter=world.cdn)
    with pytest.raises(NotAllowed):
        require_may_own(world.montreal_organizer, organization=world.centre, chapter=None)
    with pytest.raises(NotAllowed):
        require_may_own(None, organization=world.centre, chapter=world.cdn)
    require_may_own(None, organization=world.centre, chapter=world.cdn, system=True)
    with pytest.raises(NotAllowed):
        require_may_own(world.volunteer, organization=world.centre, chapter=world.montreal,
                        system=True)
    asked = []
    require_unless_system(None, lambda: asked.append(1) or False, "never asked")
    assert not asked


def test_an_accounts_sessions_are_ended_by_the_coordinators_who_look_after_it(world):
    outsider = make_organizer(role=OrganizerRole.Role.COORDINATOR, username="outsider",
                              organization=world.other)
    for actor in (world.montreal_organizer, world.volunteer, outsider):
        with pytest.raises(NotAllowed):
            account_sessions_end(account=world.montreal_organizer, actor=actor)
    assert account_sessions_end(account=world.montreal_organizer, actor=world.coordinator) == 0
