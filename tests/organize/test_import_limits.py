"""Hostile and oversized spreadsheets sent to the import page over HTTP: each is refused
on the upload page with a clear message, fast and without big memory; a small workbook
imports; the file is read once, at upload."""

import re
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from solidaire.people.importing.services import import_path, person_import_run
from solidaire.people.models import Person, PersonImport

from tests.organize.conftest import url
from tests.upload_files import (
    xlsx_bytes,
    xlsx_rows_far_apart,
    xlsx_with_entities,
    xlsx_with_external_entity,
    xlsx_with_long_cell,
    xlsx_zip_bomb,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"
    return settings.IMPORT_DIR


@pytest.fixture
def montreal(world, as_user):
    return as_user(world.montreal_organizer)


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return xlsx_zip_bomb()


def post_file(client, name: str, content: bytes, *, lang="en", content_type="text/csv"):
    return client.post(url("imports", lang=lang),
                       {"file": SimpleUploadedFile(name, content, content_type=content_type)})


def refusal(response) -> str:
    """The upload page, still usable, with the message under the file field."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert '<input type="file" name="file"' in html
    assert not PersonImport.objects.exists()
    return html.replace("\xa0", " ")  # sizes are written with no-break spaces


def test_a_small_workbook_kept_in_memory_by_the_upload_imports(world, montreal):
    content = xlsx_bytes([["Prénom", "Nom", "Courriel", "Cellulaire"],
                          ["Amélie", "Tremblay", "amelie@example.org", 5145550101],
                          ["José", "Nuñez", "jose@example.org", None]])
    assert len(content) < 2_500_000  # under FILE_UPLOAD_MAX_MEMORY_SIZE: never on disk
    response = post_file(montreal, "membres.xlsx", content, content_type=XLSX_TYPE)
    assert response.status_code == 302, response.content.decode()[:3000]
    person_import = PersonImport.objects.get()
    assert person_import.file_format == "xlsx"
    assert person_import.headers == ["Prénom", "Nom", "Courriel", "Cellulaire"]
    assert person_import.rows_total == 2

    page = montreal.get(url("import_detail", pk=person_import.pk)).content.decode()
    assert "Amélie" in page and "5145550101" in page
    data = {f"column_{i}": key for i, key in person_import.mapping.items()}
    response = montreal.post(url("import_detail", pk=person_import.pk),
                             {**data, "chapter": "montreal"})
    assert response.status_code == 302
    person_import_run(import_id=person_import.pk)  # what the background worker does
    amelie = Person.objects.get(emails__address="amelie@example.org")
    assert amelie.chosen_name == "Amélie Tremblay"
    assert amelie.phones.get().number == "+15145550101"
    assert Person.objects.filter(emails__address="jose@example.org").exists()


def test_a_zip_bomb_workbook_is_refused_in_seconds_without_big_memory(world, montreal,
                                                                       zip_bomb):
    assert len(zip_bomb) < 6_000_000  # a few megabytes on the wire, 448 MB unpacked
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = post_file(montreal, "membres.xlsx", zip_bomb, content_type=XLSX_TYPE)
        seconds = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    html = refusal(response)
    assert escape("This Excel file unpacks to more than 20 MB.") in html
    assert "Save it as CSV" in html
    assert seconds < 5
    # The upload itself is held in memory once or twice by the test client; parsing the
    # shared strings would take gigabytes.
    assert peak < 60_000_000


def test_a_zip_bomb_is_refused_in_french_too(world, montreal, zip_bomb):
    html = refusal(post_file(montreal, "membres.xlsx", zip_bomb, lang="fr",
                             content_type=XLSX_TYPE))
    assert "Ce fichier Excel, une fois décompressé, dépasse 20 Mo." in html


@pytest.mark.parametrize("content", [xlsx_with_entities(), xlsx_with_external_entity()],
                         ids=["billion-laughs", "external-entity"])
def test_a_workbook_with_a_dtd_gets_a_clear_message(world, montreal, content):
    started = time.monotonic()
    html = refusal(post_file(montreal, "membres.xlsx", content, content_type=XLSX_TYPE))
    assert time.monotonic() - started < 5
    assert "that spreadsheet programs do not write" in html
    assert "lollol" not in html


def test_a_csv_cell_over_the_cell_limit_gets_a_clear_message(world, montreal):
    content = b"Name,E-mail,Notes\r\nAna,ana@example.org," + b"x" * 1_100_000 + b"\r\n"
    html = refusal(post_file(montreal, "membres.csv", content))
    assert "Row 2 of this file holds a cell of more than 32,767 characters" in html


def test_a_workbook_cell_over_the_cell_limit_gets_a_clear_message(world, montreal):
    html = refusal(post_file(montreal, "membres.xlsx", xlsx_with_long_cell(32_768),
                             content_type=XLSX_TYPE))
    assert "Row 3 of this file holds a cell of more than 32,767 characters" in html


def test_too_many_columns_gets_a_clear_message(world, montreal):
    header = ",".join(["Name", "E-mail"] + [f"Extra {i}" for i in range(499)])
    content = f"{header}\r\nAna,ana@example.org\r\n".encode()
    html = refusal(post_file(montreal, "membres.csv", content))
    assert "This file has more than 500 columns." in html


def test_too_many_rows_gets_a_clear_message(world, montreal):
    content = b"Name,Phone\r\n" + b"Ana,5145550101\r\n" * 1_048_576
    html = refusal(post_file(montreal, "membres.csv", content))
    assert "This file has more than 1,048,576 rows." in html


def test_a_workbook_whose_rows_are_far_apart_is_refused_fast(world, montreal):
    started = time.monotonic()
    html = refusal(post_file(montreal, "membres.xlsx", xlsx_rows_far_apart(1_048_577),
                             content_type=XLSX_TYPE))
    assert time.monotonic() - started < 10
    assert "This file has more than 1,048,576 rows." in html


def test_a_workbook_is_read_only_as_wide_as_the_column_limit(world, montreal):
    # A cell in column 501: past the limit.
    html = refusal(post_file(montreal, "membres.xlsx", xlsx_rows_far_apart(3, "SG"),
                             content_type=XLSX_TYPE))
    assert "This file has more than 500 columns." in html
    # A cell in the sheet's last column (16,384) is never reached: the rest imports.
    started = time.monotonic()
    response = post_file(montreal, "membres.xlsx", xlsx_rows_far_apart(1_000, "XFD"),
                         content_type=XLSX_TYPE)
    assert time.monotonic() - started < 5
    assert response.status_code == 302
    assert PersonImport.objects.get().headers == ["Name", "E-mail"]


def test_a_file_over_the_upload_limit_is_refused_and_not_kept(world, montreal, settings,
                                                               import_dir):
    settings.UPLOAD_MAX_BYTES = 1_000_000
    content = b"Name,Phone\r\n" + b"Ana,5145550101\r\n" * 100_000  # 1.6 MB
    html = refusal(post_file(montreal, "membres.csv", content))
    assert escape("This file is larger than 976.6 KB.") in html
    assert not import_dir.exists() or not any(import_dir.iterdir())


def test_the_upload_limit_defaults_to_100_mb_not_512(world, montreal):
    page = montreal.get(url("imports")).content.decode().replace("\xa0", " ")
    assert "of at most 100 MB" in page


def test_the_thirty_first_upload_within_an_hour_is_refused(world, montreal, as_user):
    content = b"Name,Phone\r\nAna,5145550101\r\n"
    for _ in range(30):
        assert post_file(montreal, "membres.csv", content).status_code == 302
    response = post_file(montreal, "membres.csv", content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have uploaded 30 files in the last hour" in html
    assert PersonImport.objects.count() == 30
    # Another account has its own count.
    coordinator = as_user(world.coordinator)
    assert post_file(coordinator, "membres.csv", content).status_code == 302


def test_the_mapping_page_shows_what_was_read_at_upload_without_reading_again(
    world, montreal, import_dir,
):
    content = xlsx_bytes([["Name", "E-mail"], ["Ana", "ana@example.org"],
                          ["Bo", "bo@example.org"]])
    response = post_file(montreal, "membres.xlsx", content, content_type=XLSX_TYPE)
    pk = int(re.search(r"/import/(\d+)/$", response.headers["Location"]).group(1))
    person_import = PersonImport.objects.get(pk=pk)
    assert person_import.preview == [["Ana", "ana@example.org"], ["Bo", "bo@example.org"]]
    # Whatever is on disk now, the page shows what the upload read.
    import_path(person_import).write_bytes(b"not a workbook any more")
    page = montreal.get(url("import_detail", pk=pk)).content.decode()
    assert "bo@example.org" in page
    assert "could not be read" not in page
