"""The one reader of uploaded spreadsheets (core.tabular, decisions 0040 and 0059): which
kind of file, its encoding and delimiter, its records, and the errors an organizer reads."""

import codecs
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from solidaire.core import tabular
from solidaire.core.tabular import ImportFileError, detect, looks_like_formula, parse_csv

FRENCH_EXCEL = (
    "Prénom;Nom;Courriel;Ville;Secteur\r\n"
    "Élodie;Côté;elodie@example.org;Montréal;entretien ménager\r\n"
    "François;Gagné;f.gagne@example.org;Québec;agriculture\r\n"
    "Hélène;Lefèbvre;helene@example.org;Trois-Rivières;soins à domicile\r\n"
)
FRENCH_ROWS = [line.split(";") for line in FRENCH_EXCEL.splitlines()]


def workbook_bytes(tmp_path: Path, rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    return path.read_bytes()


def test_a_windows_1252_french_excel_export_reads_with_its_accents_and_semicolons():
    content = FRENCH_EXCEL.encode("cp1252")
    info = detect(content)
    assert (info.file_format, info.encoding, info.delimiter) == ("csv", "cp1252", ";")
    assert parse_csv(content) == FRENCH_ROWS


def test_a_one_row_windows_1252_file_is_not_mistaken_for_another_western_code_page():
    # On so few letters charset-normalizer finds this slightly less messy as MS-DOS's
    # code page; Windows-1252 stays the answer unless another reads clearly better.
    content = "prénom;nom;ville\nFrançois;Côté;Saint-Jérôme\n".encode("cp1252")
    assert detect(content).encoding == "cp1252"
    assert parse_csv(content)[1] == ["François", "Côté", "Saint-Jérôme"]


def test_utf8_with_a_byte_order_mark_loses_the_mark_from_its_first_header():
    content = codecs.BOM_UTF8 + "Nom,Courriel\nZoé,zoe@example.org\n".encode()
    info = detect(content)
    assert (info.encoding, info.delimiter) == ("utf-8-sig", ",")
    assert parse_csv(content) == [["Nom", "Courriel"], ["Zoé", "zoe@example.org"]]


def test_utf8_without_a_mark_and_utf16_from_excels_unicode_text_read_alike():
    text = "Nom\tVille\nNguyễn Văn An\tMontréal\n"
    assert detect(text.encode()).encoding == "utf-8"
    assert detect(text.encode("utf-16")).encoding == "utf-16"
    expected = [["Nom", "Ville"], ["Nguyễn Văn An", "Montréal"]]
    assert parse_csv(text.encode()) == parse_csv(text.encode("utf-16")) == expected


@pytest.mark.parametrize(("delimiter", "name"), [
    (",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe"),
])
def test_the_delimiter_is_sniffed_among_comma_semicolon_tab_and_pipe(delimiter, name):
    rows = [["Name", "Email", "City"], ["Ana Lima", "ana@example.org", "Laval"],
            ["Ben Roy", "ben@example.org", "Lévis"]]
    content = "\n".join(delimiter.join(row) for row in rows).encode()
    assert detect(content).delimiter == delimiter, name
    assert parse_csv(content) == rows


def test_a_mac_excel_export_in_mac_roman_reads_with_its_accents():
    content = FRENCH_EXCEL.encode("mac_roman")
    assert detect(content).encoding == "mac_roman"
    assert parse_csv(content) == FRENCH_ROWS


def test_an_arabic_windows_export_reads_in_its_code_page():
    text = "الاسم,المدينة\nمحمد العلي,مونتريال\nفاطمة الزهراء,كيبك\nأحمد حسن,لافال\n"
    content = text.encode("cp1256")
    assert detect(content).encoding == "cp1256"
    assert parse_csv(content)[1] == ["محمد العلي", "مونتريال"]


def test_the_code_page_is_found_from_accented_rows_far_past_the_start():
    lines = ["Name,City"] + [f"Person {n},Laval" for n in range(5_000)]
    lines += ["Hélène Côté,Montréal", "Gaëlle Bérubé,Québec", "Jérôme Lévesque,Lévis"]
    content = ("\n".join(lines) + "\n").encode("mac_roman")
    assert len(content) > 64 * 1024
    assert detect(content).encoding == "mac_roman"
    assert parse_csv(content)[-3] == ["Hélène Côté", "Montréal"]


def test_a_formula_cell_is_handed_over_as_its_text_and_recognised(tmp_path):
    """Reading never runs or rewrites a formula (the export's writer neutralises, decision
    0045); `looks_like_formula` lets a reader refuse one."""
    csv_content = 'Name,Note\nAna,"=HYPERLINK(""http://evil.example"",""x"")"\nBen,+1 514\n'
    assert parse_csv(csv_content.encode())[1][1] == '=HYPERLINK("http://evil.example","x")'
    content = workbook_bytes(tmp_path, [["Name", "Total"], ["Ana", "=SUM(1,2)"]])
    info = detect(content)
    assert info.file_format == "xlsx"
    assert list(tabular.records(content, info)) == [["Name", "Total"], ["Ana", "=SUM(1,2)"]]
    for cell in ("=SUM(1,2)", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0"):
        assert looks_like_formula(cell), cell
    for cell in ("+1 514 555 0101", "-", "Ana", "", "a=b"):
        assert not looks_like_formula(cell), cell


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", codecs.BOM_UTF8, b"  \n\t\n"])
def test_an_empty_file_says_there_is_no_row(content):
    with pytest.raises(ImportFileError) as error:
        parse_csv(content)
    assert error.value.code == "empty"
    with translation.override("en"):
        assert str(error.value.message) == "This file is empty: there is no row to import."


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,  # an image
    bytes(range(256)) * 64,  # bytes of no known kind
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
])
def test_a_binary_file_is_refused_with_a_clear_message(content):
    with pytest.raises(ImportFileError) as error:
        detect(content)
    assert error.value.code == "not_a_spreadsheet"
    with translation.override("en"):
        assert str(error.value.message).startswith("This file is not a spreadsheet.")


def test_parse_csv_refuses_a_workbook_and_an_old_excel_file(tmp_path):
    with pytest.raises(ImportFileError) as error:
        parse_csv(workbook_bytes(tmp_path, [["Name"], ["Ana"]]))
    assert error.value.code == "not_csv"
    with pytest.raises(ImportFileError) as error:
        parse_csv(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert error.value.code == "old_excel"


def test_header_and_rows_number_rows_as_a_spreadsheet_shows_them():
    content = b"\n\nName,City\nAna,Laval\n\nBen,Levis\n"
    header, rows = tabular.header_and_rows(content, detect(content))
    assert header == ["Name", "City"]
    assert list(rows) == [(4, ["Ana", "Laval"]), (6, ["Ben", "Levis"])]


def test_every_spreadsheet_reader_is_the_one_in_core():
    """The people import, the targets and ridings lists and the video-meeting reports all
    read through core.tabular: no other module parses CSV or opens a workbook."""
    source = Path(__file__).resolve().parents[2] / "src" / "solidaire"
    readers = re.compile(r"csv\.reader\(|csv\.DictReader\(|load_workbook\(|csv\.Sniffer\(")
    found = sorted(str(path.relative_to(source)) for path in source.rglob("*.py")
                   if readers.search(path.read_text(encoding="utf-8")))
    assert found == ["core/tabular.py"]
