"""One spreadsheet row to normalized values, or the problems that stop it.

Fast paths matter: a million-row file passes through here. E-mails that match a
strict common-form pattern skip Django's validator; ten-digit North American
phones skip `phonenumbers` once their area code and exchange digit are known to
be valid (for Canada and the United States validity depends only on those, see
decision 0015). Anything unusual falls back to the same normalizers the forms use,
so an import accepts exactly what an organizer could type.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solidaire.core.tabular import looks_like_formula

from ..exporting import cell_unescape
from ..models import Person
from ..normalize import normalize_email, normalize_phone, normalize_postal_code
from .columns import CONSENT_FIELDS, OPTOUT_FIELDS, fold

# Problem codes -> the reason the error report shows.
REASONS = {
    "formula": _("The cell holds a spreadsheet formula; type the value itself instead."),
    "invalid_email": _("Not an e-mail address."),
    "invalid_phone": _("Not a phone number (include the area code)."),
    "invalid_postal_code": _("Not a Canadian postal code (for example H2X 1Y4)."),
    "unknown_language": _("Language not recognized (for example “fr”, “English”, “espagnol”)."),
    "unknown_consent": _("Write yes or no (oui / non) for consent."),
    "too_long": _("Too long for this field."),
    "no_name": _("Row not imported: there is no name."),
    "no_contact": _("Row not imported: there is no usable e-mail or phone."),
}
ROW_LEVEL = {"no_name", "no_contact"}

_EMAIL_FAST = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_NON_DIGIT = re.compile(r"\D")
_PHONE_CHARS = re.compile(r"[\d\s().+\-/.]+")
_YES = {"yes", "y", "oui", "o", "x", "1", "true", "vrai", "ok", "si", "sí"}
_NO = {"no", "n", "non", "0", "false", "faux"}
# Statuses the tools write in their own words, the same whichever way the column is put
# (decision 0065): a person subscribed, or unsubscribed, reported as spam or bouncing
# (an address the tool stopped writing to is not written to here either).
_GRANTED = {fold(word) for word in [
    "subscribed", "opted in", "opt in", "optin", "abonne", "abonnee", "inscrit", "inscrite",
]}
_REFUSED = {fold(word) for word in [
    "unsubscribed", "opted out", "opt out", "optout", "bouncing", "bounced", "spam complaint",
    "spam complaints", "previous spam complaint", "previous spam complaints", "desabonne",
    "desabonnee", "desinscrit", "desinscrite",
]}
# Statuses that say nothing of the person's choice: no consent recorded, no problem.
_SILENT = {fold(word) for word in ["previous bounce", "pending", "en attente", "none", "n a"]}
# What Microsoft Forms writes for the account of someone who answered anonymously.
_ANONYMOUS = {"anonymous", "anonyme"}

_LANGUAGE_WORDS = {
    "fr": ["fr", "fra", "fre", "francais", "french", "frances", "francés"],
    "en": ["en", "eng", "anglais", "english", "ingles", "inglés"],
    "es": ["es", "esp", "spa", "espagnol", "spanish", "espanol", "español"],
    "tl": ["tl", "tagalog", "filipino"],
    "pa": ["pa", "punjabi", "pendjabi"],
    "ar": ["ar", "arabe", "arabic"],
    "hi": ["hi", "hindi"],
    "pt": ["pt", "portugais", "portuguese", "portugues", "português"],
    "zh": ["zh", "mandarin", "chinois", "chinese"],
    "vi": ["vi", "vietnamien", "vietnamese"],
    "ht": ["ht", "creole", "creole haitien", "haitian creole", "kreyol", "kreyòl"],
    "uk": ["uk", "ukrainien", "ukrainian"],
}
_LANGUAGES = {
    fold(word): code for code, words in _LANGUAGE_WORDS.items() for word in words
    if code in dict(settings.CONTENT_LANGUAGES)
}
_MAX = {name: Person._meta.get_field(name).max_length
        for name in ("chosen_name", "given_name", "family_name", "sector", "workplace")}
_TAG_SPLIT = re.compile(r"[;,|]")


@dataclass(slots=True)
class Clean:
    """A row ready to import. Lists keep the file's order; the first is the primary."""

    row: int
    chosen_name: str = ""
    given_name: str = ""
    family_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    postal_code: str = ""
    preferred_language: str = ""
    sector: str = ""
    workplace: str = ""
    tags: list[str] = field(default_factory=list)
    consent: dict[str, bool] = field(default_factory=dict)


    def as_tuple(self) -> tuple:
        """The fields in order: pickles (to the writer process) far faster than the object."""
        # Tuples, not lists: an empty one is a shared constant that costs nothing to read.
        return (self.row, self.chosen_name, self.given_name, self.family_name,
                tuple(self.emails), tuple(self.phones), self.postal_code,
                self.preferred_language, self.sector, self.workplace, tuple(self.tags),
                tuple(self.consent.items()))


Problem = tuple[int, str, str, str]  # (row, column header, code, value)


