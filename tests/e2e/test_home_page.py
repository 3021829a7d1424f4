"""The public home page on a phone (decision 0066): its first link leads to what one can
do now, it never scrolls sideways, and it meets WCAG 2.1 AA in both languages."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EventFactory,
    PetitionFactory,
    SignOnFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(world):
    PetitionFactory(organization=world.centre, slug="status-now",
                    title={"fr": "Un statut pour toutes et tous, maintenant",
                           "en": "Status for all, now"},
                    summary={"fr": "Régularisez les personnes sans papiers.",
                             "en": "Regularize people without papers."})
    PetitionFactory(organization=world.centre, chapter=world.montreal, slug="montreal-wages",
                    title={"fr": "Salaires justes à Montréal", "en": "Fair wages in Montréal"})
    ActionFactory(organization=world.centre, slug="call-the-minister",
                  title={"fr": "Appelez la ministre de l'Immigration",
                         "en": "Call the Minister of Immigration"})
    SignOnFactory(organization=world.centre, slug="open-letter",
                  title={"fr": "Lettre ouverte des syndicats", "en": "Unions' open letter"})
    soon = timezone.now() + datetime.timedelta(days=3)
    EventFactory(organization=world.centre, chapter=world.montreal, slug="assembly",
                 starts_at=soon, ends_at=soon + datetime.timedelta(hours=2),
                 title={"fr": "Assemblée générale extraordinaire des membres",
                        "en": "Extraordinary general assembly of members"})
    CampaignFactory(organization=world.centre, slug="status-for-all", story_published=True,
                    title={"fr": "Un statut pour tous", "en": "Status for all"})
    return world


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize(("lang", "button", "title"), [
    ("fr", "Signer la pétition", "Un statut pour toutes et tous, maintenant"),
    ("en", "Sign the petition", "Status for all, now"),
])
def test_on_a_phone_the_home_page_opens_the_petition(page, live_server, site, lang, button,
                                                     title):
    page.goto(f"{live_server.url}/{lang}/")
    assert page.viewport_size["width"] == 390
    assert not scrolls_sideways(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name=button).click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/petitions/status-now/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_without_javascript_a_campaign_card_opens_its_story(page_without_js, live_server, site):
    page = page_without_js
    page.goto(live_server.url + "/en/")
    assert not scrolls_sideways(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Status for all", exact=True).click()
    expect(page).to_have_url(live_server.url + "/en/campaigns/status-for-all/")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_chapter_page_on_a_phone(page, live_server, site, lang):
    page.goto(f"{live_server.url}/{lang}/")
    page.get_by_role("link", name="Montréal", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/chapters/montreal/")
    assert not scrolls_sideways(page)
    assert axe_violations(page) == []
    expect(page.locator('a[href$="/petitions/montreal-wages/"]')).to_be_visible()
    expect(page.locator('a[href$="/events/assembly/"]')).to_be_visible()
