"""The fields a spreadsheet column can fill, and the headers recognized for each.

Headers are compared after folding: accents removed, lower case, every run of
non-letters squeezed out ("Adresse courriel", "adresse_courriel" and
"ADRESSE-COURRIEL" are the same header).
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

IGNORE = ""

# key -> label shown in the column-choice menu
FIELDS: dict[str, object] = {
    "chosen_name": _("Name (as the person wants to be called)"),
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "postal_code": _("Postal code"),
    "preferred_language": _("Preferred language"),
    "sector": _("Sector"),
    "workplace": _("Workplace"),
    "tags": _("Tags (separated by commas or semicolons)"),
    "consent_email": _("Agrees to e-mails (yes/no)"),
    "consent_sms": _("Agrees to text messages (yes/no)"),
    "consent_phone": _("Agrees to phone calls (yes/no)"),
}
CONSENT_FIELDS = {"consent_email": "email", "consent_sms": "sms", "consent_phone": "phone"}
# A column of one of these may repeat (two phone columns: home and mobile).
REPEATABLE = {"phone", "email", "tags"}

_HEADERS = {
    "chosen_name": [
        "name", "full name", "nom complet", "nom et prenom", "prenom et nom", "nom prenom",
        "chosen name", "nom choisi", "display name", "contact", "participant", "membre",
        "member", "attendee name",
    ],
    "given_name": [
        "prenom", "first name", "firstname", "given name", "prenoms", "first", "forename",
    ],
    "family_name": [
        "nom", "nom de famille", "last name", "lastname", "surname", "family name", "last",
    ],
    "email": [
        "courriel", "e mail", "email", "adresse courriel", "adresse electronique", "mail",
        "email address", "e mail address", "adresse e mail", "adresse email", "courriel personnel",
    ],
    "phone": [
        "telephone", "tel", "phone", "phone number", "numero de telephone", "cellulaire",
        "cell", "cellphone", "cell phone", "mobile", "mobile phone", "portable", "numero",
        "telephone cellulaire", "no de telephone", "tel cellulaire", "home phone",
        "telephone maison", "work phone", "telephone travail",
    ],
    "postal_code": [
        "code postal", "postal code", "postal", "cp", "zip", "zip code", "postcode",
    ],
    "preferred_language": [
        "langue", "language", "langue preferee", "preferred language", "langue de preference",
        "lang", "langue parlee", "langue de communication",
    ],
    "sector": ["secteur", "sector", "industry", "industrie", "secteur d activite"],
    "workplace": [
        "lieu de travail", "workplace", "employeur", "employer", "entreprise", "company",
        "milieu de travail",
    ],
    "tags": ["tags", "etiquettes", "etiquette", "tag", "groupes", "groups", "labels"],
    "consent_email": [
        "consent email", "email consent", "email opt in", "accepte courriels",
        "accepte les courriels", "infolettre", "newsletter", "consentement courriel",
        "ok courriel", "can email", "email ok",
    ],
    "consent_sms": [
        "consent sms", "sms consent", "sms opt in", "accepte sms", "accepte les textos",
        "textos", "consentement sms", "ok sms", "can text",
    ],
    "consent_phone": [
        "consent phone", "phone consent", "accepte appels", "accepte les appels",
        "consentement telephone", "ok appel", "can call",
    ],
}


def fold(text: str) -> str:
    """Lower case, accents off, non-letters squeezed to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


_BY_HEADER = {fold(header): key for key, headers in _HEADERS.items() for header in headers}


def field_for_header(header: str) -> str:
    """The field a header names, or IGNORE when it is not one we know."""
    folded = fold(header)
    if folded in _BY_HEADER:
        return _BY_HEADER[folded]
    # "Téléphone (cellulaire)", "Courriel *": try without what follows the first word(s).
    words = folded.split()
    for size in range(len(words) - 1, 0, -1):
        key = _BY_HEADER.get(" ".join(words[:size]))
        if key:
            return key
    return IGNORE


def mapping_guess(headers: list[str]) -> dict[str, str]:
    """Column index (as text, like the stored mapping) -> field, for the recognized headers.

    A field that cannot repeat goes to the first column that names it.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = field_for_header(header)
        if not key or (key in taken and key not in REPEATABLE):
            continue
        mapping[str(index)] = key
        taken.add(key)
    return mapping


def field_label(key: str):
    return FIELDS.get(key, pgettext_lazy("import column", "Ignore"))
