"""Reading the CSV files of targets and of the postal-prefix-to-riding table.

Both arrive from spreadsheets: UTF-8 (with or without a byte-order mark) or
Windows-1252 (Excel on Windows), separated by commas or semicolons, with French or
English headers (accents and case ignored). The one reader of uploads
(`core.tabular.parse_csv`: encoding, delimiter, limits) turns a file
into plain rows of text; this module knows the columns, and `services.targets_import`
and `services.ridings_load` decide what the rows mean. Decision 0019 lists the columns.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solidaire.core.tabular import ImportFileError, parse_csv
from solidaire.people.importing.columns import fold

from .models import Level, Target

# Targets are hundreds of rows and the prefix table a few hundred thousand: both are
# read whole, in the request for targets and in the command for ridings.
MAX_TARGETS_FILE_BYTES = 5 * 1024 * 1024


class CsvFileError(Exception):
    """A file that cannot be read at all; `message` is shown to the organizer."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


EMPTY_FILE = _("This file is empty: there is no row to import.")
NOT_TEXT = _("This file is not a CSV file. In your spreadsheet program, save it as "
             "“CSV” and upload that.")
# What the shared reader says, for a file that is no CSV at all: this upload's own words.
_NOT_CSV_CODES = {"not_csv", "old_excel", "not_a_spreadsheet", "unreadable_xlsx",
                  "too_big_unpacked", "xml_declarations"}


def csv_rows(content: bytes) -> list[list[str]]:
    """Every record of the file, cells stripped; entirely blank records are kept as []
    so that row numbers stay those of the spreadsheet. Read by the one reader of
    uploads (encoding, delimiter, limits)."""
    try:
        records = parse_csv(content)
    except ImportFileError as error:
        if error.code == "empty":
            raise CsvFileError(EMPTY_FILE) from error
        if error.code in _NOT_CSV_CODES:
            raise CsvFileError(NOT_TEXT) from error
        raise CsvFileError(error.message) from error
    rows = []
    for record in records:
        cells = [cell.strip() for cell in record]
        rows.append(cells if any(cells) else [])
    return rows


# -- targets -----------------------------------------------------------------------------

# Column key → headers it may have (folded: lower case, no accents, punctuation as spaces).
TARGET_HEADERS: dict[str, list[str]] = {
    "name": ["name", "nom", "full name", "nom complet"],
    "kind": ["kind", "type", "category", "categorie"],
    "role": ["role", "title", "titre", "fonction", "position", "poste"],
    "role_fr": ["role fr", "role francais", "role in french", "titre fr", "fonction fr"],
    "role_en": ["role en", "role anglais", "role english", "role in english", "titre en",
                "title en", "fonction en"],
    "level": ["level", "palier", "niveau", "ordre de gouvernement", "government level"],
    "riding": ["riding", "circonscription", "electoral district", "district",
               "riding name", "nom de la circonscription", "nom circonscription"],
    "riding_code": ["riding code", "code circonscription", "code de circonscription",
                    "district code", "district number", "numero de circonscription",
                    "riding number"],
    "province": ["province", "province territoire", "province or territory", "prov"],
    "organization": ["organization", "organisation", "organisme", "body", "party", "parti",
                     "department", "ministere", "employer", "employeur"],
    "email": ["email", "e mail", "courriel", "adresse courriel", "email address",
              "adresse electronique"],
    "phone": ["phone", "telephone", "tel", "phone number", "numero de telephone"],
    "office": ["office", "bureau", "office label", "nom du bureau"],
    "hours": ["hours", "heures", "office hours", "heures d ouverture", "horaire",
              "heures de bureau"],
    "address": ["address", "adresse", "adresse postale", "mailing address",
                "office address", "adresse du bureau"],
    "languages": ["languages", "langues", "language", "langue", "languages spoken",
                  "langues parlees"],
    "twitter": ["twitter", "x", "x twitter", "twitter x"],
    "facebook": ["facebook"],
    "instagram": ["instagram"],
    "bluesky": ["bluesky"],
    "website": ["website", "site web", "site", "site internet", "web"],
    "notes": ["notes", "note", "remarques", "commentaires", "comments"],
}
_TARGET_BY_HEADER = {fold(h): key for key, headers in TARGET_HEADERS.items() for h in headers}

