"""Export of a list of people to CSV or XLSX (decision 0016).

The caller hands over a queryset already scoped (`people_visible_to` and the list's
filters). Rows are read with a server-side iterator and their e-mails, phones, tags
and (for status-access accounts that asked for them) statuses are fetched a batch at
a time: a constant number of queries per batch, whatever the number of people.

Every exported text cell goes through `cell_safe`, so a spreadsheet program never
runs a value as a formula (OWASP "CSV injection"). `csv_chunks` and `xlsx_file` are the
only spreadsheet writers of the project: every download (people, petition signers, chart
data, import problem reports) writes through them (decision 0045).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.core.crypto import ERASED, DecryptionError
from solidaire.core.keys import keyring_load
from solidaire.core.services import audit_log

from .models import (
    STATUS_COLUMNS,
    EmailAddress,
    Person,
    PersonStatus,
    PhoneNumber,
    Source,
    StatusCategory,
    StatusFlag,
)
from .normalize import format_phone
from .selectors import status_access

AUDIT_ACTION = "solidaire.people.exported"
BATCH_SIZE = 2000
CSV_FLUSH_ROWS = 500
# An XLSX sheet has 1,048,576 rows; the first holds the headers.
XLSX_MAX_ROWS = 1_048_575
LIST_SEPARATOR = "; "


class Format:
    CSV = "csv"
    XLSX = "xlsx"
    CHOICES = [(CSV, "CSV"), (XLSX, "XLSX")]
    CONTENT_TYPES = {
        CSV: "text/csv; charset=utf-8",
        XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


# Column key -> header. Order is the order of the file.
COLUMNS = {
    "name": _("Name"),
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "email": _("E-mail"),
    "other_emails": _("Other e-mails"),
    "phone": _("Phone"),
    "postal_code": _("Postal code"),
    "language": _("Preferred language"),
    "chapter": _("Home chapter"),
    "sector": _("Sector"),
    "workplace": _("Workplace"),
    "tags": _("Tags"),
    "consent_email": _("Consent to e-mail"),
    "consent_sms": _("Consent to SMS"),
    "consent_phone": _("Consent to calls"),
    "source": _("Source"),
    "added": _("Added"),
}
DEFAULT_COLUMNS = ["name", "email", "phone", "postal_code", "language", "chapter", "tags",
                   "consent_email", "consent_sms", "consent_phone"]
# Only for status-access accounts that asked for them and confirmed (decision 0011).
STATUS_HEADERS = {
    "status_category": _("Immigration status"),
    "status_expiry": _("Permit expiry month"),
    "status_programmes": _("Programmes"),
}

# The person fields each row reads (the position in the tuple is the index below).
_FIELDS = ["pk", "chosen_name", "given_name", "family_name", "postal_code",
           "preferred_language", "home_chapter__name", "sector", "workplace", "consent_email",
           "consent_sms", "consent_phone", "source", "created_at"]
_AT = {name: i for i, name in enumerate(_FIELDS)}

# What a spreadsheet program may take for the start of a formula: the signs, their
# full-width forms (which Excel reads as the signs), after any blanks it skips.
_SIGNS = "=+\\-@＝＋－＠"
_BLANKS = " \t\r\u00a0\u3000"
_FORMULA_START = re.compile(rf"[\t\r]|[{_BLANKS}]*[{_SIGNS}]")
# A formula after a list separator: French-Canadian Excel opens a comma file split on its
# own separator, the semicolon, so "Ana;=1+1" becomes "Ana" and a formula; a tool that
# ignores quotes does the same with a comma.
_FORMULA_AFTER_SEPARATOR = re.compile(rf"([;,])(?=[{_BLANKS}]*[{_SIGNS}])")
_GUARD_AFTER_SEPARATOR = re.compile(rf"([;,])'(?=[{_BLANKS}]*[{_SIGNS}])")


def cell_safe(value):
    """A cell value a spreadsheet program will show, never run.

    Text that starts with a formula sign (= + - @, their full-width forms ＝ ＋ － ＠,
    after blanks or not) or a tab or carriage return gets a leading apostrophe, and so
    does every piece after a comma or semicolon that would start one. Other values are
    returned unchanged. `cell_unescape` undoes it.
    """
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    if _FORMULA_START.match(value):
        value = "'" + value
    return value


def cell_unescape(text: str) -> str:
    """A value read back from one of our exports, without `cell_safe`'s apostrophes."""
    if text.startswith("'") and _FORMULA_START.match(text, 1):
        text = text[1:]
    return _GUARD_AFTER_SEPARATOR.sub(r"\1", text)


class ExportTooLarge(ValueError):
    """More people than an XLSX sheet holds."""


def column_choices() -> list[tuple[str, str]]:
    return list(COLUMNS.items())


