"""Endorsing a sign-on statement from its public page, as an organization's staffer would."""

import re

import pytest
from django.contrib.staticfiles import finders

from solidaire.campaigns.models import Publication
from solidaire.core.models import Activity, OutboxEmail
from solidaire.people.models import Person
from solidaire.petitions.activities import SIGNON_ENDORSED
from solidaire.petitions.models import Endorsement
from solidaire.petitions.signons import endorsement_decide

from tests.factories import SignOnFactory, TargetFactory

KEY = re.compile(r'name="key" value="([^"]+)"')


@pytest.fixture
def sign_on(world):
    sign_on = SignOnFactory(
        organization=world.centre, slug="status-for-all",
        title={"fr": "Un statut pour tous", "en": "Status for all"},
        body={"fr": "Nous demandons la régularisation.", "en": "We call for regularization."},
    )
    sign_on.targets.add(TargetFactory(name="Marc Miller"))
    return sign_on


def page_key(client, lang="en", slug="status-for-all"):
    response = client.get(f"/{lang}/sign-ons/{slug}/")
    assert response.status_code == 200
    return KEY.search(response.content.decode()).group(1)


def form_data(client, lang="en", key=None, **fields):
    data = {"org_name": "Inter Pares", "kind": "community", "city": "Ottawa",
            "org_website": "", "contact_name": "Rosa Lopez", "email": "rosa@example.org",
            "phone": "613 555-0199", "language": lang, "website": "",
            "key": key or page_key(client, lang)}
    data.update(fields)
    return data


def endorse(client, lang="en", **fields):
    return client.post(f"/{lang}/sign-ons/status-for-all/", form_data(client, lang, **fields))


def test_the_page_shows_the_statement_in_the_readers_language_with_targets(client, sign_on):
    french = client.get("/fr/sign-ons/status-for-all/").content.decode()
    assert "Un statut pour tous" in french and "Nous demandons la régularisation." in french
    assert "Marc Miller" in french
    english = client.get("/en/sign-ons/status-for-all/").content.decode()
    assert "Status for all" in english and "We call for regularization." in english
    assert "Endorse this statement" in english


def test_a_draft_is_not_public(client, sign_on):
    sign_on.status = Publication.DRAFT
    sign_on.save()
    assert client.get("/en/sign-ons/status-for-all/").status_code == 404
    assert client.get("/en/sign-ons/status-for-all/thanks/").status_code == 404
    assert client.get("/en/sign-ons/nothing-here/").status_code == 404


def test_the_form_has_fieldsets_labels_and_an_unticked_consent_box(client, sign_on):
    html = client.get("/en/sign-ons/status-for-all/").content.decode()
    assert html.count("<fieldset") == 2
    assert "<legend>Contact person (kept private)</legend>" in html
    for name in ("org_name", "kind", "city", "org_website", "contact_name", "email", "phone",
                 "language", "consent_email"):
        assert f'for="id_{name}"' in html
    tag = re.search(r'<input[^>]*name="consent_email"[^>]*>', html).group(0)
    assert "checked" not in tag
    assert '<option value="en" selected>' in html
    assert "<script" not in html


def test_the_page_weighs_at_most_30_kb_with_its_css(world, client, sign_on):
    for number in range(40):
        endorsement = Endorsement.objects.create(
            sign_on=sign_on, token=f"k{number}", org_name=f"Organization {number}",
            name_key=f"organization {number}", kind="union", city="Montréal", language="fr")
        endorsement_decide(actor=world.coordinator, endorsement=endorsement, approve=True)
    html = client.get("/fr/sign-ons/status-for-all/").content
    with open(finders.find("solidaire/solidaire.css"), "rb") as stylesheet:
        css = len(stylesheet.read())
    assert len(html) + css <= 30 * 1024


def test_an_endorsement_is_pending_and_not_listed_until_approved(world, client, sign_on):
    response = endorse(client)
    assert response.status_code == 302
    assert response["Location"] == "/en/sign-ons/status-for-all/thanks/"
    endorsement = Endorsement.objects.get()
    assert endorsement.status == Endorsement.Status.PENDING
    thanks = client.get(response["Location"]).content.decode()
    assert "A coordinator will review it before it is listed" in thanks
    assert "Inter Pares" not in client.get("/en/sign-ons/status-for-all/").content.decode()
    endorsement_decide(actor=world.coordinator, endorsement=endorsement, approve=True)
    html = client.get("/en/sign-ons/status-for-all/").content.decode()
    assert "<h3>Community organizations (1)</h3>" in html
    assert "<li>Inter Pares, Ottawa</li>" in html
    assert "Endorsed by 1 organization" in html


