"""No downloaded spreadsheet runs a value as a formula: every CSV and XLSX an organizer
downloads, read back as a spreadsheet program would, in English and in French-Canadian
Excel (which splits a comma file's lines on its own list separator, the semicolon).

Each test downloads the file from its page (people export, petition signers, chart data,
import problem report) and reads every cell back (decision 0045).
"""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from solidaire.people.importing.services import person_import_run
from solidaire.petitions.models import Signature

from tests.factories import PersonFactory, PetitionFactory, TargetFactory, make_chapter
from tests.organize.conftest import url
from tests.organize.test_import_views import mapping_post, upload, uploaded_import

SIGNS = "=+-@＝＋－＠"
BLANKS = " \t\r\u00a0\u3000"
# What people type into public forms and organizers into theirs, to be run by whoever
# opens the download: formula signs, their full-width forms (＝ ＋ － ＠), the tab and
# carriage return, and a formula hidden after a list separator.
PAYLOADS = [
    "=1+1", "+1+2", "-1+2", "@SUM(1+1)*cmd|' /C calc'!A0",
    "＝1+1", "＋1+2", "－1+2", "＠SUM(1+1)",
    "\t=1+1", "\r=1+1", " =1+1", "\u3000＝1+1",
    "Ana;=2+5", "Ana; =cmd|' /C calc'!A0", "Ana;＝2+5", "Ana,=2+5", "Ana;-2+5", "Ana;@SUM(1)",
]


def dangerous_pieces(cell: str) -> list[str]:
    """The pieces of a cell a spreadsheet program could take for a cell of its own and run.

    The cell itself, and what follows each comma or semicolon in it: French-Canadian Excel
    opens our comma file split on semicolons, and a tool that ignores quotes splits on
    commas. A piece is dangerous when, after blanks, it starts with a formula sign; one
    starting with an apostrophe is text.
    """
    found = []
    for piece in re.split(r"[,;]", cell):
        stripped = piece.lstrip(BLANKS)
        if not piece.startswith("'") and stripped and stripped[0] in SIGNS:
            found.append(piece)
    return found


def assert_csv_inert(body: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    for row in rows:
        for cell in row:
            assert dangerous_pieces(cell) == [], cell
    return rows


def assert_xlsx_inert(body: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert dangerous_pieces(cell.value) == [], cell.value
        rows.append([cell.value for cell in row])
    return rows


def download(response) -> bytes:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def unescaped(cell: str) -> str:
    """The value as the person typed it, once the guard's apostrophes are taken out."""
    return re.sub(r"(^|[,;])'", r"\1", cell)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_people_export_neutralizes_every_formula(world, as_user, file_format):
    for n, payload in enumerate(PAYLOADS):
        PersonFactory(chosen_name=payload, given_name=f"G{n}", home_chapter=world.montreal,
                      workplace=payload)
    response = as_user(world.montreal_organizer).post(url("people_export"), {
        "file_format": file_format, "columns": ["name", "given_name", "workplace"]})
    body = download(response)
    rows = assert_csv_inert(body) if file_format == "csv" else assert_xlsx_inert(body)
    names = {row[1]: row[0] for row in rows[1:]}
    workplaces = {row[1]: row[2] for row in rows[1:]}
    for n, payload in enumerate(PAYLOADS):
        # Still readable: the value, with only the guard's apostrophes added (XML, inside
        # an XLSX, reads a carriage return back as a line feed).
        typed = payload if file_format == "csv" else payload.replace("\r", "\n")
        assert unescaped(names[f"G{n}"]) == typed
        assert workplaces[f"G{n}"] == names[f"G{n}"]


def test_a_petitions_signers_csv_neutralizes_what_the_public_typed(world, as_user):
    petition = PetitionFactory(organization=world.centre, chapter=world.montreal,
                               slug="care-for-all")
    target = TargetFactory(name="Marc Miller")
    petition.targets.add(target)
    for n, payload in enumerate(PAYLOADS):
        Signature.objects.create(petition=petition, token=f"t{n}", contact_key=f"c{n}",
                                 name=payload, city=payload, postal_code="H2X 1Y4",
                                 language="fr", email=f"s{n}@example.org",
                                 status=Signature.Status.COUNTED)
    response = as_user(world.coordinator).get(url("petition_packet_csv", "care-for-all",
                                                  target.pk))
    rows = assert_csv_inert(download(response))
    assert len(rows) == len(PAYLOADS) + 1


def test_a_charts_csv_neutralizes_chapter_names(world, as_user):
    for payload in ("＝1+1", "Montréal;=2+5", "＠SUM(1)"):
        chapter = make_chapter(organization=world.centre, name=payload, parent=world.montreal)
        PersonFactory(home_chapter=chapter)
    response = as_user(world.montreal_organizer).get(url("chart_csv", "chapters"))
    rows = assert_csv_inert(download(response))
    assert {"'＝1+1", "Montréal;'=2+5", "'＠SUM(1)"} <= {row[0] for row in rows}


@pytest.fixture
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_import_problem_report_neutralizes_the_values_it_quotes(world, as_user,
                                                                   import_dir, file_format):
    montreal = as_user(world.montreal_organizer)
    lines = ["Name,E-mail"] + [
        f'Person {n},"{payload}"' for n, payload in enumerate(PAYLOADS)
        if "\r" not in payload and "\t" not in payload]
    person_import = uploaded_import(upload(montreal, "list.csv",
                                           ("\r\n".join(lines) + "\r\n").encode("utf-8")))
    montreal.post(url("import_detail", pk=person_import.pk),
                  mapping_post(person_import, chapter="montreal"))
    person_import_run(import_id=person_import.pk)
    report = url("import_problems", pk=person_import.pk)
    if file_format == "csv":
        rows = assert_csv_inert(download(montreal.get(report)))
    else:
        rows = assert_xlsx_inert(download(montreal.get(report, {"format": "xlsx"})))
    quoted = [row[3] for row in rows[1:]]
    assert len(quoted) >= 10
    assert "'＝1+1" in quoted and "Ana;'=2+5" in quoted


def test_every_spreadsheet_writer_goes_through_the_one_escaping_function():
    """Only people/exporting.py writes CSV or XLSX cells; everything else calls its
    csv_chunks or xlsx_file, which pass every cell through cell_safe."""
    source = Path(__file__).resolve().parents[2] / "src" / "solidaire"
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|xlsxwriter")
    found = sorted(str(path.relative_to(source)) for path in source.rglob("*.py")
                   if writers.search(path.read_text(encoding="utf-8")))
    assert found == ["people/exporting.py"]
