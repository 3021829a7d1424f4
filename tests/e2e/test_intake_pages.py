"""Petitions, sign-ons and call/e-mail actions in a real browser: WCAG 2.1 AA (axe-core),
and signing with JavaScript off on a small phone."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.petitions.models import Signature

from tests.e2e.conftest import axe_violations
from tests.factories import (
    ActionFactory,
    PetitionFactory,
    SignOnFactory,
    TargetFactory,
    TargetOfficeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def intake(world):
    minister = TargetFactory(name="Marco Mendicino")
    TargetOfficeFactory(target=minister)
    petition = PetitionFactory(organization=world.centre, slug="health-care", show_signers=True,
                               title={"fr": "Des soins pour tous", "en": "Health care for all"})
    petition.targets.add(minister)
    SignOnFactory(organization=world.centre, slug="status-on-arrival")
    call = ActionFactory(organization=world.centre, slug="call-minister")
    call.targets.add(minister)
    email = ActionFactory(organization=world.centre, slug="write-minister", kind="email",
                          letter_subject={"fr": "Un statut pour tous", "en": "Status for all"},
                          letter_body={"fr": "Madame, Monsieur…", "en": "Dear Minister…"})
    email.targets.add(minister)
    return world


PAGES = ["petitions/health-care/", "petitions/health-care/thanks/",
         "petitions/health-care/signers/", "sign-ons/status-on-arrival/",
         "act/call-minister/", "act/write-minister/"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_intake_pages_meet_wcag_21_aa(page, live_server, intake, path, lang):
    response = page.goto(f"{live_server.url}/{lang}/{path}")
    assert response.status == 200
    assert axe_violations(page) == []


def test_the_petition_form_with_errors_meets_wcag_21_aa(page, live_server, intake):
    page.goto(f"{live_server.url}/en/petitions/health-care/")
    page.get_by_label("Your name").fill("Amina")
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("Give an e-mail address or a phone number").first).to_be_visible()
    assert axe_violations(page) == []


def test_signing_without_javascript_keeps_what_was_typed_then_thanks(
        page_without_js, live_server, intake):
    page = page_without_js
    page.goto(f"{live_server.url}/fr/petitions/health-care/")
    page.get_by_label("Votre nom").fill("Amina Diallo")
    page.get_by_role("textbox", name="Courriel").fill("amina@example")
    page.get_by_label("Ville (facultatif)").fill("Montréal")
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("Saisissez une adresse de courriel valide.").first).to_be_visible()
    expect(page.get_by_label("Votre nom")).to_have_value("Amina Diallo")
    expect(page.get_by_label("Ville (facultatif)")).to_have_value("Montréal")
    assert axe_violations(page) == []
    assert not Signature.objects.exists()

    page.get_by_role("textbox", name="Courriel").fill("amina@example.org")
    page.get_by_role("button", name="Signer").click()
    expect(page).to_have_url(re.compile(r".*/fr/petitions/health-care/thanks/\?signed=[^&]+$"))
    expect(page.get_by_role("heading", name="Merci d'avoir signé !")).to_be_visible()
    # The form's page was counted at 0 a moment ago; the signer sees their own signature.
    expect(page.locator(".progress-box .count strong")).to_have_text("1")
    assert axe_violations(page) == []
    assert Signature.objects.get().name == "Amina Diallo"
