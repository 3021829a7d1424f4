"""A supporter on a phone: the public pages read in both languages, work without
JavaScript and meet WCAG 2.1 AA."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.membership.models import ChapterRequest

from tests.e2e.conftest import axe_violations
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(world):
    CampaignFactory(organization=world.centre, title={"fr": "Statut pour tous",
                                                      "en": "Status for all"})
    return world


@pytest.mark.parametrize("path", ["/fr/", "/en/", "/fr/chapters/start/", "/en/chapters/start/"])
def test_public_pages_meet_wcag_21_aa(page, live_server, site, path):
    page.goto(live_server.url + path)
    assert axe_violations(page) == []


def test_the_home_page_speaks_the_language_of_its_address(page_without_js, live_server, site):
    page = page_without_js
    page.goto(live_server.url + "/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("Statut pour tous").is_visible()
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/")
    expect(page.get_by_text("Status for all")).to_be_visible()
    assert axe_violations(page) == []


def test_a_chapter_request_without_javascript_keeps_what_was_typed(
    page_without_js, live_server, site
):
    page = page_without_js
    page.goto(live_server.url + "/fr/chapters/start/")
    page.get_by_label("Nom de la section proposée").fill("Sherbrooke")
    page.get_by_label("Ville ou campus").fill("Sherbrooke")
    page.get_by_label("Votre nom").fill("Noor")
    page.get_by_label("Courriel").fill("noor@example")
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_text("Saisissez une adresse de courriel valide.").first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Nom de la section proposée")).to_have_value("Sherbrooke")
    expect(page.get_by_label("Votre nom")).to_have_value("Noor")
    assert axe_violations(page) == []
    assert not ChapterRequest.objects.exists()

    page.get_by_label("Courriel").fill("noor@example.org")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile(r".*/fr/chapters/start/thanks/"))
    request = ChapterRequest.objects.get()
    assert (request.chapter_name, request.contact_email) == ("Sherbrooke", "noor@example.org")



def test_pages_drawn_without_javascript_are_checked_for_wcag_too(page_without_js, live_server,
                                                                  site):
    """axe-core cannot run where JavaScript is off: the page as drawn is checked in a copy.
    The check must still see what is wrong with it."""
    page = page_without_js
    page.goto(live_server.url + "/en/")
    assert axe_violations(page) == []
    page.set_content('<html lang="en"><head><title>T</title></head><body><main>'
                     '<img src="/static/none.png"></main></body></html>')
    assert any(v.startswith("image-alt:") for v in axe_violations(page))
