"""The organizer pages of the spreadsheet import: upload, column choices, progress,
summary, problem report and undo (issue 4)."""

import csv
import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from solidaire.core.tabular import EMPTY, NOT_A_SPREADSHEET
from solidaire.people.importing.services import person_import_run
from solidaire.people.importing.tasks import person_import_undo_task
from solidaire.people.models import EmailAddress, Person, PersonImport

from tests.factories import EmailFactory
from tests.organize.conftest import url

# What a French-speaking organizer's Excel saves as "CSV (séparateur: point-virgule)".
FRENCH_CSV = (
    "Prénom;Nom;Courriel;Téléphone;Code postal;Langue\r\n"
    "Amélie;Tremblay;amelie@example.org;514 555-0101;H2X 1Y4;Français\r\n"
    "José;Nuñez;jose@example.org;;H3T 1A1;espagnol\r\n"
    "Hélène;Côté;pas-un-courriel;438 555-0199;;français\r\n"
    ";;;;H2X 1Y4;fr\r\n"
    "Ana;Montréal;ana@example.org;;;fr\r\n"
)
STATE = PersonImport.State


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    """Uploaded files are kept under a temporary directory, not the project's var/."""
    settings.IMPORT_DIR = tmp_path / "imports"
    return settings.IMPORT_DIR


