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
    # "Do not e-mail" columns (CiviCRM): yes is a refusal (decision 0065).
    "optout_email": _("Refuses e-mails (yes/no)"),
    "optout_sms": _("Refuses text messages (yes/no)"),
    "optout_phone": _("Refuses phone calls (yes/no)"),
}
CONSENT_FIELDS = {"consent_email": "email", "consent_sms": "sms", "consent_phone": "phone"}
OPTOUT_FIELDS = {"optout_email": "email", "optout_sms": "sms", "optout_phone": "phone"}
# A column of one of these may repeat (two phone columns: home and mobile; CiviCRM's
# "Do Not Email" and "No Bulk Emails").
REPEATABLE = {"phone", "email", "tags", *OPTOUT_FIELDS}

_HEADERS = {
    "chosen_name": [
        "name", "full name", "nom complet", "nom et prenom", "prenom et nom", "nom prenom",
        "chosen name", "nom choisi", "display name", "contact", "participant", "membre",
        "member", "attendee name", "your name", "your full name", "votre nom",
        "nom complet du participant", "nom et prenom du participant",
    ],
    "given_name": [
        "prenom", "first name", "firstname", "given name", "prenoms", "first", "forename",
        "votre prenom", "your first name", "fornamn",
    ],
    "family_name": [
        "nom", "nom de famille", "last name", "lastname", "surname", "family name", "last",
        "votre nom de famille", "your last name", "efternamn",
    ],
    "email": [
        "courriel", "e mail", "email", "adresse courriel", "adresse electronique", "mail",
        "email address", "e mail address", "adresse e mail", "adresse email", "courriel personnel",
        "adresse de messagerie", "your email", "your email address", "votre courriel",
        "votre adresse courriel", "votre adresse e mail", "e post", "epost", "email1",
    ],
    "phone": [
        "telephone", "tel", "phone", "phone number", "numero de telephone", "cellulaire",
        "cell", "cellphone", "cell phone", "mobile", "mobile phone", "portable", "numero",
        "telephone cellulaire", "no de telephone", "tel cellulaire", "home phone",
        "telephone maison", "work phone", "telephone travail",
        "can2 phone", "phone number", "mobile number", "work phone number", "alt phone",
        "your phone number", "votre numero de telephone", "votre telephone", "telefon",
        "mobilnummer", "telefonnummer",
    ],
    "postal_code": [
        "code postal", "postal code", "postal", "cp", "zip", "zip code", "postcode",
        "primary zip", "postnummer",
    ],
    "preferred_language": [
        "langue", "language", "langue preferee", "preferred language", "langue de preference",
        "lang", "langue parlee", "langue de communication", "can2 user language",
        "sprak", "which language do you prefer", "quelle langue preferez vous",
        "dans quelle langue", "in which language",
    ],
    "sector": ["secteur", "sector", "industry", "industrie", "secteur d activite"],
    "workplace": [
        "lieu de travail", "workplace", "employeur", "employer", "entreprise", "company",
        "milieu de travail",
    ],
    "tags": ["tags", "etiquettes", "etiquette", "tag", "groupes", "groups", "labels",
             "can2 user tags", "tag list", "tag s", "group s", "taggar"],
    "consent_email": [
        "consent email", "email consent", "email opt in", "accepte courriels",
        "accepte les courriels", "infolettre", "newsletter", "consentement courriel",
        "ok courriel", "can email", "email ok", "can2 subscription status",
        "subscription status", "statut d abonnement", "j accepte de recevoir des courriels",
        "i agree to receive emails", "email subscription",
    ],
    "consent_sms": [
        "consent sms", "sms consent", "sms opt in", "accepte sms", "accepte les textos",
        "textos", "consentement sms", "ok sms", "can text", "can2 sms status", "sms status",
        "mobile opt in", "can we text you", "j accepte de recevoir des textos",
    ],
    "consent_phone": [
        "consent phone", "phone consent", "accepte appels", "accepte les appels",
        "consentement telephone", "ok appel", "can call", "can we call you",
    ],
    "optout_email": [
        "do not email", "no bulk emails user opt out", "no bulk emails", "is opt out",
        "opt out", "email opt out", "unsubscribed", "desabonne", "ne pas envoyer de courriel",
    ],
    "optout_sms": ["do not sms", "sms opt out", "ne pas texter"],
    "optout_phone": ["do not phone", "phone opt out", "ne pas appeler"],
}

