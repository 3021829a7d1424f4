"""The issue's acceptance walk, on the demo data, through HTTP as a newcomer would."""

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidaire.demo.services import DEMO_TOTP_KEY
from solidaire.people.models import Person

from tests.second_factor import code_for


@pytest.fixture
def demo(db):
    call_command("demo-data", people=80, seed=1, verbosity=0)


def log_in(client, username, language="fr"):
    response = client.post(f"/{language}/organize/login/",
                           {"username": username, "password": "solidaire-demo"})
    assert response.status_code == 302, username
    if username == "coordinator":
        # It may see status: the code from the demo's published secret comes next.
        assert response["Location"].startswith(f"/{language}/organize/login/code/")
        device = TOTPDevice.objects.get(user__username="coordinator")
        assert device.key == DEMO_TOTP_KEY
        response = client.post(response["Location"], {"code": code_for(device)})
    assert response["Location"] == f"/{language}/organize/"


def test_the_home_page_is_served_in_french_and_in_english(client, demo):
    french = client.get("/fr/")
    english = client.get("/en/")
    assert french.status_code == english.status_code == 200
    assert '<html lang="fr"' in french.text and '<html lang="en"' in english.text
    assert "Nos campagnes" in french.text
    assert "Our campaigns" in english.text


@pytest.mark.parametrize("username", ["coordinator", "montreal", "rimouski"])
def test_the_demo_accounts_log_in_with_the_demo_password(client, demo, username):
    log_in(client, username)
    assert client.get("/fr/organize/people/").status_code == 200


def test_montreal_sees_montreal_people_and_not_a_bas_saint_laurent_person(client, demo):
    montrealer = Person.objects.filter(home_chapter__slug="montreal").order_by("chosen_name")[0]
    from_bsl = Person.objects.filter(home_chapter__slug="bas-saint-laurent").first()
    assert from_bsl is not None

    log_in(client, "montreal")
    listing = client.get("/fr/organize/people/", {"q": montrealer.chosen_name})
    assert montrealer.chosen_name in listing.text
    assert client.get(f"/fr/organize/people/{montrealer.pk}/").status_code == 200
    assert client.get(f"/fr/organize/people/{from_bsl.pk}/").status_code == 404
    assert client.get(f"/en/organize/people/{from_bsl.pk}/edit/").status_code == 404