class _ReadablePhones:
    """`format_phone`, made fast for North American numbers (most of any list).

    Finding a number's region is most of format_phone's time (it tries every NANP
    region). Numbers are stored valid, and a NANP area code belongs to one country,
    so once a number of an area code came back in the national "(514) 555-0123"
    form, the others of that area code are written the same way without asking.
    """

    def __init__(self):
        self.national_areas: set[str] = set()

    @staticmethod
    def _national(number: str) -> str:
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"

    def __call__(self, number: str) -> str:
        nanp = len(number) == 12 and number.startswith("+1") and number[1:].isdigit()
        if nanp and number[:5] in self.national_areas:
            return self._national(number)
        text = format_phone(number)
        if nanp and text == self._national(number):
            self.national_areas.add(number[:5])
        return text


@dataclass(frozen=True)
class _Words:
    """Every translated value of the cells, taken in the active language when the
    export starts (a streamed CSV is written after the view has returned)."""

    yes: str
    no: str
    unreadable: str
    erased: str
    sources: dict[str, str]
    categories: dict[str, str]
    flags: dict[str, str]
    readable_phone: _ReadablePhones

    @classmethod
    def now(cls) -> _Words:
        return cls(
            yes=gettext("Yes"), no=gettext("No"), unreadable=gettext("(unreadable)"),
            erased=str(ERASED),
            sources={key: str(label) for key, label in Source.choices},
            categories={key: str(label) for key, label in StatusCategory.choices},
            flags={key: str(label) for key, label in StatusFlag.choices},
            readable_phone=_ReadablePhones(),
        )


_SEALED = ("sealed_category", "sealed_expiry_month", "sealed_flags")


def _status_batch(ids: list[int], keyring, words: _Words) -> dict[int, list[str]]:
    """Person id -> [category, expiry month, programmes], opened in one pass.
    The private note is never read."""
    opened = {}
    rows = PersonStatus.objects.filter(person_id__in=ids).values_list("person_id", *_SEALED)
    for person_id, *sealed in rows:
        try:
            category, month, flags = (
                STATUS_COLUMNS.unseal(name, token, person_id, keyring=keyring)
                for name, token in zip(_SEALED, sealed, strict=True)
            )
            if ERASED in (category, month, flags):
                opened[person_id] = [words.erased] * 3
                continue
            opened[person_id] = [
                words.categories[category] if category else "",
                month,
                LIST_SEPARATOR.join(words.flags[flag] for flag in json.loads(flags)),
            ]
        except (DecryptionError, KeyError, ValueError):
            opened[person_id] = [words.unreadable] * 3
    return opened


def _batch_rows(batch: list[tuple], columns: list[str], *, with_status: bool,
                keyring, words: _Words) -> Iterator[list]:
    ids = [row[0] for row in batch]
    emails: dict[int, list[str]] = {}
    if {"email", "other_emails"} & set(columns):
        # An address or number typed on a form and not yet confirmed is nobody's yet: an
        # export is used for messages outside Solidaire (decision 0036).
        addresses = (EmailAddress.objects.filter(person_id__in=ids, pending=False)
                     .order_by("person_id", "-is_primary", "id")
                     .values_list("person_id", "address"))
        for person_id, address in addresses:
            emails.setdefault(person_id, []).append(address)
    phones: dict[int, str] = {}
    if "phone" in columns:
        numbers = (PhoneNumber.objects.filter(person_id__in=ids, pending=False)
                   .order_by("person_id", "-is_primary", "id")
                   .values_list("person_id", "number"))
        for person_id, number in numbers:
            phones.setdefault(person_id, number)
    tags: dict[int, list[str]] = {}
    if "tags" in columns:
        links = (Person.tags.through.objects.filter(person_id__in=ids)
                 .order_by("person_id", "tag__name").values_list("person_id", "tag__name"))
        for person_id, name in links:
            tags.setdefault(person_id, []).append(name)
    statuses = _status_batch(ids, keyring, words) if with_status else {}

    yes, no = words.yes, words.no
    readable_phone = words.readable_phone
    for row in batch:
        person_id = row[0]
        addresses = emails.get(person_id, [])
        values = {
            "name": row[_AT["chosen_name"]],
            "given_name": row[_AT["given_name"]],
            "family_name": row[_AT["family_name"]],
            "email": addresses[0] if addresses else "",
            "other_emails": LIST_SEPARATOR.join(addresses[1:]),
            "phone": readable_phone(phones[person_id]) if person_id in phones else "",
            "postal_code": row[_AT["postal_code"]],
            "language": row[_AT["preferred_language"]],
            "chapter": row[_AT["home_chapter__name"]] or "",
            "sector": row[_AT["sector"]],
            "workplace": row[_AT["workplace"]],
            "tags": LIST_SEPARATOR.join(tags.get(person_id, [])),
            "consent_email": yes if row[_AT["consent_email"]] else no,
            "consent_sms": yes if row[_AT["consent_sms"]] else no,
            "consent_phone": yes if row[_AT["consent_phone"]] else no,
            "source": words.sources.get(row[_AT["source"]], row[_AT["source"]]),
            "added": timezone.localtime(row[_AT["created_at"]]).date(),
        }
        cells = [values[key] for key in columns]
        if with_status:
            cells.extend(statuses.get(person_id, ["", "", ""]))
        yield cells


