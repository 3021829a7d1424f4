"""Real spreadsheet files for the upload tests: workbooks as Excel would write them,
and the hostile ones an attacker writes (a zip bomb, a DTD with entities, rows far
apart), each built byte for byte in the test, never mocked."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def xlsx_bytes(rows: list[list]) -> bytes:
    """A workbook saved by openpyxl: what a spreadsheet program writes for these rows."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_shared_strings(sheet_xml: bytes, write_strings) -> bytes:
    """A valid workbook whose first sheet is `sheet_xml` and whose shared-string table is
    written, streamed and compressed, by `write_strings(handle)`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED}"/>'
                    "</Types>").encode())
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    f'<Relationship Type="{_RELS}/sharedStrings" Target="sharedStrings.xml" '
                    'Id="rIdStrings"/></Relationships>').encode())
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            archive.writestr(info, data)
        with archive.open("xl/sharedStrings.xml", "w") as handle:
            write_strings(handle)
    return out.getvalue()


def _sheet(rows_xml: str, dimension: str = "") -> bytes:
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">{dimension}'
            f"<sheetData>{rows_xml}</sheetData></worksheet>").encode()


_HEADER_ROW = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
               '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>')


def xlsx_zip_bomb(unpacked_mb: int = 448) -> bytes:
    """A workbook of a few megabytes whose shared strings unpack to `unpacked_mb` MB (the
    attack: 4.4 MB on disk, 448 MB unpacked, minutes of parsing and gigabytes of memory)."""

    def strings(handle):
        handle.write(f'<sst xmlns="{_MAIN}"><si><t>Name</t></si><si><t>E-mail</t></si>'
                     "<si><t>Ana</t></si><si><t>ana@example.org</t></si>".encode())
        # Millions of short strings: each becomes a Python object when parsed.
        chunk = b"<si><t>Ana</t></si>" * 50_000
        for _ in range(unpacked_mb * 1_000_000 // len(chunk)):
            handle.write(chunk)
        handle.write(b"</sst>")

    return _with_shared_strings(_sheet(_HEADER_ROW, "A1:B2"), strings)


def xlsx_with_entities() -> bytes:
    """A workbook whose shared strings declare a DTD with nested entities (the "billion
    laughs": a few hundred bytes that expand to gigabytes if a parser resolves them)."""
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))

    def strings(handle):
        handle.write(
            f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol0 "lol">{lol}]>'
            f'<sst xmlns="{_MAIN}"><si><t>Name</t></si><si><t>E-mail</t></si>'
            "<si><t>&lol9;</t></si><si><t>ana@example.org</t></si></sst>".encode())

    return _with_shared_strings(_sheet(_HEADER_ROW, "A1:B2"), strings)


def xlsx_with_external_entity(path: str = "/etc/hostname") -> bytes:
    """A workbook whose sheet declares an external entity that would read a server file
    into a cell (XXE)."""
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{path}">]>'
             f'<worksheet xmlns="{_MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c>'
             '<c r="B2" t="s"><v>3</v></c></row></sheetData></worksheet>').encode()

    def strings(handle):
        handle.write(f'<sst xmlns="{_MAIN}"><si><t>Name</t></si><si><t>E-mail</t></si>'
                     "<si><t>Ana</t></si><si><t>ana@example.org</t></si></sst>".encode())

    return _with_shared_strings(sheet, strings)


def xlsx_rows_far_apart(last_row: int, last_column: str = "XFD") -> bytes:
    """A tiny workbook with a header, one person, and one cell at `last_column` of row
    `last_row` (its stated size says so too): a reader that fills the gap row by row and
    column by column works for minutes on a file of a few hundred bytes."""
    rows = (_HEADER_ROW + f'<row r="{last_row}"><c r="{last_column}{last_row}" t="s">'
            "<v>2</v></c></row>")

    def strings(handle):
        handle.write(f'<sst xmlns="{_MAIN}"><si><t>Name</t></si><si><t>E-mail</t></si>'
                     "<si><t>Ana</t></si><si><t>ana@example.org</t></si></sst>".encode())

    return _with_shared_strings(_sheet(rows, f"A1:{last_column}{last_row}"), strings)


def xlsx_with_long_cell(chars: int) -> bytes:
    """A workbook whose second person's name is `chars` characters long (spreadsheet
    programs stop at 32,767; a hand-made file need not)."""

    def strings(handle):
        handle.write(f'<sst xmlns="{_MAIN}"><si><t>Name</t></si><si><t>E-mail</t></si>'
                     "<si><t>Ana</t></si><si><t>ana@example.org</t></si>"
                     f"<si><t>{'x' * chars}</t></si></sst>".encode())

    rows = _HEADER_ROW + '<row r="3"><c r="A3" t="s"><v>4</v></c></row>'
    return _with_shared_strings(_sheet(rows, "A1:B3"), strings)