def fold(text: str) -> str:
    """Lower case, accents off, non-letters squeezed to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


# Headers understood and deliberately left out: never guessed (a prefix like "Phone"
# in "Phone Type" or "Last" in "Last modified time" must not pick a field) nor listed
# as important columns left out.
_KNOWN_IGNORED = {fold(header) for header in [
    # form tools' metadata
    "timestamp", "horodateur", "horodatage", "id", "start time", "completion time",
    "last modified time", "heure de debut", "heure de fin",
    "heure de la derniere modification", "score", "total points", "points",
    # CiviCRM
    "contact id", "internal contact id", "contact type", "contact subtype", "phone type",
    "phone location type", "email location type", "on hold", "do not mail", "do not trade",
    "is bulkmail", "external identifier", "sort name",
    # NationBuilder: a flag of the tool's own bounce handling, not the person's choice
    "nationbuilder id", "is mobile bad", "email1 is bad", "email is bad", "created at",
    "updated at",
    # Action Network
    "created date", "modified date", "uuid",
    # Zetkin
    "ext id",
]}

_BY_HEADER = {fold(header): key for key, headers in _HEADERS.items() for header in headers}
# Words that turn a consent header around: "Newsletter opt-out" is a refusal column.
_REFUSAL = re.compile(r"\b(?:opt ?out|opted out|unsubscribe\w*|desabonn\w*|do not|ne pas)\b")
_CONSENT_TO_OPTOUT = {"consent_email": "optout_email", "consent_sms": "optout_sms",
                      "consent_phone": "optout_phone"}
# Leading words of a form question, dropped before matching: "Your phone number" and
# "Quel est votre prénom ?" name the same fields as "Phone number" and "Prénom".
_QUESTION_START = re.compile(
    r"^(?:(?:what|which) (?:is|s) your|quel(?:le)? est (?:votre|ton|ta)|your|votre|vos|ton|"
    r"ta|tes|please enter your|veuillez (?:inscrire|entrer|indiquer) votre)\s+")

# The tools organizers leave, recognized by the columns of their exports (the formats
# are described in docs/imports-from-other-tools.md).
FORMATS: dict[str, object] = {
    "action_network": _("Action Network export"),
    "civicrm": _("CiviCRM contact export"),
    "nationbuilder": _("NationBuilder people export"),
    "zetkin": _("Zetkin export"),
    "google_forms": _("Google Forms responses"),
    "microsoft_forms": _("Microsoft Forms responses"),
}
_FORMS = {"google_forms", "microsoft_forms"}
_NATIONBUILDER = {"primary zip", "tag list", "email opt in", "mobile opt in", "is mobile bad",
                  "primary city", "primary address1", "phone number", "mobile number"}
_CIVICRM = {"do not email", "do not sms", "do not phone", "no bulk emails user opt out",
            "internal contact id"}
_TIMESTAMPS = {"timestamp", "horodateur", "horodatage", "marca temporal", "zeitstempel",
               "tidsstampel"}


def detect_format(headers: list[str]) -> str:
    """The tool a file was exported from (a key of FORMATS), or "" for any other file."""
    folded = [fold(header) for header in headers]
    names = set(folded)
    if any(name.startswith("can2 ") for name in folded):
        return "action_network"
    if "nationbuilder id" in names or len(names & _NATIONBUILDER) >= 3:
        return "nationbuilder"
    if names & _CIVICRM or {"contact id", "contact type"} <= names:
        return "civicrm"
    if ("ext id" in names and names & {"first name", "zip code"}) or {
            "alt phone", "co address"} <= names:
        return "zetkin"
    if folded and folded[0] in _TIMESTAMPS:
        return "google_forms"
    if {"start time", "completion time"} <= names or {"heure de debut", "heure de fin"} <= names:
        return "microsoft_forms"
    return ""


def _by_words(folded: str) -> str:
    """The field of a folded header, or of its first words ("Téléphone (cellulaire)")."""
    if folded in _BY_HEADER:
        return _BY_HEADER[folded]
    words = folded.split()
    for size in range(len(words) - 1, 0, -1):
        key = _BY_HEADER.get(" ".join(words[:size]))
        if key:
            return key
    return IGNORE


def _has(folded: str, *phrases: str) -> bool:
    padded = f" {folded} "
    return any(f" {phrase} " in padded for phrase in phrases)


def _question_field(folded: str) -> str:
    """A form question's field, by the words it contains ("Can we text you about
    actions?", "Dans quelle langue préférez-vous être contacté ?")."""
    if _has(folded, "accept", "accepte", "agree", "consent", "consens", "receive", "recevoir",
            "can we", "may we", "pouvons nous", "peut on", "opt in", "subscribe", "abonner"):
        if _has(folded, "text", "texts", "sms", "texto", "textos", "texter"):
            key = "consent_sms"
        elif _has(folded, "call", "calls", "appel", "appels", "appeler", "telephoner"):
            key = "consent_phone"
        elif _has(folded, "email", "emails", "e mail", "e mails", "courriel", "courriels",
                  "newsletter", "infolettre", "mail"):
            key = "consent_email"
        else:
            return IGNORE
        return _CONSENT_TO_OPTOUT[key] if _REFUSAL.search(folded) else key
    for key, words in (
        ("email", ("email", "e mail", "courriel", "adresse electronique")),
        ("phone", ("phone", "telephone", "cellulaire", "cell", "mobile", "tel")),
        ("preferred_language", ("language", "langue")),
        ("postal_code", ("postal code", "code postal", "zip")),
        ("given_name", ("first name", "prenom", "given name")),
        ("family_name", ("last name", "nom de famille", "family name", "surname")),
        ("chosen_name", ("name", "nom")),
    ):
        if _has(folded, *words):
            return key
    return IGNORE