def export_rows(queryset: QuerySet[Person], columns: list[str], *,
                with_status: bool = False) -> Iterator[list]:
    """The rows of the file (without headers), in the queryset's order; cell texts in
    the language active now, even if the rows are read later.

    No access check: `people_export` does it. Status values live only in the rows
    yielded; nothing is kept or logged.
    """
    words = _Words.now()
    keyring = keyring_load() if with_status else None
    people = queryset.select_related(None).prefetch_related(None).values_list(*_FIELDS)

    def rows():
        batch: list[tuple] = []
        for row in people.iterator(chunk_size=BATCH_SIZE):
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                yield from _batch_rows(batch, columns, with_status=with_status,
                                       keyring=keyring, words=words)
                batch = []
        if batch:
            yield from _batch_rows(batch, columns, with_status=with_status, keyring=keyring,
                                   words=words)

    return rows()


def headers(columns: list[str], *, with_status: bool = False) -> list[str]:
    """Column headers in the active language."""
    names = [str(COLUMNS[key]) for key in columns]
    if with_status:
        names.extend(str(label) for label in STATUS_HEADERS.values())
    return names


def csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (so Excel reads accents right), a few hundred
    rows per chunk: for a StreamingHttpResponse or a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([cell_safe(value) for value in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell_safe(value) for value in row])
        if count % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(header: list[str], rows: Iterable[list], *, title: str = "") -> IO[bytes]:
    """An XLSX workbook (write-only: rows go straight to disk) in a temporary file,
    positioned at its start, its one sheet named `title` (default "People"). The file
    disappears when closed."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    # A sheet name holds at most 31 characters.
    sheet = workbook.create_sheet(title=(title or gettext("People"))[:31])

    def cell(value):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", cell_safe(value))
            written = WriteOnlyCell(sheet, value=value)
            written.data_type = "s"  # text, never a formula, whatever it starts with
            return written
        if isinstance(value, datetime.date):
            written = WriteOnlyCell(sheet, value=value)
            written.number_format = "yyyy-mm-dd"
            return written
        return value

    sheet.append([cell(value) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    # Returned open: the response closes it, and closing deletes it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        workbook.save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


@dataclass
class PeopleExport:
    """A file ready to send: `chunks` (CSV, lazily generated) or `file` (XLSX)."""

    count: int
    file_format: str
    filename: str
    content_type: str
    chunks: Iterator[bytes] | None = None
    file: IO[bytes] | None = None


def people_export(*, user, queryset: QuerySet[Person], columns: list[str], file_format: str,
                  include_status: bool = False, filters: dict | None = None,
                  via: str = "dashboard") -> PeopleExport:
    """Export `queryset` (already scoped by the caller) with `columns`, audited.

    `include_status` adds the three status columns; only status-access accounts may
    ask (PermissionDenied otherwise). The audit entry holds the count, the format,
    the columns, the filters as described by the caller and whether status columns
    were included: never a value.
    """
    unknown = set(columns) - set(COLUMNS)
    if unknown or not columns:
        raise ValueError(f"unknown or no columns: {sorted(unknown)}")
    if file_format not in Format.CONTENT_TYPES:
        raise ValueError(f"unknown format {file_format!r}")
    if include_status and not status_access(user):
        raise PermissionDenied("This account may not export immigration status.")
    columns = [key for key in COLUMNS if key in columns]  # the file's own order
    count = queryset.count()
    if file_format == Format.XLSX and count > XLSX_MAX_ROWS:
        raise ExportTooLarge(
            gettext("An XLSX sheet holds at most %(max)s people and this list has %(count)s. "
                    "Choose CSV, or narrow the list with filters.")
            % {"max": f"{XLSX_MAX_ROWS:,}", "count": f"{count:,}"}
        )
    header = headers(columns, with_status=include_status)
    rows = export_rows(queryset, columns, with_status=include_status)
    export = PeopleExport(
        count=count, file_format=file_format,
        filename=f"people-{timezone.localdate():%Y-%m-%d}.{file_format}",
        content_type=Format.CONTENT_TYPES[file_format],
    )
    if file_format == Format.XLSX:
        export.file = xlsx_file(header, rows)
    else:
        export.chunks = csv_chunks(header, rows)
    audit_log(action=AUDIT_ACTION, actor=user, data={
        "count": count,
        "format": file_format,
        "columns": columns,
        "filters": dict(filters or {}),
        "status_included": include_status,
        "via": via,
    })
    return export

