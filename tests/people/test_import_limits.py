"""The import's other face, `solidaire people import`, and its background run hold the
same limits as the upload page: a hostile file is refused fast with the page's message,
and an import whose file passes a limit lowered since it was uploaded stops with a
message saying which."""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from solidaire.people.importing.selectors import import_failure_text
from solidaire.people.importing.services import person_import_create, person_import_run
from solidaire.people.models import Person, PersonImport

from tests.upload_files import xlsx_bytes, xlsx_with_entities, xlsx_zip_bomb


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def test_the_command_refuses_a_zip_bomb_in_seconds(world, tmp_path):
    path = tmp_path / "membres.xlsx"
    path.write_bytes(xlsx_zip_bomb())
    started = time.monotonic()
    with translation.override("en"), pytest.raises(CommandError, match="unpacks to more than"):
        call_command("people", "import", str(path), "--user", "coordinator")
    assert time.monotonic() - started < 5
    assert not PersonImport.objects.exists()


def test_the_command_refuses_a_workbook_with_a_dtd(world, tmp_path):
    path = tmp_path / "membres.xlsx"
    path.write_bytes(xlsx_with_entities())
    with translation.override("en"), pytest.raises(CommandError,
                                                    match="spreadsheet programs do not write"):
        call_command("people", "import", str(path), "--user", "coordinator")


def test_a_workbook_is_read_by_its_bytes_whatever_its_name(world, tmp_path):
    path = tmp_path / "membres-sans-extension"
    path.write_bytes(xlsx_bytes([["Nom complet", "Courriel"],
                                 ["Rosa Diaz", "rosa@example.org"]]))
    out = io.StringIO()
    with translation.override("en"):
        call_command("people", "import", str(path), "--user", "coordinator", stdout=out)
    assert "Imported 1 rows" in out.getvalue()
    assert Person.objects.filter(emails__address="rosa@example.org").exists()


def test_an_import_past_a_limit_lowered_since_its_upload_stops_and_says_why(
        world, tmp_path, settings):
    path = tmp_path / "membres.csv"
    path.write_bytes(b"Name,Phone\r\n" + b"".join(
        b"Person %d,514555%04d\r\n" % (i, i) for i in range(10)))
    person_import = person_import_create(path=path, original_name=path.name,
                                         actor=world.coordinator)
    assert person_import.rows_total == 10
    PersonImport.objects.filter(pk=person_import.pk).update(
        state=PersonImport.State.QUEUED, rows_total=None)  # as uploaded before the count
    settings.UPLOAD_MAX_ROWS = 5
    person_import = person_import_run(import_id=person_import.pk)
    assert person_import.state == PersonImport.State.FAILED
    with translation.override("en"):
        assert import_failure_text(person_import) == (
            "This file has more than 5 rows. Split it into smaller files and upload each "
            "one.")
    assert not Person.objects.filter(chosen_name__startswith="Person ").exists()
