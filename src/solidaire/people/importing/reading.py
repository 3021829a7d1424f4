"""Opening an uploaded file: which kind it is, its encoding and delimiter, and its rows.

CSV files arrive in UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or Windows-1252 (Excel on Windows, "CSV (séparateur: point-virgule)");
a file that is not valid UTF-8 is read as Windows-1252 (decision 0015). XLSX files
are read with openpyxl without evaluating formulas, so a formula arrives as its text.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

MAX_COLUMNS = 200
_SAMPLE = 64 * 1024
csv.field_size_limit(1024 * 1024)


class ImportFileError(Exception):
    """A file that cannot be imported; `message` is shown to the organizer."""

    def __init__(self, code: str, message) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


NOT_A_SPREADSHEET = _(
    "This file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx)."
)
OLD_EXCEL = _(
    "This is an old Excel file (.xls). Open it in your spreadsheet program and save it as "
    "“Excel workbook (.xlsx)” or “CSV”, then upload that."
)
EMPTY = _("This file is empty: there is no row to import.")
NO_DATA_ROWS = _("This file has a header row but no row of people under it.")
UNREADABLE_XLSX = _(
    "This Excel file could not be read; it may be damaged or protected by a password. "
    "Save it again as .xlsx or CSV and upload that."
)

_BINARY_MAGIC = [b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!",
                 b"7z\xbc\xaf", b"\x7fELF", b"MZ", b"OggS", b"ID3", b"fLaC", b"RIFF"]


@dataclass(frozen=True)
class FileInfo:
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


def detect(path: Path) -> FileInfo:
    """Which kind of file this is; raises ImportFileError for anything we cannot read."""
    with open(path, "rb") as handle:
        head = handle.read(_SAMPLE)
    if not head.strip(b" \t\r\n\xef\xbb\xbf\x00\xff\xfe"):
        raise ImportFileError("empty", EMPTY)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise ImportFileError("unreadable_xlsx", UNREADABLE_XLSX) from exc
        if "xl/workbook.xml" not in names:
            raise ImportFileError("not_a_spreadsheet", NOT_A_SPREADSHEET)
        return FileInfo(file_format="xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("old_excel", OLD_EXCEL)
    if any(head.startswith(magic) for magic in _BINARY_MAGIC):
        raise ImportFileError("not_a_spreadsheet", NOT_A_SPREADSHEET)
    encoding = _encoding(path, head)
    sample = head.decode(encoding, errors="ignore")
    if "\x00" in sample or _control_ratio(sample) > 0.01:
        raise ImportFileError("not_a_spreadsheet", NOT_A_SPREADSHEET)
    return FileInfo(file_format="csv", encoding=encoding, delimiter=_delimiter(sample))


def _encoding(path: Path, head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return controls / len(text)


def _delimiter(sample: str) -> str:
    # Sniff on whole lines only: a cut line confuses the sniffer.
    if "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv_records(path: Path, info: FileInfo) -> Iterator[list[str]]:
    # cp1252 leaves five bytes undefined; they become U+FFFD instead of failing the file.
    with open(path, encoding=info.encoding, errors="replace", newline="") as handle:
        yield from csv.reader(handle, delimiter=info.delimiter or ",")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        # A phone typed into Excel is a number: 5145550123.0 must read 5145550123.
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx_records(path: Path) -> Iterator[list[str]]:
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("unreadable_xlsx", UNREADABLE_XLSX) from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values[:MAX_COLUMNS]]
    finally:
        workbook.close()


def records(path: Path, info: FileInfo) -> Iterator[list[str]]:
    """Every record of the file, header first, as lists of text (trailing blanks trimmed)."""
    source = _xlsx_records(path) if info.file_format == "xlsx" else _csv_records(path, info)
    for record in source:
        while record and not record[-1].strip():
            record.pop()
        yield record[:MAX_COLUMNS]


Rows = Iterator[tuple[int, list[str]]]


def header_and_rows(path: Path, info: FileInfo) -> tuple[list[str], Rows]:
    """The header row (the first non-blank record) and an iterator of (row number, cells).

    Row numbers are those a spreadsheet program shows: the header's is 1 when it is
    the first line. Blank rows are skipped but keep their numbers.
    """
    iterator = records(path, info)
    number = 0
    header: list[str] | None = None
    for record in iterator:
        number += 1
        if record:
            header = [cell.strip() for cell in record]
            break
    if header is None:
        raise ImportFileError("empty", EMPTY)
    start = number

    def data() -> Rows:
        row_number = start
        for record in iterator:
            row_number += 1
            if record:
                yield row_number, record

    return header, data()