def test_a_rejected_endorsement_is_never_listed(world, client, sign_on):
    endorse(client)
    endorsement_decide(actor=world.coordinator, endorsement=Endorsement.objects.get(),
                       approve=False)
    assert "Inter Pares" not in client.get("/en/sign-ons/status-for-all/").content.decode()


def test_the_contact_person_never_shows_on_the_public_page(world, client, sign_on):
    endorse(client, org_website="https://interpares.ca")
    endorsement_decide(actor=world.coordinator, endorsement=Endorsement.objects.get(),
                       approve=True)
    html = client.get("/en/sign-ons/status-for-all/").content.decode()
    assert "Inter Pares" in html
    for private in ("Rosa", "rosa@example.org", "555-0199", "5550199"):
        assert private not in html


def test_a_replayed_post_stores_one_endorsement(client, sign_on):
    data = form_data(client)
    first = client.post("/en/sign-ons/status-for-all/", data)
    again = client.post("/en/sign-ons/status-for-all/", data)
    assert first["Location"] == again["Location"] == "/en/sign-ons/status-for-all/thanks/"
    assert Endorsement.objects.count() == 1
    assert Activity.objects.filter(kind=SIGNON_ENDORSED).count() == 1


def test_the_same_organization_in_other_case_and_accents_is_answered_kindly(client, sign_on):
    endorse(client, org_name="Comité Parc-Extension")
    response = endorse(client, org_name="COMITE PARC EXTENSION", email="other@example.org",
                       contact_name="Someone Else")
    assert response["Location"] == "/en/sign-ons/status-for-all/thanks/?already=1"
    html = client.get(response["Location"]).content.decode()
    assert "Your organization has already endorsed this statement" in html
    assert Endorsement.objects.count() == 1
    assert not Person.objects.filter(chosen_name="Someone Else").exists()


@pytest.mark.parametrize(("lang", "title"), [("fr", "Un statut pour tous"),
                                             ("en", "Status for all")])
def test_the_acknowledgment_goes_out_in_the_contacts_language(client, sign_on, lang, title):
    # The page is read in English; the contact chose their language in the form.
    endorse(client, lang="en", language=lang)
    email = OutboxEmail.objects.get()
    assert (email.to, email.language) == ("rosa@example.org", lang)
    assert title in email.subject
    assert Endorsement.objects.get().language == lang


def test_a_filled_honeypot_stores_nothing_but_thanks_the_same(client, sign_on):
    response = endorse(client, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == "/en/sign-ons/status-for-all/thanks/"
    assert not Endorsement.objects.exists()
    assert not Person.objects.filter(chosen_name="Rosa Lopez").exists()
    assert not OutboxEmail.objects.exists()


def test_the_rate_limit_answers_429_and_keeps_what_was_typed(client, sign_on, settings):
    settings.PUBLIC_FORM_RATE = "2/m"
    endorse(client, org_name="First")
    endorse(client, org_name="Second")
    response = endorse(client, org_name="Third Organization")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'value="Third Organization"' in html and 'value="rosa@example.org"' in html
    assert "Too many forms were sent" in html
    assert KEY.search(html)
    assert Endorsement.objects.count() == 2


def test_a_validation_error_keeps_the_input_and_links_the_summary_to_the_field(client, sign_on):
    response = endorse(client, email="not-an-address", kind="")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_email"' in html and 'href="#id_kind"' in html
    assert 'value="Inter Pares"' in html and 'value="not-an-address"' in html
    assert 'aria-describedby="id_email_error"' in html
    assert not Endorsement.objects.exists()


def test_a_forged_form_key_brings_the_form_back_filled_in(client, sign_on):
    response = endorse(client, key="forged")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Inter Pares"' in html and "open for too long" in html
    assert not Endorsement.objects.exists()


def test_a_closed_statement_shows_its_endorsers_but_no_form(world, client, sign_on):
    endorse(client)
    endorsement_decide(actor=world.coordinator, endorsement=Endorsement.objects.get(),
                       approve=True)
    sign_on.status = Publication.CLOSED
    sign_on.save()
    html = client.get("/en/sign-ons/status-for-all/").content.decode()
    assert "Inter Pares" in html and "<form" not in html.split('id="main"')[1]
    assert "Endorsements are closed" in html
    response = client.post("/en/sign-ons/status-for-all/", {"org_name": "Late"})
    assert response.status_code == 400
    assert Endorsement.objects.count() == 1
