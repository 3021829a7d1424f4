"""Campaign services: creating, changing, and replacing the ordered demands."""

import datetime

import pytest
from django.db import IntegrityError

from solidaire.campaigns.models import Campaign, Demand
from solidaire.campaigns.services import campaign_create, campaign_update, demands_replace
from solidaire.core.models import AuditEntry

from tests.factories import CampaignFactory


def texts(campaign) -> list[dict]:
    return [d.text for d in campaign.demands.order_by("position", "id")]


@pytest.fixture
def campaign(world):
    return campaign_create(
        slug="status", title={"fr": "Statut pour tous", "en": "Status for all"},
        organization=world.centre,
        demands=[{"en": "First"}, {"en": "Second"}, {"en": "Third"}],
        starts_on=datetime.date(2026, 3, 1),
    )


def test_creating_a_campaign_keeps_the_demands_in_order_and_writes_the_audit_log(
    world, campaign,
):
    assert texts(campaign) == [{"en": "First"}, {"en": "Second"}, {"en": "Third"}]
    assert list(campaign.demands.values_list("position", flat=True)) == [0, 1, 2]
    entry = AuditEntry.objects.get(action="solidaire.campaign.created")
    assert entry.object_id == str(campaign.pk)


def test_two_campaigns_cannot_share_an_address(world, campaign):
    with pytest.raises(IntegrityError):
        campaign_create(slug="status", title={"en": "Again"}, organization=world.centre)


def test_updating_changes_only_what_differs_and_names_the_fields_in_the_audit_log(
    world, campaign,
):
    updated = campaign_update(
        campaign=campaign, actor=world.coordinator, title={"fr": "Statut pour tous"},
        chapter=world.montreal, ends_on=datetime.date(2026, 12, 31),
        starts_on=datetime.date(2026, 3, 1),
    )
    campaign.refresh_from_db()
    assert campaign.title == {"fr": "Statut pour tous"}
    assert campaign.chapter == world.montreal
    assert campaign.ends_on == datetime.date(2026, 12, 31)
    assert updated.pk == campaign.pk
    entry = AuditEntry.objects.get(action="solidaire.campaign.changed")
    assert entry.actor == world.coordinator
    assert entry.data == {"fields": ["chapter", "ends_on", "title"]}
    # Demands were not given: they stay.
    assert len(texts(campaign)) == 3
    assert not AuditEntry.objects.filter(action="solidaire.campaign.demands.replaced").exists()


def test_an_address_already_taken_is_refused_by_the_database(world, campaign):
    CampaignFactory(organization=world.centre, slug="taken")
    with pytest.raises(IntegrityError):
        campaign_update(campaign=campaign, slug="taken")
    campaign.refresh_from_db()
    assert campaign.slug == "status"


@pytest.mark.parametrize("change", [
    {"chapter": "toronto"},  # another organization's chapter
    {"ends_on": datetime.date(2026, 2, 1)},  # before the start
])
def test_updating_refuses_an_inconsistent_campaign(world, campaign, change):
    if "chapter" in change:
        change = {"chapter": world.toronto}
    with pytest.raises(ValueError):
        campaign_update(campaign=campaign, **change)
    campaign.refresh_from_db()
    assert campaign.chapter is None and campaign.ends_on is None


def test_updating_refuses_fields_that_are_not_editable(world, campaign):
    with pytest.raises(TypeError):
        campaign_update(campaign=campaign, created_at=datetime.datetime(2020, 1, 1))


def test_replacing_demands_keeps_rows_by_position_and_orders_them(world, campaign):
    first_ids = list(campaign.demands.order_by("position").values_list("pk", flat=True))
    kept = demands_replace(campaign=campaign, actor=world.coordinator, demands=[
        {"fr": "Un", "en": "One"}, {"en": "Two"},
    ])
    assert texts(campaign) == [{"fr": "Un", "en": "One"}, {"en": "Two"}]
    assert [d.pk for d in kept] == first_ids[:2]  # the same rows, the third one deleted
    assert not Demand.objects.filter(pk=first_ids[2]).exists()
    entry = AuditEntry.objects.get(action="solidaire.campaign.demands.replaced")
    assert (entry.actor, entry.data) == (world.coordinator, {"count": 2})

    demands_replace(campaign=campaign, demands=[
        {"en": "Zero"}, {"fr": "Un", "en": "One"}, {"en": "Two"}, {"en": "Three"},
    ])
    assert texts(campaign) == [{"en": "Zero"}, {"fr": "Un", "en": "One"}, {"en": "Two"},
                               {"en": "Three"}]
    assert list(campaign.demands.order_by("position").values_list("position", flat=True)) == [
        0, 1, 2, 3]


def test_replacing_demands_with_the_same_list_writes_nothing_to_the_audit_log(world, campaign):
    demands_replace(campaign=campaign, demands=texts(campaign))
    assert not AuditEntry.objects.filter(action="solidaire.campaign.demands.replaced").exists()


def test_replacing_with_no_demands_empties_the_list(world, campaign):
    demands_replace(campaign=campaign, demands=[])
    assert texts(campaign) == []


def test_update_with_demands_replaces_them_in_the_same_transaction(world, campaign):
    campaign_update(campaign=campaign, is_active=False, demands=[{"en": "Only"}])
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.is_active is False
    assert texts(campaign) == [{"en": "Only"}]
