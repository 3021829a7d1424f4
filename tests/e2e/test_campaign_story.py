"""The public story of a campaign in a real browser: WCAG 2.1 AA (axe-core), readable and
downloadable with JavaScript off."""

import datetime

import pytest
from django.core.files.base import ContentFile

from solidaire.campaigns.models import Demand, Milestone, Resource

from tests.e2e.conftest import axe_violations
from tests.factories import CampaignFactory, PetitionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = CampaignFactory(
        organization=world.centre, slug="status", story_published=True,
        title={"fr": "Un statut pour tous", "en": "Status for all"},
        story_intro={"fr": "Comment nous avons gagné.", "en": "How we won."})
    Demand.objects.create(campaign=campaign, position=0,
                          text={"fr": "Régulariser", "en": "Regularize"})
    for n, kind in enumerate(Milestone.Kind.values):
        Milestone.objects.create(
            campaign=campaign, kind=kind,
            happened_on=datetime.date(2026, 1, 5) + datetime.timedelta(days=9 * n),
            title={"fr": f"Étape {n}", "en": f"Step {n}"},
            description={"fr": "Ce qui s'est passé.", "en": "What happened."},
            outlet="Le Devoir" if kind == "media" else "",
            url="https://www.ledevoir.com/article" if kind == "media" else "")
    flyer = Resource(campaign=campaign, kind="flyer", title="Flyer A4", language="fr")
    flyer.file.save("flyer.pdf", ContentFile(b"%PDF-1.4 flyer"), save=False)
    flyer.save()
    Resource.objects.create(campaign=campaign, kind="faq", title="FAQ", language="en",
                            url="https://example.org/faq")
    PetitionFactory(organization=world.centre, campaign=campaign, slug="sign-now")
    return campaign


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_campaign_story_meets_wcag_21_aa(page, live_server, story, lang):
    response = page.goto(f"{live_server.url}/{lang}/campaigns/status/")
    assert response.status == 200
    assert axe_violations(page) == []


def test_the_story_reads_and_downloads_without_javascript(page_without_js, live_server, story):
    page = page_without_js
    page.goto(f"{live_server.url}/en/campaigns/status/")
    assert page.get_by_role("heading", name="Status for all").is_visible()
    assert page.get_by_role("link", name="Read in Le Devoir").is_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Flyer A4").click()
    assert download.value.suggested_filename == "flyer.pdf"
    assert Resource.objects.get(title="Flyer A4").download_count == 1