class PhoneCache:
    """Validity of North American numbers by their first four digits (area code + one)."""

    def __init__(self) -> None:
        self.valid: dict[str, bool] = {}

    def normalize(self, raw: str) -> str:
        text = raw.strip()
        foreign = text.startswith("+") and not text.startswith("+1")
        if _PHONE_CHARS.fullmatch(text) and not foreign:
            digits = _NON_DIGIT.sub("", text)
            if len(digits) == 11 and digits[0] == "1":
                digits = digits[1:]
            if len(digits) == 10:
                key = digits[:4]
                known = self.valid.get(key)
                if known is None:
                    try:
                        normalize_phone(digits)
                        known = True
                    except ValidationError:
                        known = False
                    # Only CA and US numbers are decided by their first four digits.
                    if self._region_by_prefix(digits):
                        self.valid[key] = known
                if known:
                    return "+1" + digits
                raise ValidationError("invalid_phone")
        return normalize_phone(text)

    @staticmethod
    def _region_by_prefix(digits: str) -> bool:
        import phonenumbers

        parsed = phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))
        return phonenumbers.region_code_for_number(parsed) in ("CA", "US")


def _unescape(text: str) -> str:
    """Undo our own export's formula guard: '=… written as text reads back as =…."""
    return cell_unescape(text)


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """fold() of the few distinct values a language or consent column holds."""
    return fold(text)


def _language(text: str) -> str | None:
    folded = _folded(text)
    code = _LANGUAGES.get(folded)
    if code is None and folded:
        # A locale ("en_US", "fr-CA") or a label with its country ("French (Canada)").
        code = _LANGUAGES.get(folded.split()[0])
    return code


class RowCleaner:
    """Cleans rows for one import's column choices."""

    def __init__(self, headers: list[str], mapping: dict[str, str]) -> None:
        self.columns = sorted((int(index), key) for index, key in mapping.items() if key)
        self.headers = headers
        self.phones = PhoneCache()

    def header(self, index: int) -> str:
        return self.headers[index] if index < len(self.headers) else f"#{index + 1}"

    def clean(self, row: int, cells: list[str]) -> tuple[Clean | None, list[Problem]]:
        out = Clean(row=row)
        problems: list[Problem] = []
        ncells = len(cells)
        for index, key in self.columns:
            if index >= ncells:
                continue
            text = cells[index].strip()
            if not text:
                continue
            text = _unescape(text).strip()
            if key == "email":
                email = text.lower()
                if email in _ANONYMOUS:
                    continue
                if not _EMAIL_FAST.fullmatch(email):
                    try:
                        email = normalize_email(email)
                    except ValidationError:
                        problems.append((row, self.header(index), "invalid_email", text))
                        continue
                if email not in out.emails:
                    out.emails.append(email)
                continue
            if key == "phone":
                try:
                    phone = self.phones.normalize(text)
                except ValidationError:
                    code = "formula" if looks_like_formula(text) else "invalid_phone"
                    problems.append((row, self.header(index), code, text))
                    continue
                if phone not in out.phones:
                    out.phones.append(phone)
                continue
            if looks_like_formula(text):
                problems.append((row, self.header(index), "formula", text))
                continue
            if key in _MAX:
                if key == "chosen_name" and text.lower() in _ANONYMOUS:
                    continue
                if len(text) > _MAX[key]:
                    problems.append((row, self.header(index), "too_long", text))
                    continue
                setattr(out, key, text)
            elif key == "postal_code":
                try:
                    out.postal_code = normalize_postal_code(text)
                except ValidationError:
                    problems.append((row, self.header(index), "invalid_postal_code", text))
            elif key == "preferred_language":
                code = _language(text)
                if code is None:
                    problems.append((row, self.header(index), "unknown_language", text))
                else:
                    out.preferred_language = code
            elif key == "tags":
                for name in _TAG_SPLIT.split(text):
                    name = name.strip()[:80]
                    if name and name not in out.tags:
                        out.tags.append(name)
            elif key in CONSENT_FIELDS or key in OPTOUT_FIELDS:
                folded = _folded(text)
                refusal = key in OPTOUT_FIELDS
                channel = OPTOUT_FIELDS[key] if refusal else CONSENT_FIELDS[key]
                if folded in _GRANTED:
                    granted = True
                elif folded in _REFUSED:
                    granted = False
                elif folded in _YES:
                    granted = not refusal
                elif folded in _NO:
                    if refusal:  # "Do not e-mail: no" refuses nothing, nor grants anything
                        continue
                    granted = False
                elif folded in _SILENT:
                    continue
                else:
                    problems.append((row, self.header(index), "unknown_consent", text))
                    continue
                # Two columns for one channel: a refusal in either wins.
                if out.consent.get(channel, True):
                    out.consent[channel] = granted
        if not out.chosen_name:
            out.chosen_name = f"{out.given_name} {out.family_name}".strip()[: _MAX["chosen_name"]]
        if not out.chosen_name:
            problems.append((row, "", "no_name", ""))
            return None, problems
        if not (out.emails or out.phones):
            problems.append((row, "", "no_contact", ""))
            return None, problems
        return out, problems
