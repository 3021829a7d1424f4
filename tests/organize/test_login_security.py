"""Organizer login security: second factor, lockout, session timeouts, reset, ending sessions."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidaire.core.models import AuditEntry, OrganizerRole, OutboxEmail
from solidaire.core.sessions import SEEN_KEY, STARTED_KEY
from solidaire.core.two_factor import SESSION_PENDING_KEY

from tests.factories import make_organizer
from tests.organize.conftest import translated, url

PASSWORD = "correct horse battery"


def log_in(client, username, lang="en", **extra):
    return client.post(url("login", lang=lang), {"username": username, "password": PASSWORD},
                       **extra)


def code_for(device) -> str:
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{token:0{device.digits}d}"


@pytest.fixture
def device(world):
    """The Montréal organizer has turned on two-factor login."""
    return TOTPDevice.objects.create(user=world.montreal_organizer, name="phone", confirmed=True)


@pytest.fixture
def status_access(world):
    OrganizerRole.objects.filter(user=world.coordinator).update(status_access=True)
    return world.coordinator


def test_an_account_without_a_device_logs_in_with_its_password_alone(world, client):
    response = log_in(client, "montreal")
    assert response["Location"] == url("home")
    assert client.get(url("home")).status_code == 200


def test_an_account_with_a_device_is_asked_for_a_code_before_any_organizer_page(
    world, client, device,
):
    response = log_in(client, "montreal")
    assert response["Location"].startswith(url("login_code") + "?next=")
    for name in ("home", "people", "two_factor"):
        page = client.get(url(name))
        assert page.status_code == 302, name
        assert page["Location"].startswith(url("login_code")), name
    assert client.get("/admin/").status_code == 302
    assert client.get(url("login_code")).status_code == 200


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_wrong_code_says_so_in_the_page_language_and_opens_nothing(
    world, client, device, lang,
):
    log_in(client, "montreal", lang=lang)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = client.post(url("login_code", lang=lang), {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert translated(lang, "This code is not right, or came too late. Enter the code your "
                            "app shows now.") in html
    assert client.get(url("home", lang=lang)).status_code == 302


def test_the_right_code_opens_the_organizer_pages(world, client, device):
    log_in(client, "montreal")
    response = client.post(url("login_code"), {"code": code_for(device),
                                               "next": url("people")})
    assert response["Location"] == url("people")
    assert client.get(url("home")).status_code == 200
    assert client.get(url("people")).status_code == 200


def test_a_status_access_account_without_a_device_must_enrol_first(
    world, client, status_access,
):
    response = log_in(client, "coordinator")
    assert response["Location"].startswith(url("two_factor"))
    home = client.get(url("home"))
    assert home.status_code == 302 and home["Location"].startswith(url("two_factor"))

    page = client.get(url("two_factor"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<script" not in html and "http" not in html.split("<svg")[1][:50]
    key = client.session[SESSION_PENDING_KEY]
    assert not TOTPDevice.objects.filter(user=status_access).exists()

    token = totp(bytes.fromhex(key))
    wrong = client.post(url("two_factor"), {"code": f"{(token + 500000) % 1000000:06d}"})
    assert wrong.status_code == 200
    assert translated("en", "This code does not match. Check that the app added the account "
                            "shown here, then enter the code it shows now.") in wrong.text
    assert not TOTPDevice.objects.filter(user=status_access).exists()
    response = client.post(url("two_factor"), {"code": f"{token:06d}"})
    assert response.status_code == 302
    assert client.get(url("home")).status_code == 200
    assert TOTPDevice.objects.filter(user=status_access, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(action="solidaire.account.two_factor.enrolled").exists()

    # Next time, the code page comes after the password.
    client.post(url("logout"))
    assert log_in(client, "coordinator")["Location"].startswith(url("login_code"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_five_wrong_passwords_lock_that_username_from_that_address_only(world, lang):
    here, elsewhere = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for attempt in range(5):
        response = here.post(url("login", lang=lang), {"username": "montreal",
                                                       "password": "wrong"})
        assert response.status_code == (429 if attempt == 4 else 200), attempt
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert translated(lang, "Too many attempts") in html

    locked = log_in(here, "montreal", lang=lang)
    assert locked.status_code == 429
    assert SESSION_KEY not in here.session
    assert log_in(elsewhere, "montreal", lang=lang)["Location"] == url("home", lang=lang)
    assert log_in(here, "rimouski", lang=lang)["Location"] == url("home", lang=lang)


def test_behind_a_proxy_a_made_up_forwarded_address_does_not_dodge_the_lockout(
    world, settings,
):
    settings.SOLIDAIRE_TRUSTED_PROXIES = 1
    client = Client(REMOTE_ADDR="10.0.0.254")  # the proxy
    for attempt in range(5):
        response = client.post(url("login"), {"username": "montreal", "password": "wrong"},
                               HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7")
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.254")
    assert log_in(other, "montreal", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_a_successful_login_clears_earlier_failures(world):
    client = Client(REMOTE_ADDR="10.0.0.3")
    for _attempt in range(4):
        client.post(url("login"), {"username": "montreal", "password": "wrong"})
    log_in(client, "montreal")
    client.post(url("logout"))
    for _attempt in range(4):
        assert client.post(url("login"), {"username": "montreal",
                                          "password": "wrong"}).status_code == 200
    assert log_in(client, "montreal").status_code == 302


def set_clock(client, *, started_ago: int, seen_ago: int):
    now = int(time.time())
    session = client.session
    session[STARTED_KEY] = now - started_ago
    session[SEEN_KEY] = now - seen_ago
    session.save()


def test_an_idle_session_is_logged_out_with_a_message(world, client, settings):
    log_in(client, "montreal", lang="fr")
    set_clock(client, started_ago=3600, seen_ago=settings.SOLIDAIRE_SESSION_IDLE_SECONDS + 5)
    response = client.get(url("people", lang="fr"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("login", lang="fr") + "?next=")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert translated("fr", "You were logged out after %(minutes)d minutes without activity. "
                            "Please log in again.", minutes=30) in page


def test_a_session_past_its_absolute_limit_is_logged_out_even_when_busy(
    world, client, settings,
):
    log_in(client, "montreal")
    set_clock(client, started_ago=settings.SOLIDAIRE_SESSION_ABSOLUTE_SECONDS + 5, seen_ago=10)
    response = client.get(url("home"))
    assert response["Location"].startswith(url("login"))
    page = client.get(response["Location"]).content.decode()
    assert translated("en", "Your session lasted its longest allowed time (%(hours)d hours). "
                            "Please log in again.", hours=12) in page


def test_an_active_session_stays_open_and_its_clock_moves(world, client, settings):
    log_in(client, "montreal")
    set_clock(client, started_ago=3600, seen_ago=settings.SOLIDAIRE_SESSION_IDLE_SECONDS - 60)
    assert client.get(url("home")).status_code == 200
    assert int(time.time()) - client.session[SEEN_KEY] < 5


def reset_link(email: OutboxEmail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", email.body_text).group(1)


def test_a_password_reset_goes_through_the_outbox_and_does_not_skip_the_code(
    world, client, device,
):
    user = world.montreal_organizer
    user.email = "montreal@example.org"
    user.save(update_fields=["email"])
    response = client.post(url("password_reset", lang="fr"), {"email": "montreal@example.org"})
    assert response["Location"] == url("password_reset_done", lang="fr")
    email = OutboxEmail.objects.get(to="montreal@example.org")
    assert email.language == "fr" and email.kind == "password_reset"
    link = reset_link(email)
    assert link.startswith("/fr/organize/password/reset/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    new = "a brand new passphrase 42"
    done = client.post(set_password_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == url("password_reset_complete", lang="fr")
    assert SESSION_KEY not in client.session

    response = client.post(url("login"), {"username": "montreal", "password": new})
    assert response["Location"].startswith(url("login_code"))
    assert client.get(url("home"))["Location"].startswith(url("login_code"))
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_coordinator_ends_another_accounts_sessions(world, as_user):
    montreal = Client()
    log_in(montreal, "montreal")
    assert montreal.get(url("home")).status_code == 200
    outsider = make_organizer(role=OrganizerRole.Role.CHAPTER_ORGANIZER, username="torontonian",
                              chapters=[world.toronto])

    coordinator = as_user(world.coordinator)
    listing = coordinator.get(url("accounts")).content.decode()
    assert "montreal" in listing and "torontonian" not in listing
    assert url("account_sessions_end", pk=world.montreal_organizer.pk) in listing
    response = coordinator.post(url("account_sessions_end", pk=world.montreal_organizer.pk))
    assert response["Location"] == url("accounts")
    assert montreal.get(url("home")).status_code == 302
    entry = AuditEntry.objects.get(action="solidaire.account.sessions.ended")
    assert entry.actor == world.coordinator
    assert entry.object_id == str(world.montreal_organizer.pk)
    assert entry.data == {"sessions": 1}
    assert coordinator.get(url("home")).status_code == 200
    assert coordinator.post(url("account_sessions_end", pk=outsider.pk)).status_code == 404


def test_only_coordinators_see_the_accounts_page(world, as_user, client):
    organizer_home = as_user(world.montreal_organizer).get(url("home")).content.decode()
    assert url("accounts") not in organizer_home and url("two_factor") in organizer_home
    assert client.get(url("accounts")).status_code == 404
    assert url("accounts") in as_user(world.coordinator).get(url("home")).content.decode()