def field_for_header(header: str, *, form: bool = False) -> str:
    """The field a header names, or IGNORE when it is not one we know.

    `form`: the file holds a form's responses, whose question headers are free text.
    """
    folded = fold(header)
    if folded in _KNOWN_IGNORED:
        return IGNORE
    key = _by_words(folded)
    if not key:
        question = _QUESTION_START.sub("", folded)
        if question != folded:
            key = _by_words(question)
    if key in _CONSENT_TO_OPTOUT and _REFUSAL.search(folded):
        key = _CONSENT_TO_OPTOUT[key]
    if not key and form:
        key = _question_field(folded)
    return key


def mapping_guess(headers: list[str]) -> dict[str, str]:
    """Column index (as text, like the stored mapping) -> field, for the recognized headers.

    A field that cannot repeat goes to the first column that names it.
    """
    tool = detect_format(headers)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    account_name = None
    for index, header in enumerate(headers):
        if tool == "microsoft_forms" and index < 6 and fold(header) in ("name", "nom"):
            # The respondent's account ("anonymous" in an anonymous form): used only when
            # no question asks the name.
            account_name = index
            continue
        key = field_for_header(header, form=tool in _FORMS)
        if not key or (key in taken and key not in REPEATABLE):
            continue
        mapping[str(index)] = key
        taken.add(key)
    if account_name is not None and not taken & {"chosen_name", "given_name", "family_name"}:
        mapping[str(account_name)] = "chosen_name"
    return dict(sorted(mapping.items(), key=lambda item: int(item[0])))


# A header that names a contact point, a language, tags or consent: left unmapped, the
# organizer is told before the import runs.
_IMPORTANT = re.compile(
    r"\b(?:phone\w*|tel|telephone\w*|telefon\w*|cell\w*|mobile\w*|e ?mail\w*|courriel\w*|"
    r"language\w*|langue\w*|tags?|etiquettes?|consent\w*|opt|opt ?in|opt ?out|"
    r"subscri\w*|unsubscri\w*|abonn\w*|desabonn\w*|sms|textos?|newsletter|infolettre)\b")


def important_unmapped(headers: list[str], mapping: dict[str, str]) -> list[str]:
    """The headers of columns left out that look like they hold what matters."""
    chosen = {index for index, key in mapping.items() if key}
    return [header for index, header in enumerate(headers)
            if str(index) not in chosen and fold(header) not in _KNOWN_IGNORED
            and (fold(header).startswith("can2 ") or _IMPORTANT.search(fold(header)))]


def field_label(key: str):
    return FIELDS.get(key, pgettext_lazy("import column", "Ignore"))
