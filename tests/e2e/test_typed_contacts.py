"""What a form typed for someone already recorded, walked in the browser: the person
confirms their new address on a phone without JavaScript, and an organizer decides
about the rest on the person's page (decisions 0035, 0036)."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.core.models import OutboxEmail
from solidaire.people.models import EmailAddress

from tests.e2e.conftest import axe_violations
from tests.factories import EventFactory, PhoneFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member(world):
    PhoneFactory(person=world.in_montreal, number="+15145550142")
    EventFactory(organization=world.centre, slug="assembly")
    return world.in_montreal


def register(page, live_server, lang: str, email: str) -> None:
    page.goto(f"{live_server.url}/{lang}/events/assembly/")
    page.locator("input[name=chosen_name]").fill("Ana Lima")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=phone]").fill("514 555-0142")
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


@pytest.mark.parametrize(("lang", "button", "done"), [
    ("fr", "Oui, c'est mon adresse", "Votre adresse est confirmée"),
    ("en", "Yes, it is my address", "Your address is confirmed"),
])
def test_the_person_confirms_a_new_address_on_a_phone_without_javascript(
        page_without_js, live_server, member, lang, button, done):
    page = page_without_js
    register(page, live_server, lang, f"ana.{lang}@example.org")
    request = OutboxEmail.objects.get(to=f"ana.{lang}@example.org",
                                      kind="people.confirm_address")
    path = re.search(r"https?://[^/\s]+(/\S+/confirm/\S+/)", request.body_text).group(1)
    page.goto(live_server.url + path)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name=done)).to_be_visible()
    assert not EmailAddress.objects.get(address=f"ana.{lang}@example.org").pending
    assert axe_violations(page) == []


def test_an_organizer_keeps_the_new_address_and_the_name_on_a_phone(
        browser, live_server, world, member):
    visitor = browser.new_page(viewport={"width": 390, "height": 844})
    register(visitor, live_server, "en", "ana.lima@example.org")
    visitor.close()

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/organize/login/")
    page.locator("input[name=username]").fill("montreal")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form button[type=submit]").click()
    page.goto(f"{live_server.url}/fr/organize/people/{member.pk}/")
    section = page.locator("#from-forms")
    expect(section.get_by_role("heading", name="Saisi dans des formulaires, en attente de "
                                                "votre décision")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []

    section.get_by_role("button", name="C'est bien à cette personne").click()
    expect(page.get_by_text("Coordonnée conservée comme appartenant à la personne.")
           ).to_be_visible()
    page.locator("#from-forms li", has_text="Ana Lima").get_by_role(
        "button", name="L'utiliser").click()
    expect(page.locator("h1")).to_have_text("Ana Lima")
    context.close()
    member.refresh_from_db()
    assert member.chosen_name == "Ana Lima"
    assert not member.emails.get(address="ana.lima@example.org").pending
