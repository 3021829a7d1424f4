"""The export page: the people list's filters, in scope, with status only under the rules."""

import csv
import io

import openpyxl
import pytest
from django.utils import timezone

from solidaire.core.models import AuditEntry
from solidaire.people.exporting import AUDIT_ACTION
from solidaire.people.models import Tag
from solidaire.people.services import status_set
from solidaire.people.status_cliff import current_month, month_add

from tests.organize.conftest import translated, url
from tests.second_factor import log_in

STATUS_LABEL = "Closed (employer-specific) work permit"
EXPIRY = month_add(current_month(), 3)  # within the permit filter's reach, whatever today is
EXPIRY_TEXT = f"{EXPIRY:%Y-%m}"


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path):
    settings.FIELD_KEYS_FILE = tmp_path / "keys.json"
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
    status_set(person=world.in_montreal, actor=world.coordinator,
               category="closed_work_permit", expiry_month=EXPIRY,
               flags=["peq_applicant"], note="Afraid of the employer")
    return world.coordinator


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))


def post(client, query="", lang="en", **data):
    form = {"file_format": "csv", "columns": ["name", "email", "phone"], **data}
    return client.post(url("people_export", lang=lang) + query, form)


def test_the_page_summarizes_the_list_and_ticks_the_usual_columns(world, as_user):
    response = as_user(world.montreal_organizer).get(url("people_export"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 people will be exported" in html
    assert 'name="columns" value="name" id="id_columns_0" checked' in html
    assert 'value="workplace"' in html
    assert 'value="workplace" id="id_columns_10" checked' not in html
    assert 'name="include_status"' not in html
    assert "Carlos Rimouski" not in html and "Bas-Saint-Laurent" not in html


def test_the_page_carries_the_lists_filters(world, as_user):
    response = as_user(world.montreal_organizer).get(url("people_export"),
                                                     {"chapter": world.cdn.slug})
    html = response.content.decode()
    assert "1 person will be exported" in html
    assert "Côte-des-Neiges" in html
    assert f'href="{url("people")}?chapter={world.cdn.slug}"' in html


def test_a_csv_download_holds_only_the_people_in_scope(world, as_user):
    response = post(as_user(world.montreal_organizer))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="people-{today}.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = download(response)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "E-mail", "Phone"]
    assert [row[0] for row in rows[1:]] == ["Ana Montréal", "Bea Côte-des-Neiges"]
    for hidden in (b"Carlos", b"Dev Toronto", b"Eve"):
        assert hidden not in data


def test_the_coordinator_exports_the_whole_organization(world, as_user):
    rows = csv_rows(post(as_user(world.coordinator)))
    assert [row[0] for row in rows[1:]] == ["Ana Montréal", "Bea Côte-des-Neiges",
                                            "Carlos Rimouski", "Eve Sans-chapitre"]


def test_the_download_honours_search_tag_and_chapter(world, as_user):
    client = as_user(world.montreal_organizer)
    assert [r[0] for r in csv_rows(post(client, "?q=Bea"))[1:]] == ["Bea Côte-des-Neiges"]
    tag = Tag.objects.create(name="rally")
    world.in_montreal.tags.add(tag)
    world.in_bsl.tags.add(tag)
    assert [r[0] for r in csv_rows(post(client, "?tag=rally"))[1:]] == ["Ana Montréal"]
    rows = csv_rows(post(client, f"?chapter={world.cdn.slug}"))
    assert [r[0] for r in rows[1:]] == ["Bea Côte-des-Neiges"]
    entry = AuditEntry.objects.filter(action=AUDIT_ACTION).latest("id")
    assert entry.data["filters"] == {"chapter": world.cdn.slug}
    assert entry.data["count"] == 1


def test_an_out_of_scope_filter_exports_nothing(world, as_user):
    client = as_user(world.montreal_organizer)
    response = post(client, f"?chapter={world.bsl.slug}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Some filters of the list are not valid" in html
    assert "Carlos" not in html
    assert not AuditEntry.objects.filter(action=AUDIT_ACTION).exists()


def test_an_xlsx_download_is_a_valid_workbook_with_formulas_as_text(world, as_user):
    world.in_montreal.chosen_name = '=HYPERLINK("http://evil.example","Click")'
    world.in_montreal.save()
    response = post(as_user(world.montreal_organizer), file_format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    escaped = "'=HYPERLINK(\"http://evil.example\",\"Click\")"
    assert escaped in cells
    assert cells[escaped].data_type == "s"
    assert "Bea Côte-des-Neiges" in cells and "Carlos Rimouski" not in cells


def test_formulas_are_escaped_in_the_csv_download(world, as_user):
    world.in_cdn.workplace = "+cmd|' /C calc'!A0"
    world.in_cdn.save()
    rows = csv_rows(post(as_user(world.montreal_organizer), columns=["name", "workplace"]))
    assert ["Bea Côte-des-Neiges", "'+cmd|' /C calc'!A0"] in rows


def test_headers_are_in_french_on_the_french_page(world, as_user):
    rows = csv_rows(post(as_user(world.montreal_organizer), lang="fr",
                         columns=["name", "given_name", "email"]))
    assert rows[0] == ["Nom", "Prénom", "Courriel"]


def test_a_missing_choice_keeps_the_page_with_an_error(world, as_user):
    response = as_user(world.montreal_organizer).post(url("people_export"),
                                                      {"file_format": "csv"})
    assert response.status_code == 200
    assert translated("en", "Please correct the errors below.") in response.content.decode()
    assert not AuditEntry.objects.filter(action=AUDIT_ACTION).exists()


@pytest.mark.parametrize("account", ["volunteer", "no_role"])
def test_accounts_without_people_get_404(world, as_user, account, django_user_model):
    user = (world.volunteer if account == "volunteer"
            else django_user_model.objects.create_user("nobody", password="x"))
    client = as_user(user)
    assert client.get(url("people_export")).status_code == 404
    assert post(client).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get(url("people_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("login"))


# --- immigration status ----------------------------------------------------------------


def test_a_crafted_status_post_is_ignored_for_an_organizer_without_access(
        world, reader, as_user):
    client = as_user(world.montreal_organizer)
    html = client.get(url("people_export")).content.decode()
    assert 'name="include_status"' not in html and 'name="confirm_status"' not in html
    response = post(client, include_status="on", confirm_status="on")
    rows = csv_rows(response)
    assert rows[0] == ["Name", "E-mail", "Phone"]
    assert STATUS_LABEL not in str(rows) and EXPIRY_TEXT not in str(rows)
    entry = AuditEntry.objects.get(action=AUDIT_ACTION)
    assert entry.data["status_included"] is False


def test_the_status_option_is_offered_unticked_to_a_status_reader(world, reader, as_user):
    html = as_user(reader).get(url("people_export")).content.decode()
    assert 'name="include_status"' in html and 'name="confirm_status"' in html
    assert 'name="include_status" id="id_include_status" checked' not in html
    rows = csv_rows(post(as_user(reader)))
    assert rows[0] == ["Name", "E-mail", "Phone"]
    assert STATUS_LABEL not in str(rows)


def test_status_columns_need_the_confirmation(world, reader, as_user):
    response = post(as_user(reader), include_status="on")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Tick this box to confirm" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AUDIT_ACTION).exists()


def test_status_columns_with_confirmation_are_exported_and_audited_without_values(
        world, reader, as_user):
    rows = csv_rows(post(as_user(reader), include_status="on", confirm_status="on"))
    assert rows[0] == ["Name", "E-mail", "Phone", "Immigration status",
                       "Permit expiry month", "Programmes"]
    ana = next(row for row in rows if row[0] == "Ana Montréal")
    assert ana[3:5] == [STATUS_LABEL, EXPIRY_TEXT]
    assert "Afraid" not in str(rows)
    entry = AuditEntry.objects.get(action=AUDIT_ACTION)
    assert entry.actor == reader
    assert entry.data["status_included"] is True
    assert entry.data["count"] == 4
    assert "closed" not in str(entry.data).lower() and EXPIRY_TEXT not in str(entry.data)


def test_the_permit_filter_is_audited_without_its_months(world, reader, as_user):
    rows = csv_rows(post(as_user(reader), "?permit_within=6"))
    assert [row[0] for row in rows[1:]] == ["Ana Montréal"]
    entry = AuditEntry.objects.get(action=AUDIT_ACTION)
    assert entry.data["filters"] == {"permit_filter": True}
