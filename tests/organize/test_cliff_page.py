"""The permit-expiry page and the people-list filter: status-access accounts only."""

import pytest

from solidaire.core.models import AuditEntry
from solidaire.people.services import status_set
from solidaire.people.status_cliff import current_month, month_add

from tests.organize.conftest import url
from tests.second_factor import log_in


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SOLIDAIRE_FIELD_KEYS", raising=False)
    settings.FIELD_KEYS_FILE = tmp_path / "keys" / "keys.json"
    settings.FIELD_KEYS_CREATE = True


@pytest.fixture
def as_user(client):
    """Logged in as the login asks: a status-access account types its code."""
    return lambda user: log_in(client, user)


@pytest.fixture
def reader(world):
    role = world.coordinator.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    return world.coordinator


@pytest.fixture
def people(world, reader):
    """This month: Ana (Montréal); in two months: Bea (Côte-des-Neiges); in a year and
    a half: Carlos (Bas-Saint-Laurent)."""
    this_month = current_month()
    for person, months, category in ((world.in_montreal, 0, "closed_work_permit"),
                                     (world.in_cdn, 2, "study_permit"),
                                     (world.in_bsl, 18, "open_work_permit")):
        status_set(person=person, actor=reader, category=category,
                   expiry_month=month_add(this_month, months))
    return world


def test_the_page_shows_counts_by_month_chapter_and_category(people, reader, as_user):
    response = as_user(reader).get(url("permit_cliff"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "style=" not in html
    cliff = response.context["cliff"]
    assert cliff.by_month == [1, 0, 1] + [0] * 9
    assert {row["name"]: row["total"] for row in response.context["chapters"]} == {
        "Montréal": 1, "Côte-des-Neiges": 1}
    assert {row["name"]: row["total"] for row in response.context["categories"]} == {
        "Closed (employer-specific) work permit": 1, "Study permit": 1}
    assert "Ana Montréal" not in html  # counts, never people
    for months in range(1, 13):
        assert f"?permit_within={months}" in html


def test_viewing_the_page_is_audited_once_without_values(people, reader, as_user):
    as_user(reader).get(url("permit_cliff"))
    entry = AuditEntry.objects.get(action="solidaire.person.status.cliff.viewed")
    assert entry.actor == reader and not entry.data


@pytest.mark.parametrize("account", ["montreal_organizer", "volunteer"])
def test_accounts_without_status_access_get_404(people, as_user, account):
    assert as_user(getattr(people, account)).get(url("permit_cliff")).status_code == 404


def test_the_filter_is_a_call_list_of_the_permits_ending_within_n_months(
        people, reader, as_user):
    client = as_user(reader)
    html = client.get(url("people") + "?permit_within=1").content.decode()
    assert "Ana Montréal" in html
    assert "Bea Côte-des-Neiges" not in html and "Carlos Rimouski" not in html
    assert 'name="permit_within"' in html
    assert ">E-mail<" not in html  # name and phone only
    html = client.get(url("people") + "?permit_within=3").content.decode()
    assert "Ana Montréal" in html and "Bea Côte-des-Neiges" in html
    assert "Carlos Rimouski" not in html
    html = client.get(url("people") + "?permit_within=24").content.decode()
    assert "Carlos Rimouski" in html
    html = client.get(url("people") + "?q=Bea&permit_within=3").content.decode()
    assert "Bea Côte-des-Neiges" in html and "Ana Montréal" not in html


def test_a_bad_number_of_months_shows_an_error_and_filters_nothing(people, reader, as_user):
    response = as_user(reader).get(url("people") + "?permit_within=99")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="99"' in html
    assert response.context["form"].errors["permit_within"]
    assert "Carlos Rimouski" in html


def test_accounts_without_status_access_never_see_or_use_the_filter(people, as_user):
    response = as_user(people.montreal_organizer).get(url("people") + "?permit_within=1")
    html = response.content.decode()
    assert 'name="permit_within"' not in html
    assert "Bea Côte-des-Neiges" in html  # the parameter is ignored
    assert "permit-expiry" not in html
