"""Who may edit campaigns (their demands, timeline and toolkit) and targets, and the
services refusing the others (decision 0056)."""

import datetime

import pytest

from solidaire.campaigns.models import Campaign, Milestone, Resource, Target
from solidaire.campaigns.selectors import (
    campaign_may_edit,
    campaigns_editable_by,
    targets_editable_by,
)
from solidaire.campaigns.services import (
    campaign_create,
    campaign_update,
    demands_replace,
    milestone_create,
    target_create,
    target_update,
    targets_import,
)
from solidaire.campaigns.toolkit import resource_create
from solidaire.core.access import NotAllowed

from tests.factories import CampaignFactory, TargetFactory
from tests.policies import EDITS, accounts, editable_names, placements

# Targets are shared by every organization (decision 0019): organizers change them.
TARGET_EDITORS = {"coordinator", "montreal_organizer", "rimouski_organizer",
                  "other_coordinator"}


@pytest.mark.parametrize("account", sorted(EDITS))
def test_campaigns_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items = {p.name: CampaignFactory(organization=p.organization, chapter=p.chapter)
             for p in placements(world)}
    by_pk = {campaign.pk: name for name, campaign in items.items()}
    assert editable_names(campaigns_editable_by(user), by_pk) == EDITS[account]
    for name, campaign in items.items():
        assert campaign_may_edit(user, campaign) is (name in EDITS[account])


@pytest.mark.parametrize("account", sorted(EDITS))
def test_targets_are_changed_by_organizers_not_volunteers(world, account):
    user = accounts(world)[account]
    assert targets_editable_by(user) is (account in TARGET_EDITORS)


def test_campaign_create_refuses_a_placement_out_of_scope_and_lets_the_application_through(
        world):
    accounts(world)
    for actor, chapter in ((world.montreal_organizer, None),
                           (world.montreal_organizer, world.bsl),
                           (world.volunteer, world.montreal),
                           (world.other_coordinator, world.montreal)):
        with pytest.raises(NotAllowed):
            campaign_create(slug="no", title={"fr": "Non"}, organization=world.centre,
                            chapter=chapter, actor=actor)
    assert not Campaign.objects.exists()
    campaign_create(slug="demo", title={"fr": "Démo"}, organization=world.centre)  # no actor
    campaign_create(slug="local", title={"fr": "Local"}, organization=world.centre,
                    chapter=world.cdn, actor=world.montreal_organizer)


def test_campaign_update_and_demands_refuse_who_may_not_edit(world):
    accounts(world)
    campaign = CampaignFactory(organization=world.centre, title={"fr": "Avant"})
    for actor in (world.montreal_organizer, world.other_coordinator, world.no_role):
        with pytest.raises(NotAllowed):
            campaign_update(campaign=campaign, actor=actor, title={"fr": "Après"})
        with pytest.raises(NotAllowed):
            demands_replace(campaign=campaign, demands=[{"fr": "Statut"}], actor=actor)
    campaign.refresh_from_db()
    assert campaign.title == {"fr": "Avant"} and not campaign.demands.exists()
    campaign_update(campaign=campaign, actor=world.coordinator, title={"fr": "Après"})


def test_timeline_and_toolkit_are_edited_with_the_campaign(world):
    campaign = CampaignFactory(organization=world.centre, chapter=world.montreal)
    with pytest.raises(NotAllowed):
        milestone_create(campaign=campaign, kind=Milestone.Kind.VICTORY,
                         happened_on=datetime.date(2026, 5, 1), title={"fr": "Gagné"},
                         actor=world.rimouski_organizer)
    with pytest.raises(NotAllowed):
        resource_create(campaign=campaign, kind=Resource.Kind.FAQ, title="FAQ", language="fr",
                        url="https://example.org/faq", actor=world.volunteer)
    assert not Milestone.objects.exists() and not Resource.objects.exists()
    milestone_create(campaign=campaign, kind=Milestone.Kind.VICTORY,
                     happened_on=datetime.date(2026, 5, 1), title={"fr": "Gagné"},
                     actor=world.montreal_organizer)
    resource_create(campaign=campaign, kind=Resource.Kind.FAQ, title="FAQ", language="fr",
                    url="https://example.org/faq", actor=world.montreal_organizer)


def test_target_services_refuse_a_volunteer_and_an_account_without_role(world):
    accounts(world)
    target = TargetFactory(name="Ministre")
    for actor in (world.volunteer, world.no_role):
        with pytest.raises(NotAllowed):
            target_create(name="Député", actor=actor)
        with pytest.raises(NotAllowed):
            target_update(target=target, name="Changé", actor=actor)
        with pytest.raises(NotAllowed):
            targets_import(content=b"name,kind\nDeputee,mp\n", actor=actor)
    assert list(Target.objects.values_list("name", flat=True)) == ["Ministre"]
    target_create(name="Député", actor=world.rimouski_organizer)
    target_update(target=target, name="Changé", actor=world.other_coordinator)
