"""Logging in and out; every organizer page needs an account."""

import pytest
from django.urls import reverse

from tests.organize.conftest import url

PASSWORD = "correct horse battery"


def test_login_with_the_right_password_opens_the_organizer_home(world, client):
    response = client.post(url("login"), {"username": "montreal", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url("home")
    assert client.get(url("home")).status_code == 200


def test_login_returns_to_the_page_asked_for(world, client):
    response = client.post(url("login") + "?next=" + url("people"),
                           {"username": "montreal", "password": PASSWORD,
                            "next": url("people")})
    assert response["Location"] == url("people")


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Please enter a correct username and password."),
    ("fr", "Saisissez un nom d’utilisateur et un mot de passe valides."),
])
def test_a_wrong_password_says_so_in_the_page_language_and_keeps_the_username(
    world, client, lang, message,
):
    response = client.post(url("login", lang=lang),
                           {"username": "montreal", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert message in html
    assert 'value="montreal"' in html
    assert "_auth_user_id" not in client.session


def test_an_empty_login_form_says_what_is_missing_in_french(world, client):
    response = client.post(url("login", lang="fr"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_the_login_page_renders_without_an_account(db, client):
    response = client.get(url("login", lang="fr"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_logout_is_a_post_that_ends_the_session(world, as_user):
    client = as_user(world.montreal_organizer)
    assert client.get(url("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(url("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:home")
    assert "_auth_user_id" not in client.session
    assert client.get(url("home")).status_code == 302


def test_every_page_sends_an_anonymous_visitor_to_the_login_page(world, client):
    for name, args in [("home", ()), ("people", ()), ("person_add", ()),
                       ("person_detail", (world.in_montreal.pk,)),
                       ("chapters", ()), ("committees", ()), ("organizations", ()),
                       ("campaigns", ()), ("chapter_requests", ())]:
        response = client.get(url(name, *args))
        assert response.status_code == 302, name
        assert response["Location"].startswith(url("login") + "?next="), name


def test_the_nav_has_a_logout_button_and_admin_only_for_staff(world, as_user):
    client = as_user(world.montreal_organizer)
    html = client.get(url("home")).content.decode()
    assert f'action="{url("logout")}"' in html
    assert "/admin/" not in html
    assert url("chapter_requests") not in html
    world.coordinator.is_staff = True
    world.coordinator.save(update_fields=["is_staff"])
    html = as_user(world.coordinator).get(url("home")).content.decode()
    assert "/admin/" in html
    assert url("chapter_requests") in html
