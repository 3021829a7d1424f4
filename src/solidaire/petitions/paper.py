"""Paper signatures: the printable sheet, and the reads behind typing sheets in fast.

- `sheet_context` gathers what the signature sheet PDF prints (decision 0020).
- `paper_duplicates_find` says, before a typed entry is saved, whether this petition
  already holds it ("already signed": same e-mail or phone) or perhaps holds the same
  person under the same name ("maybe the same person").
- `petitions_for_paper_entry` widens the organizer scope to volunteers: typing sheets
  is volunteer work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from solidaire.core.access import scope_for, volunteer_work_q
from solidaire.core.i18n import localized
from solidaire.core.intake import contact_key
from solidaire.core.paper import SHEET_ROWS_DEFAULT, css_string, short_url
from solidaire.core.paper import sheet_rows as sheet_rows  # kept importable from here
from solidaire.core.pdf import qr_svg_data_uri
from solidaire.people.duplicates import name_fold

from .models import Petition, Signature
from .selectors import petitions_visible_to

ALREADY_SIGNED = "already_signed"
MAYBE_SAME = "maybe_same"

REASONS = {
    "contact": _("same e-mail or phone"),
    "name_postal": _("same name and postal code"),
    "name": _("same name"),
}


@dataclass(frozen=True)
class PaperMatch:
    """A signature of the petition that the typed entry may repeat."""

    kind: str           # ALREADY_SIGNED or MAYBE_SAME
    reason: str         # a key of REASONS
    signature_id: int
    name: str
    city: str
    source: str
    sheet_number: str

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])

    @property
    def detail(self) -> str:
        return self.city

    @property
    def source_label(self) -> str:
        return str(Signature.Source(self.source).label)


def _match(signature: Signature, kind: str, reason: str) -> PaperMatch:
    return PaperMatch(kind=kind, reason=reason, signature_id=signature.pk, name=signature.name,
                      city=signature.city, source=signature.source,
                      sheet_number=signature.sheet_number)


_MATCH_FIELDS = ("id", "name", "city", "source", "sheet_number", "postal_code")


def paper_duplicates_find(*, petition: Petition, name: str, email: str = "", phone: str = "",
                          postal_code: str = "") -> list[PaperMatch]:
    """Likely duplicates of a typed entry among this petition's signatures.

    `email`, `phone` and `postal_code` are normalized. A signature with the same e-mail or
    phone (by the contact key, or through the person it was matched to) is "already
    signed"; otherwise one with the same name, folded for accents and case, is "maybe the
    same person" (the reason says whether the postal code matches too). Removed signatures
    are left out. Already-signed matches come first.
    """
    signatures = Signature.objects.filter(petition=petition).exclude(
        status=Signature.Status.REMOVED)
    found: list[PaperMatch] = []
    seen: set[int] = set()

    contact = Q(pk__in=[])
    keys = [contact_key(email=email)] if email else []
    if phone:
        keys.append(contact_key(phone=phone))
        contact |= Q(person__phones__number=phone)
    if email:
        contact |= Q(person__emails__address=email)
    if keys:
        contact |= Q(contact_key__in=keys)
        for signature in signatures.filter(contact).only(*_MATCH_FIELDS).order_by("id")[:5]:
            if signature.pk not in seen:
                seen.add(signature.pk)
                found.append(_match(signature, ALREADY_SIGNED, "contact"))

    folded = name_fold(name or "")
    if folded:
        # Names are compared folded, which SQL cannot do portably: read this petition's
        # names (two short columns) and fold them here.
        same_name = []
        for pk, other_name, other_postal in signatures.values_list("id", "name", "postal_code"):
            if pk not in seen and name_fold(other_name) == folded:
                same_name.append((pk, other_postal))
        same_name.sort(key=lambda row: (row[1] != postal_code or not postal_code, row[0]))
        rows = {s.pk: s for s in signatures.filter(pk__in=[pk for pk, _p in same_name[:5]])
                .only(*_MATCH_FIELDS)}
        for pk, other_postal in same_name[:5]:
            reason = "name_postal" if postal_code and other_postal == postal_code else "name"
            found.append(_match(rows[pk], MAYBE_SAME, reason))
    return found


def petitions_for_paper_entry(user) -> QuerySet[Petition]:
    """Petitions the account may type paper signatures for.

    Organizers: the petitions they see. Volunteers: the petitions of the organizations
    they work within, organization-wide or of their chapters (and the chapters below).
    """
    if not scope_for(user).is_empty:
        return petitions_visible_to(user)
    volunteer = volunteer_work_q(user)
    return Petition.objects.none() if volunteer is None else Petition.objects.filter(volunteer)


# A text without a summary, this short and in one paragraph, stands in for the summary
# on the first page (about four lines of the header): no page of full text is added.
FIRST_PAGE_TEXT_MAX = 300


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def sheet_context(*, petition: Petition, url: str, rows: int = SHEET_ROWS_DEFAULT) -> dict:
    """What the signature sheet prints, in the active language.

    `url` is the absolute address of the petition's online page: printed (without its
    scheme, shorter to type) and encoded in the QR code.

    People signing on paper must be able to read what they sign: unless the summary
    already is the whole text, `paragraphs` holds the full text, printed on its own page
    right after the signature rows, i.e. on the back when the sheet is printed on both
    sides.
    """
    targets = [
        {"name": target.name, "role": target.display_role, "body": target.body}
        for target in petition.targets.filter(is_active=True).order_by("name", "id")
    ]
    summary = petition.display_summary.strip()
    paragraphs = _paragraphs(localized(petition.body))
    if not summary and len(paragraphs) == 1 and len(paragraphs[0]) <= FIRST_PAGE_TEXT_MAX:
        summary, paragraphs = paragraphs[0], []
    elif " ".join(summary.split()) == " ".join(" ".join(paragraphs).split()):
        paragraphs = []
    return {
        "petition": petition,
        "title": petition.display_title,
        "summary": summary,
        "paragraphs": paragraphs,
        "organization": petition.organization.name,
        "targets": targets,
        "url": url,
        "short_url": short_url(url),
        "qr": qr_svg_data_uri(url),
        "rows": range(1, rows + 1),
        # Printed at the foot of every page (a long sheet has two); a CSS string.
        "sheet_label_css": css_string(str(_("Sheet no."))),
    }

