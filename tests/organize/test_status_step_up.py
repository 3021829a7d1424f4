"""Immigration status asks for a recent second factor on every request that shows it,
whatever the login asked (decision 0046). Driven over HTTP: the real login, code page,
middleware and views."""

import datetime
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django_otp.oath import totp

from solidaire.core.models import AuditEntry, OrganizerRole
from solidaire.core.two_factor import SESSION_PENDING_KEY
from solidaire.people.models import PersonStatus
from solidaire.people.services import status_read, status_set
from solidaire.people.status_cliff import current_month, month_add

from tests.organize.conftest import url
from tests.second_factor import code_for, code_goes_stale, device_for, log_in_with_code
from tests.waiting import wait_until

PASSWORD = "correct horse battery"
CATEGORY = "Closed (employer-specific) work permit"
NOTE = "Afraid of the employer"
SOON = month_add(current_month(), 2)


def says(page: str, lang: str, msgid: str) -> bool:
    """The page shows this message as translated into `lang` (apostrophes and all)."""
    with translation.override(lang):
        return translation.gettext(msgid) in unescape(page)


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SOLIDAIRE_FIELD_KEYS", raising=False)
    settings.FIELD_KEYS_FILE = tmp_path / "keys" / "keys.json"
    settings.FIELD_KEYS_CREATE = True


@pytest.fixture
def recorded(world):
    """Ana (Montréal) has a status, recorded by the coordinator."""
    OrganizerRole.objects.filter(user=world.coordinator).update(status_access=True)
    status_set(person=world.in_montreal, actor=world.coordinator,
               category="closed_work_permit", expiry_month=SOON, note=NOTE)
    return world.in_montreal


def log_in(client, username, lang="en"):
    """The login form, as a person types it."""
    return client.post(url("login", lang=lang), {"username": username, "password": PASSWORD})


def grant_status_access(user):
    """What an administrator does in the admin, while the account stays logged in."""
    role = OrganizerRole.objects.get(user=user)
    role.status_access = True
    role.save(update_fields=["status_access"])


def shows_status(html: str) -> bool:
    return CATEGORY in html or NOTE in html or f'value="{SOON:%Y-%m}"' in html


def test_status_access_given_during_a_session_shows_nothing_until_a_code_is_set_up(
    world, client, recorded,
):
    """The attack: an account logs in without status access (no code asked), is given
    status access, and opens a person page in the same session."""
    assert log_in(client, "montreal")["Location"] == url("home")
    grant_status_access(world.montreal_organizer)
    person_page = url("person_detail", pk=recorded.pk)

    page = client.get(person_page)
    assert page.status_code == 200
    html = page.content.decode()
    assert not shows_status(html)
    assert says(html, "en",
                "To see or change it, enter a code from your authenticator app first.")
    assert not AuditEntry.objects.filter(action="solidaire.person.status.viewed").exists()
    step_up = page.context["status_step_up"]
    assert step_up.startswith(url("step_up") + "?next=")

    # No device yet: the code page sends it to set one up, coming back afterwards.
    prompt = client.get(step_up)
    assert prompt.status_code == 200
    enrol = prompt.context["enrol_url"]
    assert enrol.startswith(url("two_factor") + "?next=")
    assert client.get(enrol).status_code == 200
    key = client.session[SESSION_PENDING_KEY]
    done = client.post(enrol, {"code": f"{totp(bytes.fromhex(key)):06d}",
                               "next": person_page + "#status"})
    assert done.status_code == 302 and done["Location"] == person_page + "#status"

    html = client.get(person_page).content.decode()
    assert shows_status(html)
    assert AuditEntry.objects.filter(action="solidaire.person.status.viewed").count() == 1