# The public networks a target's `social` dict may hold, in the order pages show them.
SOCIAL_NETWORKS = ("twitter", "facebook", "instagram", "bluesky", "website")

# Values of the kind column, folded; the codes themselves are accepted too.
KIND_WORDS: dict[str, list[str]] = {
    Target.Kind.MP: ["mp", "depute", "deputee", "depute federal", "deputee federale",
                     "member of parliament", "federal member", "membre du parlement"],
    Target.Kind.MINISTER: ["minister", "ministre", "federal minister", "ministre federal",
                           "ministre federale", "provincial minister", "ministre provincial",
                           "ministre provinciale"],
    Target.Kind.PARLIAMENTARY_SECRETARY: [
        "parl secretary", "parliamentary secretary", "parliamentary assistant",
        "secretaire parlementaire", "adjoint parlementaire", "adjointe parlementaire"],
    Target.Kind.PROVINCIAL_MEMBER: [
        "provincial member", "mna", "mpp", "mla", "mha", "depute provincial",
        "deputee provinciale", "membre de l assemblee nationale", "provincial_member"],
    Target.Kind.MUNICIPAL: ["municipal", "mayor", "maire", "mairesse", "councillor",
                            "councilor", "conseiller", "conseillere",
                            "conseiller municipal", "conseillere municipale", "city councillor"],
    Target.Kind.EMPLOYER: ["employer", "employeur", "company", "entreprise", "business"],
    Target.Kind.AGENCY: ["agency", "agence", "government agency", "department", "ministere",
                         "organisme", "organisme public", "government department"],
    Target.Kind.OTHER: ["other", "autre"],
}
_KIND_BY_WORD = {fold(w): kind for kind, words in KIND_WORDS.items() for w in words}
_KIND_BY_WORD.update({fold(kind.value): kind.value for kind in Target.Kind})

LEVEL_WORDS: dict[str, list[str]] = {
    Level.FEDERAL: ["federal", "federale", "canada"],
    Level.PROVINCIAL: ["provincial", "provinciale", "province", "quebec"],
    Level.MUNICIPAL: ["municipal", "municipale", "city", "ville", "municipalite"],
    Level.OTHER: ["other", "autre"],
}
_LEVEL_BY_WORD = {fold(w): level for level, words in LEVEL_WORDS.items() for w in words}

# When the level column is empty, the kind says it.
LEVEL_OF_KIND = {
    Target.Kind.MP: Level.FEDERAL,
    Target.Kind.MINISTER: Level.FEDERAL,
    Target.Kind.PARLIAMENTARY_SECRETARY: Level.FEDERAL,
    Target.Kind.PROVINCIAL_MEMBER: Level.PROVINCIAL,
    Target.Kind.MUNICIPAL: Level.MUNICIPAL,
    Target.Kind.EMPLOYER: Level.OTHER,
    Target.Kind.AGENCY: Level.OTHER,
    Target.Kind.OTHER: Level.OTHER,
}

PROVINCES = frozenset({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC",
                       "SK", "YT"})


def target_column(header: str) -> str:
    """The column key a header names, or "" when it is not one we know."""
    folded = fold(header)
    if folded in _TARGET_BY_HEADER:
        return _TARGET_BY_HEADER[folded]
    words = folded.split()
    for size in range(len(words) - 1, 0, -1):  # "Téléphone (bureau)", "Courriel *"
        key = _TARGET_BY_HEADER.get(" ".join(words[:size]))
        if key:
            return key
    return ""


def kind_from_text(text: str) -> str | None:
    """A kind code, Kind.OTHER for an empty cell, None when the word is not known."""
    folded = fold(text)
    if not folded:
        return Target.Kind.OTHER
    return _KIND_BY_WORD.get(folded)


def level_from_text(text: str, *, kind: str) -> str | None:
    folded = fold(text)
    if not folded:
        return LEVEL_OF_KIND.get(kind, Level.OTHER)
    return _LEVEL_BY_WORD.get(folded) or (folded if folded in Level.values else None)


