"""The one scoping selector: who sees which people, chapters, committees and campaigns."""

import pytest

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.organizing.selectors import (
    chapters_visible_to,
    committees_visible_to,
    organizations_visible_to,
)
from solidaire.people.selectors import people_visible_to

from tests.factories import CampaignFactory, CommitteeFactory, UserFactory


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
