"""Organizations and campaigns seen from the organizer pages."""

import datetime

import pytest

from solidaire.organizing.models import CoalitionMembership

from tests.factories import CampaignFactory, OrganizationFactory
from tests.organize.conftest import url


def test_organizations_in_scope_are_listed(world, as_user):
    html = as_user(world.montreal_organizer).get(url("organizations")).content.decode()
    assert "Centre des travailleurs immigrants" in html
    assert "Migrant Students United" not in html


def test_an_organization_page_shows_coalitions_chapters_and_campaigns(world, as_user):
    coalition = OrganizationFactory(name="Status for All Coalition", slug="coalition",
                                    kind="coalition")
    CoalitionMembership.objects.create(coalition=coalition, member=world.centre)
    CampaignFactory(organization=world.centre, slug="status",
                    title={"en": "Status for all", "fr": "Statut pour tous"})
    CampaignFactory(organization=world.centre, chapter=world.bsl, slug="fish",
                    title={"en": "Fish plant wages"})
    html = as_user(world.montreal_organizer).get(url("organization_detail", "cti")
                                                 ).content.decode()
    assert "Status for All Coalition" in html
    assert url("organization_detail", "coalition") not in html  # not in scope: no link
    assert "Montréal" in html and "Côte-des-Neiges" in html
    assert "Bas-Saint-Laurent" not in html
    assert "Status for all" in html
    assert "Fish plant wages" not in html


def test_a_coalition_lists_its_members(world, as_user):
    coalition = OrganizationFactory(name="Status for All Coalition", slug="coalition",
                                    kind="coalition")
    CoalitionMembership.objects.create(coalition=coalition, member=world.centre)
    CoalitionMembership.objects.create(coalition=coalition, member=world.other)
    html = as_user(world.montreal_organizer.__class__.objects.create_superuser(
        "root", password="x")).get(url("organization_detail", "coalition")).content.decode()
    assert "Member organizations" in html
    assert "Centre des travailleurs immigrants" in html and "Migrant Students United" in html


@pytest.mark.parametrize("slug", ["msu", "nothing"])
def test_organizations_outside_the_scope_are_404(world, as_user, slug):
    response = as_user(world.montreal_organizer).get(url("organization_detail", slug))
    assert response.status_code == 404


def test_campaigns_in_scope_are_listed_in_the_reader_language(world, as_user):
    CampaignFactory(organization=world.centre, slug="status",
                    title={"en": "Status for all", "fr": "Statut pour tous"})
    CampaignFactory(organization=world.other, slug="students", title={"en": "Students"})
    client = as_user(world.montreal_organizer)
    html = client.get(url("campaigns")).content.decode()
    assert "Status for all" in html and "Students" not in html
    assert "Statut pour tous" in client.get(url("campaigns", lang="fr")).content.decode()


def test_a_campaign_page_shows_summary_demands_in_order_and_dates(world, as_user):
    campaign = CampaignFactory(
        organization=world.centre, chapter=world.montreal, slug="status",
        title={"en": "Status for all", "fr": "Statut pour tous"},
        summary={"en": "Permanent residence now.", "fr": "La résidence permanente maintenant."},
        starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 12, 1),
    )
    campaign.demands.create(position=1, text={"en": "Second demand"})
    campaign.demands.create(position=0, text={"en": "First demand", "fr": "Première"})
    html = as_user(world.montreal_organizer).get(url("campaign_detail", "status")
                                                 ).content.decode()
    assert "Permanent residence now." in html
    assert html.index("First demand") < html.index("Second demand")
    assert "March 1, 2025 to Dec. 1, 2025" in html
    assert "Active" in html
    html = as_user(world.montreal_organizer).get(url("campaign_detail", "status", lang="fr")
                                                 ).content.decode()
    assert "La résidence permanente maintenant." in html and "Première" in html


@pytest.mark.parametrize("campaign", ["other_org", "bsl_chapter", "missing"])
def test_campaigns_outside_the_scope_are_404(world, as_user, campaign):
    CampaignFactory(organization=world.other, slug="other_org")
    CampaignFactory(organization=world.centre, chapter=world.bsl, slug="bsl_chapter")
    response = as_user(world.montreal_organizer).get(url("campaign_detail", campaign))
    assert response.status_code == 404
