"""The one reader of uploaded spreadsheets: which kind of file, its encoding and
delimiter, and its records, within limits (decisions 0015, 0040 and 0059).

Every upload that holds rows goes through here: the people import (CSV or XLSX), the
lists of targets and ridings and the participant reports of video meetings
(`parse_csv`). A CSV file with a byte-order mark is read as it says (UTF-8 or UTF-16,
Excel's "Unicode text"); one that is valid UTF-8 as UTF-8; any other through
charset-normalizer, among the code pages spreadsheet programs write in the languages
the site offers, Windows-1252 (Excel on Windows, "CSV (séparateur: point-virgule)")
unless another one reads clearly better. The delimiter is sniffed among , ; tab and |.
XLSX files are read with openpyxl without evaluating formulas, so a formula arrives as
its text; openpyxl parses their XML through defusedxml, which refuses a DTD's entities.

Cells are handed over exactly as the file holds them: neutralising formulas is the
writers' job (`people.exporting.cell_safe`, decision 0045); a reader that wants to
refuse a formula asks `looks_like_formula`.

The limits (settings `UPLOAD_MAX_*`) are checked as the file is read, so that a hostile
file costs at most what a file at the limits costs: a workbook's parts are added up
from its zip directory before anything is unpacked, a row is read at most as wide as
the column limit, and a cell or a row past its limit stops the reading.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import operator
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.core.filesize import file_size

_SAMPLE = 64 * 1024
# A workbook of a few sheets has a few dozen parts; a zip of hundreds of thousands of
# empty parts costs seconds and hundreds of megabytes just to list.
MAX_WORKBOOK_PARTS = 10_000
# What a preview shows of a header or a cell (the page shows 60 characters).
PREVIEW_CHARS = 200

Source = Path | bytes  # a file on disk, or a small upload held in memory


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
UNREADABLE_XLSX = _(
    "This Excel file could not be read; it may be damaged or protected by a password. "
    "Save it again as .xlsx or CSV and upload that."
)
XML_DECLARATIONS = _(
    "This Excel file holds XML declarations (a DTD) that spreadsheet programs do not "
    "write, so it was not read. Open it in your spreadsheet program, save it again as "
    ".xlsx or CSV, and upload that."
)
NOT_CSV = _("This file is not a CSV file. In your spreadsheet program, save it as “CSV” "
            "and upload that.")

_BINARY_MAGIC = [b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!",
                 b"7z\xbc\xaf", b"\x7fELF", b"MZ", b"OggS", b"ID3", b"fLaC", b"RIFF"]


# -- limits ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    """What one uploaded file may hold (settings; see the README's "Spreadsheets")."""

    rows: int
    columns: int
    cell_chars: int
    unpacked_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(rows=settings.UPLOAD_MAX_ROWS, columns=settings.UPLOAD_MAX_COLUMNS,
                   cell_chars=settings.UPLOAD_MAX_CELL_CHARS,
                   unpacked_bytes=settings.UPLOAD_MAX_UNPACKED_BYTES)


def too_big_error(limit: int) -> ImportFileError:
    return ImportFileError("too_big", gettext(
        "This file is larger than %(limit)s. Split it into smaller files and upload each "
        "one.") % {"limit": file_size(limit)})


def _unpacked_error(limits: Limits) -> ImportFileError:
    return ImportFileError("too_big_unpacked", gettext(
        "This Excel file unpacks to more than %(limit)s. Save it as CSV, which is read "
        "without unpacking, or split it into smaller files.")
        % {"limit": file_size(limits.unpacked_bytes)})


def _rows_error(limits: Limits) -> ImportFileError:
    return ImportFileError("too_many_rows", gettext(
        "This file has more than %(limit)s rows. Split it into smaller files and upload "
        "each one.") % {"limit": number_format(limits.rows, force_grouping=True)})


def _columns_error(limits: Limits) -> ImportFileError:
    return ImportFileError("too_many_columns", gettext(
        "This file has more than %(limit)s columns. Delete the columns you do not need, "
        "then upload it again.")
        % {"limit": number_format(limits.columns, force_grouping=True)})


def _cell_error(row: int, limits: Limits) -> ImportFileError:
    return ImportFileError("cell_too_large", gettext(
        "Row %(row)s of this file holds a cell of more than %(limit)s characters, more "
        "than a spreadsheet program puts in a cell. Check that this is the file you meant "
        "to upload and, for a CSV file, that its columns are separated by commas or "
        "semicolons.") % {"row": number_format(row, force_grouping=True),
                         "limit": number_format(limits.cell_chars, force_grouping=True)})


def error_message(code: str) -> str:
    """The message of an error code, in the active language (for an import that stopped
    on its file after the upload; the row of a cell is no longer known then)."""
    limits = Limits.from_settings()
    messages = {
        "too_big_unpacked": lambda: _unpacked_error(limits).message,
        "too_many_rows": lambda: _rows_error(limits).message,
        "too_many_columns": lambda: _columns_error(limits).message,
        "cell_too_large": lambda: gettext(
            "A cell of this file holds more than %(limit)s characters, more than a "
            "spreadsheet program puts in a cell.")
            % {"limit": number_format(limits.cell_chars, force_grouping=True)},
        "xml_declarations": lambda: str(XML_DECLARATIONS),
        "unreadable_xlsx": lambda: str(UNREADABLE_XLSX),
        "not_a_spreadsheet": lambda: str(NOT_A_SPREADSHEET),
        "empty": lambda: str(EMPTY),
    }
    return messages[code]() if code in messages else ""


class _CellTooLarge(Exception):
    """Raised by a format's reader; `records` knows the row and makes the message."""


class _RowTooLong(Exception):
    def __init__(self, delimiters: int) -> None:
        super().__init__(delimiters)
        self.delimiters = delimiters


# -- which kind of file ---------------------------------------------------------------

@dataclass(frozen=True)
class FileInfo:
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


@contextmanager
def _binary(source: Source) -> Iterator[io.BytesIO | io.BufferedReader]:
    if isinstance(source, bytes | bytearray):
        yield io.BytesIO(source)
    else:
        with open(source, "rb") as handle:
            yield handle


def detect(source: Source) -> FileInfo:
    """Which kind of file this is; raises ImportFileError for anything we cannot read."""
    with _binary(source) as handle:
        head = handle.read(_SAMPLE)
        if not head.strip(b" \t\r\n\xef\xbb\xbf\x00\xff\xfe"):
            raise ImportFileError("empty", EMPTY)
        if head.startswith(b"PK\x03\x04"):
            _workbook_check(handle, Limits.from_settings())
            return FileInfo(file_format="xlsx")
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileError("old_excel", OLD_EXCEL)
        if any(head.startswith(magic) for magic in _BINARY_MAGIC):
            raise ImportFileError("not_a_spreadsheet", NOT_A_SPREADSHEET)
        encoding = _encoding(handle, head)
    sample = head.decode(encoding, errors="ignore")
    if "\x00" in sample or _control_ratio(sample) > 0.01:
        raise ImportFileError("not_a_spreadsheet", NOT_A_SPREADSHEET)
    return FileInfo(file_format="csv", encoding=encoding, delimiter=_delimiter(sample))


def _workbook_check(handle, limits: Limits) -> None:
    """Refuse a zip bomb before anything is unpacked.

    The sizes come from the zip's directory. They cannot understate what is read:
    Python's zipfile stops unpacking a part at its listed size (and fails its
    checksum), and openpyxl reads through zipfile. A workbook is never larger than
    what it unpacks to, and its parts are counted before the directory is listed.
    """
    handle.seek(0, io.SEEK_END)
    if handle.tell() > limits.unpacked_bytes:
        raise _unpacked_error(limits)
    if _zip_directory_entries(handle) > MAX_WORKBOOK_PARTS:
        raise ImportFileError("unreadable_xlsx", UNREADABLE_XLSX)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError("unreadable_xlsx", UNREADABLE_XLSX) from exc
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise ImportFileError("not_a_spreadsheet", NOT_A_SPREADSHEET)
    # Spreadsheet programs deflate; other methods could unpack a whole part at once.
    if any(part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
           for part in parts):
        raise ImportFileError("unreadable_xlsx", UNREADABLE_XLSX)
    if sum(part.file_size for part in parts) > limits.unpacked_bytes:
        raise _unpacked_error(limits)


def _zip_directory_entries(handle) -> int:
    """How many times a zip directory entry's signature occurs (at least the number of
    parts); a byte scan, so that a hostile directory is not listed to be counted."""
    handle.seek(0)
    count, tail = 0, b""
    while block := handle.read(1 << 20):
        data = tail + block
        count += data.count(b"PK\x01\x02")
        tail = data[-3:]
    return count


def _encoding(handle, head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    handle.seek(0)
    try:
        while block := handle.read(1 << 20):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return _legacy_encoding(handle)
    return "utf-8"


# The code pages spreadsheet programs write a CSV file in, for the languages the site
# offers (settings.CONTENT_LANGUAGES): Western European on Windows, on older Macs and
# in Excel's "CSV (MS-DOS)"; Arabic, Cyrillic (Ukrainian), Simplified and Traditional
# Chinese, Vietnamese. Punjabi and Hindi have no such code page: those files are
# Unicode. Other Latin code pages (Central European, Baltic…) read a short French
# list as well as Windows-1252 does and would only make wrong guesses.
LEGACY_ENCODINGS = ("cp1252", "mac_roman", "cp850", "cp1256", "cp1251", "gb18030", "big5",
                    "cp1258")
# How much messier than the best reading Windows-1252 may be and still be chosen: on a
# few short lines charset-normalizer can find French in Windows-1252 slightly messier
# than its reading as another Western code page (decision 0059).
_CP1252_MARGIN = 0.1


def _legacy_encoding(handle) -> str:
    """The code page of a file that is not UTF-8: Windows-1252, the Canadian default,
    unless charset-normalizer reads it clearly better as another of LEGACY_ENCODINGS."""
    from charset_normalizer import from_bytes  # imported here: UTF-8 files never pay

    matches = from_bytes(_non_ascii_lines(handle), cp_isolation=list(LEGACY_ENCODINGS))
    best = matches.best()
    if best is None:
        return "cp1252"
    chaos = {match.encoding: match.chaos for match in matches}
    if "cp1252" in chaos and chaos["cp1252"] - best.chaos <= _CP1252_MARGIN:
        return "cp1252"
    return best.encoding


def _non_ascii_lines(handle) -> bytes:
    """Whole lines holding non-ASCII bytes, up to _SAMPLE bytes of them, from anywhere in
    the file: the first accented name may be on row 5,000, and a line cut in the middle
    of a character would rule its code page out."""
    handle.seek(0)
    sample, tail = bytearray(), b""
    while block := handle.read(1 << 20):
        *lines, tail = (tail + block).split(b"\n")
        if len(tail) > _SAMPLE:  # no text has such lines; a piece of it will do
            lines.append(tail[:_SAMPLE])
            tail = b""
        for line in lines:
            if line.isascii():
                continue
            if len(sample) + len(line) >= _SAMPLE:
                return bytes(sample) or line[:_SAMPLE]
            sample += line + b"\n"
    if not tail.isascii() and len(sample) + len(tail) < _SAMPLE:
        sample += tail
    return bytes(sample)


# What a spreadsheet program may take for the start of a formula.
FORMULA_SIGNS = "=+-@"


def looks_like_formula(text: str) -> bool:
    """Whether a cell read from a file holds a formula a spreadsheet program would run
    ("=SUM(A1)", "+cmd|' /C calc'!A0", "@SUM(A1)"), not a value that merely starts with a
    sign ("-", "+1 514 555 0123"). For readers that refuse formulas; the reader itself
    hands every cell over unchanged."""
    if not text or text[0] not in FORMULA_SIGNS:
        return False
    if text[0] == "=":
        return True
    return any(ch in text for ch in "(|!")


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
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


# -- the records ----------------------------------------------------------------------

def _csv_records(source: Source, info: FileInfo, limits: Limits) -> Iterator[list[str]]:
    delimiter = info.delimiter or ","
    # Longer than any line of cells within the limits: such a line would be split into
    # millions of cells before its length could be checked.
    longest = limits.columns * (limits.cell_chars + 3)

    def lines(text) -> Iterator[str]:
        for line in text:
            if len(line) > longest:
                raise _RowTooLong(line.count(delimiter))
            yield line

    # Process-wide, and the same for every reader: all the CSV the application reads
    # comes through here.
    csv.field_size_limit(limits.cell_chars)
    # cp1252 leaves five bytes undefined; they become U+FFFD instead of failing the file.
    with _binary(source) as handle, io.TextIOWrapper(
            handle, encoding=info.encoding, errors="replace", newline="") as text:
        try:
            yield from csv.reader(lines(text), delimiter=delimiter)
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _CellTooLarge from exc
            raise ImportFileError("not_a_spreadsheet", NOT_A_SPREADSHEET) from exc


def _cell_text(value, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > limit:
            raise _CellTooLarge
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


def _workbook_error(exc: Exception) -> ImportFileError:
    """What openpyxl raised, as our error: it wraps what defusedxml refused in its own."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return ImportFileError("xml_declarations", XML_DECLARATIONS)
        cause = cause.__cause__ or cause.__context__
    return ImportFileError("unreadable_xlsx", UNREADABLE_XLSX)


def _guarded(rows: Iterator[tuple]) -> Iterator[tuple]:
    """openpyxl's rows, with what it raises on a damaged or hostile part as our errors."""
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise _workbook_error(exc) from exc
        yield values


def _xlsx_records(source: Source, limits: Limits) -> Iterator[list[str]]:
    import openpyxl  # imported here: only XLSX imports pay for it

    if not openpyxl.DEFUSEDXML:
        raise ImproperlyConfigured("openpyxl must parse workbooks through defusedxml")
    with _binary(source) as handle:
        # A file object, not a path: openpyxl refuses a path without ".xlsx", and an
        # upload Django kept in memory is written out under a plain name.
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise _workbook_error(exc) from exc
        try:
            if not workbook.worksheets:
                raise ImportFileError("unreadable_xlsx", UNREADABLE_XLSX)
            sheet = workbook.worksheets[0]
            # The size a sheet states can be wrong either way: read what is there, but
            # never wider than one column past the limit (enough to see it is passed).
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=limits.columns + 1, values_only=True)
            present = itertools.repeat(None)
            for values in _guarded(rows):
                if values.count(None) == len(values):
                    yield []
                    continue
                end = bytes(map(operator.is_not, values, present)).rfind(1) + 1
                yield [_cell_text(value, limits.cell_chars) for value in values[:end]]
        finally:
            workbook.close()


def records(source: Source, info: FileInfo, limits: Limits | None = None
            ) -> Iterator[list[str]]:
    """Every record of the file, header first, as lists of text (trailing blanks trimmed;
    a blank record is []). Raises ImportFileError at the first limit passed."""
    limits = limits or Limits.from_settings()
    source_records = (_xlsx_records(source, limits) if info.file_format == "xlsx"
                      else _csv_records(source, info, limits))
    number = 0
    try:
        for record in source_records:
            number += 1
            if number > limits.rows:
                raise _rows_error(limits)
            while record and not record[-1].strip():
                record.pop()
            if len(record) > limits.columns:
                raise _columns_error(limits)
            yield record
    except _CellTooLarge:
        raise _cell_error(number + 1, limits) from None
    except _RowTooLong as exc:
        if exc.delimiters >= limits.columns:
            raise _columns_error(limits) from None
        raise _cell_error(number + 1, limits) from None


Rows = Iterator[tuple[int, list[str]]]


def header_and_rows(source: Source, info: FileInfo) -> tuple[list[str], Rows]:
    """The header row (the first non-blank record) and an iterator of (row number, cells).

    Row numbers are those a spreadsheet program shows: the header's is 1 when it is
    the first line. Blank rows are skipped but keep their numbers.
    """
    iterator = records(source, info)
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


@dataclass
class Survey:
    """What one reading of a whole file learns: enough for the column-choice page."""

    info: FileInfo
    header: list[str]
    preview: list[list[str]]
    rows: int


def survey(source: Source, *, preview_rows: int = 5) -> Survey:
    """Read the whole file once, checking every limit: its kind, header, first rows
    (as wide as the header, each cell cut to what a page shows) and number of rows."""
    info = detect(source)
    header, data = header_and_rows(source, info)
    width = len(header)
    preview: list[list[str]] = []
    count = 0
    for _number, cells in data:
        count += 1
        if len(preview) < preview_rows:
            preview.append([cell[:PREVIEW_CHARS] for cell in
                            (cells + [""] * width)[:width]])
    return Survey(info=info, header=[cell[:PREVIEW_CHARS] for cell in header],
                  preview=preview, rows=count)


def parse_csv(content: bytes, *, delimiter: str | None = None) -> list[list[str]]:
    """Every record of a CSV file held in memory (a list of targets or ridings, a
    participant report), with the encoding and delimiter `detect` finds unless
    `delimiter` is given. Raises ImportFileError ("not_csv" for a workbook)."""
    info = detect(content)
    if info.file_format != "csv":
        raise ImportFileError("not_csv", NOT_CSV)
    if delimiter:
        info = replace(info, delimiter=delimiter)
    return list(records(content, info))