@functools.cache
def _language_words() -> dict[str, str]:
    from django.utils import translation

    words = {}
    for code, name in settings.CONTENT_LANGUAGES:
        words[fold(code)] = code
        for language in ("en", "fr"):
            with translation.override(language):
                words[fold(str(name))] = code
    words.update({"francais": "fr", "anglais": "en", "espagnol": "es", "english": "en",
                  "french": "fr", "spanish": "es"})
    return {word: code for word, code in words.items() if word}


def languages_from_text(text: str) -> tuple[list[str], list[str]]:
    """(codes in the order of the site's list, words that name no offered language)."""
    words = _language_words()
    found, unknown = set(), []
    for part in re.split(r"[,;/|+&]|\bet\b|\band\b", text or ""):
        folded = fold(part)
        if not folded:
            continue
        code = words.get(folded)
        if code is None:
            unknown.append(part.strip())
        else:
            found.add(code)
    return [code for code, _name in settings.CONTENT_LANGUAGES if code in found], unknown


@dataclass
class TargetTable:
    """The rows of a targets file keyed by column: `rows` is (row number, {key: text})."""

    columns: list[str]
    ignored: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


NO_NAME_COLUMN = _("The first row must name the columns, with one called “name” or “nom”.")


def targets_table(content: bytes) -> TargetTable:
    rows = csv_rows(content)
    header_index = next((i for i, row in enumerate(rows) if row), None)
    if header_index is None:
        raise CsvFileError(EMPTY_FILE)
    headers = rows[header_index]
    keys = [target_column(h) for h in headers]
    if "name" not in keys:
        raise CsvFileError(NO_NAME_COLUMN)
    table = TargetTable(
        columns=[k for k in dict.fromkeys(keys) if k],
        ignored=[h for h, k in zip(headers, keys, strict=True) if not k and h],
    )
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        if not cells:
            continue
        values: dict[str, str] = {}
        for key, cell in zip(keys, cells, strict=False):
            if key and cell and not values.get(key):
                values[key] = cell
        table.rows.append((index + 1, values))  # spreadsheet numbering: the header is 1
    return table


# -- the postal-prefix-to-riding table ---------------------------------------------------

RIDING_HEADERS = {
    "prefix": ["prefix", "prefixe", "postal prefix", "postal code", "code postal"],
    "riding_code": ["riding code", "code", "code circonscription", "district code",
                    "numero"],
    "riding_name": ["riding name", "riding", "name", "nom", "circonscription",
                    "nom circonscription", "district"],
    "province": ["province", "prov"],
}
_RIDING_BY_HEADER = {fold(h): key for key, headers in RIDING_HEADERS.items() for h in headers}
RIDING_COLUMNS = ("prefix", "riding_code", "riding_name", "province")

_PREFIX = re.compile(r"^[A-Z][0-9][A-Z](?:[0-9](?:[A-Z][0-9]?)?)?$")


def prefix_clean(text: str) -> str | None:
    """A postal-code prefix of 3 to 6 characters, upper case without spaces; None if bad."""
    prefix = "".join((text or "").split()).upper()
    return prefix if _PREFIX.match(prefix) else None


def ridings_table(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {prefix, riding_code, riding_name, province}) for each line.

    The header row is optional: without one, the columns are in the order
    prefix, riding_code, riding_name, province.
    """
    rows = csv_rows(content)
    first = next((i for i, row in enumerate(rows) if row), None)
    if first is None:
        raise CsvFileError(EMPTY_FILE)
    keys = [_RIDING_BY_HEADER.get(fold(h), "") for h in rows[first]]
    if "prefix" in keys and "riding_name" in keys:
        start = first + 1
    else:
        keys, start = list(RIDING_COLUMNS), first
    table = []
    for index in range(start, len(rows)):
        if not rows[index]:
            continue
        values = dict.fromkeys(RIDING_COLUMNS, "")
        for key, cell in zip(keys, rows[index], strict=False):
            if key:
                values[key] = cell
        table.append((index + 1, values))
    return table