def upload(client, name, content: bytes, lang="en"):
    return client.post(url("imports", lang=lang),
                       {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def uploaded_import(response) -> PersonImport:
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(re.search(r"/import/(\d+)/$", response.headers["Location"]).group(1))
    return PersonImport.objects.get(pk=pk)


def selected_choice(html: str, name: str) -> str:
    """The value of the option selected in <select name=…> ("" when none is)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else ""


def mapping_post(person_import, **extra) -> dict:
    data = {f"column_{index}": key for index, key in
            {int(i): k for i, k in person_import.mapping.items()}.items()}
    return {**data, **extra}


@pytest.fixture
def montreal(world, as_user):
    return as_user(world.montreal_organizer)


def test_a_windows_1252_semicolon_file_with_french_headers_gets_its_columns_guessed(
    world, montreal,
):
    response = upload(montreal, "membres.csv", FRENCH_CSV.encode("cp1252"))
    person_import = uploaded_import(response)

    page = montreal.get(url("import_detail", pk=person_import.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert [selected_choice(html, f"column_{i}") for i in range(6)] == [
        "given_name", "family_name", "email", "phone", "postal_code", "preferred_language"]
    # The preview shows the first rows, accents read right from Windows-1252.
    for cell in ["Amélie", "Nuñez", "pas-un-courriel", "438 555-0199"]:
        assert cell in html
    assert "Ana" in html and "ana@example.org" in html  # the 5th row: five rows shown
    # The chapter menu offers the organizer's chapters only.
    assert 'value="montreal"' in html and 'value="cote-des-neiges"' in html
    assert "Bas-Saint-Laurent" not in html


def test_the_whole_import_runs_and_the_summary_and_problem_report_are_right(world, montreal):
    EmailFactory(person=world.in_montreal, address="ana@example.org")
    person_import = uploaded_import(upload(montreal, "membres.csv",
                                           FRENCH_CSV.encode("cp1252")))

    response = montreal.post(url("import_detail", pk=person_import.pk),
                             mapping_post(person_import, chapter="montreal", tags="rally"))
    assert response.status_code == 302
    person_import.refresh_from_db()
    assert person_import.state == STATE.QUEUED
    assert person_import.chapter == world.montreal and person_import.tag_names == ["rally"]

    # While the import waits or runs, the page offers a link to refresh it, and a script
    # follows the progress; it never reloads itself by a meta refresh (WCAG 2.2.1).
    waiting = montreal.get(url("import_detail", pk=person_import.pk)).content.decode()
    assert "http-equiv" not in waiting
    assert '<a href="{}">Refresh</a>'.format(url("import_detail", pk=person_import.pk)) in waiting
    assert 'solidaire/import-progress.js" defer></script>' in waiting
    assert 'data-progress-url="{}"'.format(url("import_progress", pk=person_import.pk)) in waiting
    assert 'role="status"' in waiting

    person_import_run(import_id=person_import.pk)  # what the background worker does

    html = montreal.get(url("import_detail", pk=person_import.pk)).content.decode()
    assert "http-equiv" not in html and "import-progress.js" not in html
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([\d,]+)</dd>", html))
    assert counts["People added"] == "3"
    assert counts["People updated"] == "1"
    assert counts["Rows not imported"] == "1"
    assert counts["Rows with problems"] == "2"
    assert Person.objects.filter(home_chapter=world.montreal,
                                 chosen_name__startswith="Amélie").exists()
    assert EmailAddress.objects.filter(address="ana@example.org").count() == 1
    assert 'href="{}"'.format(url("import_problems", pk=person_import.pk)) in html
    assert "Undo this import" in html

    # The report, downloaded from the French pages, is in French.
    report = montreal.get(url("import_problems", pk=person_import.pk, lang="fr"))
    assert report.status_code == 200
    assert "no-store" in report.headers["Cache-Control"]
    assert report.headers["Content-Disposition"].startswith("attachment")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    with translation.override("fr"):
        assert rows[0] == [translation.gettext(w) for w in ("Row", "Column", "Reason", "Value")]
        bad_email = translation.gettext("Not an e-mail address.")
        no_name = translation.gettext("Row not imported: there is no name.")
    assert ["4", "Courriel", bad_email, "pas-un-courriel"] in rows
    assert any(row[0] == "5" and row[2] == no_name for row in rows[1:])


def test_the_problem_report_comes_as_a_workbook_and_never_as_formulas(world, montreal):
    content = (b"Name,E-mail\r\n"
               b"=HYPERLINK(\"http://evil.example\",\"click\"),ok@example.org\r\n"
               b"Bo,+not-an-email\r\n")
    person_import = uploaded_import(upload(montreal, "list.csv", content))
    montreal.post(url("import_detail", pk=person_import.pk),
                  mapping_post(person_import, chapter="montreal"))
    person_import_run(import_id=person_import.pk)

    csv_report = montreal.get(url("import_problems", pk=person_import.pk))
    text = b"".join(csv_report.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'+not-an-email" in cells
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    xlsx = montreal.get(url("import_problems", pk=person_import.pk) + "?format=xlsx")
    assert xlsx.status_code == 200
    assert "no-store" in xlsx.headers["Cache-Control"]
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Row", "Column", "Reason", "Value"]
    assert [3, "E-mail", "Not an e-mail address.", "'+not-an-email"] in values


def test_a_large_upload_goes_through_a_temporary_file(world, montreal, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # bigger uploads are kept on disk, not in memory
    person_import = uploaded_import(upload(montreal, "membres.csv",
                                           FRENCH_CSV.encode("cp1252")))
    assert person_import.headers[0] == "Prénom"
    assert person_import.size == len(FRENCH_CSV.encode("cp1252"))


def test_an_upload_whose_file_was_cleared_says_so(world, montreal, import_dir):
    person_import = uploaded_import(upload(montreal, "membres.csv",
                                           FRENCH_CSV.encode("cp1252")))
    (import_dir / person_import.stored_name).unlink()
    response = montreal.get(url("import_detail", pk=person_import.pk))
    assert response.status_code == 200
    assert "no longer on the server" in response.content.decode()


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), NOT_A_SPREADSHEET),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", NOT_A_SPREADSHEET),
    (b"", EMPTY),
    (b"\r\n\r\n  \r\n", EMPTY),
], ids=["png", "pdf", "empty", "blank-lines"])
def test_a_file_that_is_no_spreadsheet_gets_a_clear_message(world, montreal, content, message):
    response = upload(montreal, "membres.csv", content, lang="fr")
    assert response.status_code == 200
    with translation.override("fr"):
        assert escape(str(message)) in response.content.decode()
    assert not PersonImport.objects.exists()


def test_a_file_without_a_recognizable_column_says_so_and_cannot_start(world, montreal):
    person_import = uploaded_import(upload(montreal, "notes.csv",
                                           b"Foo;Bar\r\nx;y\r\nz;w\r\n"))
    html = montreal.get(url("import_detail", pk=person_import.pk)).content.decode()
    assert "None of the column headers of this file was recognized." in html

    response = montreal.post(url("import_detail", pk=person_import.pk),
                             {"column_0": "", "column_1": "sector", "chapter": "montreal",
                              "tags": "kept, as typed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the column that holds the name" in html
    assert "Choose the column that holds the e-mail or the phone" in html
    # What the organizer chose stays chosen.
    assert selected_choice(html, "column_1") == "sector"
    assert 'value="kept, as typed"' in html
    person_import.refresh_from_db()
    assert person_import.state == STATE.MAPPING


def test_a_chapter_organizer_must_choose_a_chapter(world, montreal):
    person_import = uploaded_import(upload(montreal, "membres.csv",
                                           FRENCH_CSV.encode("cp1252")))
    response = montreal.post(url("import_detail", pk=person_import.pk),
                             mapping_post(person_import, chapter=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = montreal.post(url("import_detail", pk=person_import.pk),
                             mapping_post(person_import, chapter="bas-saint-laurent"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_undo_removes_the_people_the_import_added(world, montreal):
    person_import = uploaded_import(upload(montreal, "membres.csv",
                                           FRENCH_CSV.encode("cp1252")))
    montreal.post(url("import_detail", pk=person_import.pk),
                  mapping_post(person_import, chapter="montreal"))
    person_import_run(import_id=person_import.pk)
    assert Person.objects.filter(chosen_name__startswith="Amélie").exists()

    confirm = montreal.get(url("import_undo", pk=person_import.pk))
    assert confirm.status_code == 200
    assert "This removes the 4 people the import added." in confirm.content.decode()

    response = montreal.post(url("import_undo", pk=person_import.pk))
    assert response.status_code == 302
    person_import.refresh_from_db()
    assert person_import.state == STATE.UNDOING
    person_import_undo_task.call(person_import.pk)  # what the background worker does

    assert not Person.objects.filter(chosen_name__startswith="Amélie").exists()
    assert Person.objects.filter(pk=world.in_montreal.pk).exists()
    html = montreal.get(url("import_detail", pk=person_import.pk)).content.decode()
    assert "This import was undone on" in html and "Undo this import" not in html
    # Once undone, the undo page sends back to the import's page.
    again = montreal.post(url("import_undo", pk=person_import.pk))
    assert again.status_code == 302


def test_the_undo_page_has_one_way_to_undo_and_a_distinct_way_back(world, montreal):
    # « Annuler cette importation » beside « Annuler »: two cancels meant opposite things.
    person_import = uploaded_import(upload(montreal, "membres.csv",
                                           FRENCH_CSV.encode("cp1252")))
    montreal.post(url("import_detail", pk=person_import.pk),
                  mapping_post(person_import, chapter="montreal"))
    person_import_run(import_id=person_import.pk)

    html = montreal.get(url("import_undo", pk=person_import.pk, lang="fr")).content.decode()

    actions = re.search(r'<p class="actions">(.*?)</p>', html, re.S).group(1)
    labels = [unescape(text).strip()
              for text in re.findall(r">([^<>]+)</(?:button|a)>", actions)]
    assert labels == ["Annuler cette importation", "Conserver l'importation"]


def test_the_upload_page_lists_only_the_organizers_own_imports(world, as_user, montreal):
    mine = uploaded_import(upload(montreal, "mine.csv", b"Name,Phone\r\nA,5145550101\r\n"))
    rimouski = as_user(world.rimouski_organizer)
    uploaded_import(upload(rimouski, "theirs.csv", b"Name,Phone\r\nB,4185550101\r\n"))

    html = as_user(world.montreal_organizer).get(url("imports")).content.decode()
    assert "mine.csv" in html and "theirs.csv" not in html
    assert url("import_detail", pk=mine.pk) in html
    coordinator_page = as_user(world.coordinator).get(url("imports")).content.decode()
    assert "mine.csv" in coordinator_page and "theirs.csv" in coordinator_page


def test_another_organizers_import_is_not_found(world, as_user):
    rimouski = as_user(world.rimouski_organizer)
    theirs = uploaded_import(upload(rimouski, "theirs.csv", b"Name,Phone\r\nB,4185550101\r\n"))
    montreal = as_user(world.montreal_organizer)
    for name in ("import_detail", "import_problems", "import_undo", "import_progress"):
        assert montreal.get(url(name, pk=theirs.pk)).status_code == 404
        assert montreal.post(url(name, pk=theirs.pk)).status_code == 404


def test_volunteers_have_no_import_pages(world, as_user):
    volunteer = as_user(world.volunteer)
    assert volunteer.get(url("imports")).status_code == 404
    response = upload(volunteer, "list.csv", b"Name,Phone\r\nA,5145550101\r\n")
    assert response.status_code == 404
    assert not PersonImport.objects.exists()


def test_a_failed_import_can_be_started_again(world, montreal):
    person_import = uploaded_import(upload(montreal, "list.csv",
                                           b"Name,Phone\r\nA,5145550101\r\n"))
    montreal.post(url("import_detail", pk=person_import.pk),
                  mapping_post(person_import, chapter="montreal"))
    PersonImport.objects.filter(pk=person_import.pk).update(
        state=STATE.FAILED, failure="The import stopped (OperationalError).")

    html = montreal.get(url("import_detail", pk=person_import.pk)).content.decode()
    assert "The import stopped (OperationalError)." in html
    response = montreal.post(url("import_detail", pk=person_import.pk), {"action": "retry"})
    assert response.status_code == 302
    person_import.refresh_from_db()
    assert person_import.state == STATE.QUEUED
    person_import_run(import_id=person_import.pk)
    person_import.refresh_from_db()
    assert person_import.state == STATE.DONE and person_import.created_count == 1


def test_the_progress_fragment_follows_the_import_until_it_is_finished(world, montreal):
    person_import = uploaded_import(upload(montreal, "membres.csv",
                                           FRENCH_CSV.encode("cp1252")))
    montreal.post(url("import_detail", pk=person_import.pk),
                  mapping_post(person_import, chapter="montreal"))

    waiting = montreal.get(url("import_progress", pk=person_import.pk))
    assert waiting.status_code == 200
    fragment = waiting.content.decode()
    assert "<html" not in fragment and "data-running" in fragment
    assert "Waiting to start" in fragment

    person_import_run(import_id=person_import.pk)

    fragment = montreal.get(url("import_progress", pk=person_import.pk)).content.decode()
    assert "data-running" not in fragment
    assert "The import is finished." in fragment
    assert re.search(r"<dt>People added</dt><dd>4</dd>", fragment)