def test_status_access_given_after_an_old_code_asks_for_the_code_and_comes_back(
    world, client, recorded,
):
    log_in_with_code(client, world.montreal_organizer)
    code_goes_stale(client)
    grant_status_access(world.montreal_organizer)
    person_page = url("person_detail", pk=recorded.pk)

    html = client.get(person_page).content.decode()
    assert not shows_status(html)
    step_up = client.get(person_page).context["status_step_up"]
    page = client.get(step_up)
    assert page.status_code == 200 and "enrol_url" not in page.context

    device = device_for(world.montreal_organizer)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    refused = client.post(url("step_up"), {"code": wrong, "next": person_page})
    assert refused.status_code == 200
    assert says(refused.content.decode(), "en",
                "This code is not right, or came too late. Enter the code your app shows now.")
    assert not shows_status(client.get(person_page).content.decode())

    # After a wrong code django-otp refuses any code for a second: wait until it takes one.
    wait_until(lambda: type(device).objects.get(pk=device.pk).verify_is_allowed()[0],
               message="django-otp to allow a code again")
    back = client.post(url("step_up"), {"code": code_for(device), "next": person_page})
    assert back.status_code == 302 and back["Location"] == person_page
    assert shows_status(client.get(person_page).content.decode())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_code_older_than_the_window_is_asked_again_on_every_status_page(
    world, client, recorded, lang,
):
    reader = world.coordinator
    log_in_with_code(client, reader, lang=lang)
    person_page = url("person_detail", pk=recorded.pk, lang=lang)
    assert shows_status(client.get(person_page).content.decode())

    code_goes_stale(client)
    html = client.get(person_page).content.decode()
    assert not shows_status(html)
    assert says(html, lang, "Enter my code")
    for page, query in ((url("permit_cliff", lang=lang), ""),
                        (url("people", lang=lang), "?permit_within=3"),
                        (url("people_export", lang=lang), "?permit_within=3"),
                        (url("audience_new", lang=lang),
                         f"?permit_from={SOON:%Y-%m}&permit_to={SOON:%Y-%m}")):
        response = client.get(page + query)
        assert response.status_code == 302, page
        assert response["Location"].startswith(url("step_up", lang=lang) + "?next="), page
    count = client.get(url("audience_count", lang=lang),
                       {"permit_from": f"{SOON:%Y-%m}", "permit_to": f"{SOON:%Y-%m}"})
    assert count.status_code == 403 and "count" not in count.json()

    # Saving a status from a page opened before the code went stale: the code first.
    saved = client.post(url("person_status", pk=recorded.pk, lang=lang),
                        {"category": "citizen"})
    assert saved["Location"].startswith(url("step_up", lang=lang))
    assert status_read(person=recorded, actor=reader).category == "closed_work_permit"

    # The status columns of an export are not offered, and a posted tick is ignored.
    export = client.get(url("people_export", lang=lang))
    assert not export.context["form"].offers_status
    assert export.context["status_step_up"]
    rows = client.post(url("people_export", lang=lang), {
        "file_format": "csv", "columns": ["name"], "include_status": "on",
        "confirm_status": "on"})
    body = b"".join(rows.streaming_content).decode("utf-8-sig")
    assert "Ana Montréal" in body and CATEGORY not in body and f"{SOON:%Y-%m}" not in body

    # The code, and the page asked for opens.
    cliff = url("permit_cliff", lang=lang)
    back = client.post(url("step_up", lang=lang),
                       {"code": code_for(device_for(reader)), "next": cliff})
    assert back["Location"] == cliff
    assert client.get(cliff).status_code == 200
    assert shows_status(client.get(person_page).content.decode())


def test_pages_without_status_keep_working_without_the_code(world, client, recorded):
    log_in_with_code(client, world.coordinator)
    code_goes_stale(client)
    for name, args in (("home", ()), ("people", ()), ("person_edit", (recorded.pk,)),
                       ("audiences", ()), ("call_lists", ()), ("campaigns", ())):
        assert client.get(url(name, *args)).status_code == 200, name
    assert client.get(url("people"), {"q": "Ana"}).status_code == 200


def test_the_code_page_comes_back_only_to_this_site(world, client):
    log_in_with_code(client, world.coordinator)
    code_goes_stale(client)
    device = device_for(world.coordinator)
    response = client.post(url("step_up"), {"code": code_for(device),
                                            "next": "https://attacker.example/steal"})
    assert response["Location"] == url("home")


def test_a_recent_code_opens_status_pages_without_asking_again(world, client, recorded):
    log_in_with_code(client, world.coordinator)
    assert client.get(url("permit_cliff")).status_code == 200
    # The code page has nothing to ask: straight back.
    response = client.get(url("step_up"), {"next": url("permit_cliff")})
    assert response["Location"] == url("permit_cliff")


def test_removing_the_device_closes_status_at_once(world, client, recorded):
    """Lost phone: staff remove the device; the session holds no verified code any more."""
    log_in_with_code(client, world.coordinator)
    assert shows_status(client.get(url("person_detail", pk=recorded.pk)).content.decode())
    device_for(world.coordinator).delete()
    html = client.get(url("person_detail", pk=recorded.pk)).content.decode()
    assert not shows_status(html)


# -- the admin -----------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


def test_the_admin_opens_only_after_a_code(world, client, superuser):
    """A superuser could give itself status access in the admin: the admin itself asks
    for a recent code first, and an account without a device must set one up."""
    client.force_login(superuser)
    first = client.get("/admin/", follow=True)
    assert first.redirect_chain[-1][0].startswith(url("step_up", lang="fr") + "?next=")
    assert "enrol_url" in first.context
    assert client.get("/admin/people/person/").status_code == 302

    device = device_for(superuser)
    back = client.post(url("step_up", lang="fr"), {"code": code_for(device),
                                                   "next": "/admin/people/person/"})
    assert back["Location"] == "/admin/people/person/"
    assert client.get("/admin/people/person/").status_code == 200

    code_goes_stale(client)
    again = client.get("/admin/core/organizerrole/")
    assert again.status_code == 302
    assert client.get(again["Location"])["Location"].startswith(url("step_up", lang="fr"))


def test_the_people_admin_never_shows_a_status(world, client, superuser, recorded):
    log_in_with_code(client, superuser)
    html = client.get(f"/admin/people/person/{recorded.pk}/change/").content.decode()
    assert client.get("/admin/people/personstatus/").status_code == 404  # not registered
    assert CATEGORY not in html and NOTE not in html and "v1:" not in html
    assert PersonStatus.objects.filter(person=recorded).exists()


def test_the_window_is_a_setting(world, client, recorded, settings):
    log_in_with_code(client, world.coordinator)
    settings.SOLIDAIRE_STATUS_STEP_UP_SECONDS = -1  # every code is too old
    assert client.get(url("permit_cliff")).status_code == 302
    settings.SOLIDAIRE_STATUS_STEP_UP_SECONDS = int(datetime.timedelta(hours=2).total_seconds())
    assert client.get(url("permit_cliff")).status_code == 200
