"""An organizer in the browser: log in, find a person by a phone typed any way,
never reach a person outside their chapters; organizer pages meet WCAG 2.1 AA."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.factories import EmailFactory, PhoneFactory
from tests.second_factor import code_for, device_for

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username, language="en"):
    page.goto(f"{live_server.url}/{language}/organize/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/{language}/organize/")


def test_an_organizer_finds_a_person_by_phone_and_opens_their_page(page, live_server, world):
    PhoneFactory(person=world.in_cdn, number="+15145550123")
    EmailFactory(person=world.in_cdn, address="bea@example.org")
    log_in(page, live_server, "montreal")

    page.goto(f"{live_server.url}/en/organize/people/")
    page.locator("input[name=q]").fill("514.555.0123")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Bea Côte-des-Neiges").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bea Côte-des-Neiges")
    expect(page.get_by_text("bea@example.org")).to_be_visible()
    assert axe_violations(page) == []


def test_an_organizer_gets_not_found_for_a_person_of_another_region(page, live_server, world):
    log_in(page, live_server, "montreal", language="fr")
    response = page.goto(f"{live_server.url}/fr/organize/people/{world.in_bsl.pk}/")
    assert response.status == 404
    assert "Carlos" not in page.content()


@pytest.mark.parametrize(
    "path", ["", "people/", "people/new/", "chapters/", "committees/", "organizations/",
             "campaigns/", "chapter-requests/", "audit/", "campaigns/new/", "committees/new/",
             "chapters/new/", "chapters/montreal/new/", "chapters/montreal/edit/",
             "organizations/cti/edit/"],
)
def test_organizer_pages_meet_wcag_21_aa(page, live_server, world, path):
    log_in(page, live_server, "coordinator", language="fr")
    page.goto(f"{live_server.url}/fr/organize/{path}")
    assert axe_violations(page) == []


def test_the_permit_expiry_page_meets_wcag_21_aa(page, live_server, world):
    # The page is for status-access accounts, who log in with a code from their app.
    role = world.coordinator.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    device = device_for(world.coordinator)
    page.goto(f"{live_server.url}/fr/organize/login/")
    page.locator("input[name=username]").fill("coordinator")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/fr/organize/login/code/**")
    assert axe_violations(page) == []
    page.locator("input[name=code]").fill(code_for(device))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/fr/organize/")
    response = page.goto(f"{live_server.url}/fr/organize/people/permit-expiry/")
    assert response.status == 200
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_status_access_given_during_a_session_asks_to_set_up_a_code_first(
    page, live_server, world, language,
):
    """Given status access while logged in, an organizer's person page offers the code
    (here: setting up two-factor login, as it has none) instead of the status."""
    log_in(page, live_server, "montreal", language=language)
    role = world.montreal_organizer.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    page.goto(f"{live_server.url}/{language}/organize/people/{world.in_montreal.pk}/")
    prompt = page.locator("#status a.button")
    expect(prompt).to_be_visible()
    assert axe_violations(page) == []
    prompt.click()
    page.wait_for_url(f"**/{language}/organize/security/code/**")
    assert axe_violations(page) == []
    page.locator("main a.button").click()
    page.wait_for_url(f"**/{language}/organize/security/two-factor/**")
    expect(page.locator("figure.qr svg")).to_be_visible()


def test_a_coordinator_writes_a_campaign_and_its_demands_without_javascript(
    page_without_js, live_server, world,
):
    page = page_without_js
    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/en/organize/campaigns/")
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title in English").fill("Status for all")
    page.get_by_label("Demands in French").fill("Régulariser\nUn statut pour tous")
    page.get_by_label("Demands in English").fill("Regularize")
    page.get_by_role("button", name="Create the campaign").click()

    expect(page.get_by_text("This list has 1 line, but another language has 2.")).to_be_visible()
    expect(page.get_by_label("Title in English")).to_have_value("Status for all")
    assert axe_violations(page) == []
    page.get_by_label("Demands in English").fill("Regularize\nStatus for all")
    page.get_by_role("button", name="Create the campaign").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Status for all")
    expect(page.get_by_role("listitem").filter(has_text="Regularize")).to_have_count(1)
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_label("Demands in French")).to_have_value(
        "Régulariser\nUn statut pour tous")


def test_a_form_with_errors_meets_wcag_21_aa(page, live_server, world):
    log_in(page, live_server, "coordinator", language="fr")
    page.goto(f"{live_server.url}/fr/organize/committees/new/")
    page.locator("input[name=name]").fill("Logement")
    page.locator("input[name=slug]").fill("pas une adresse")
    page.locator("form button[type=submit]").last.click()
    # Auto-waiting: the click returns before the answer to the form has been drawn.
    expect(page.locator(".field.has-error")).to_have_count(1)
    assert axe_violations(page) == []
