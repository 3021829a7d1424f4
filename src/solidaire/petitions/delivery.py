"""Delivering a petition to a target: the packet (PDF and CSV) and recording the delivery.

The packet holds what a decision-maker's office needs to see that real people signed —
each counted signer's name and city, with the region derived from the postal code —
and nothing else: no e-mail, phone or postal code leaves the platform (decision 0020).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Level, PostalPrefixRiding, Target
from solidaire.core.access import require
from solidaire.core.services import audit_log
from solidaire.people.duplicates import name_fold

from .models import Delivery, Petition, Signature
from .selectors import COUNTED, petitions_deliverable_by

DELIVERED = "solidaire.petition.delivered"
PACKET_DOWNLOADED = "solidaire.petition.packet_downloaded"

# Statistics Canada's postal districts: the first letter of a postal code.
REGIONS = {
    "A": _("Newfoundland and Labrador"),
    "B": _("Nova Scotia"),
    "C": _("Prince Edward Island"),
    "E": _("New Brunswick"),
    "G": _("Eastern Québec"),
    "H": _("Montréal region"),
    "J": _("Western Québec"),
    "K": _("Eastern Ontario"),
    "L": _("Central Ontario"),
    "M": _("Toronto"),
    "N": _("Southwestern Ontario"),
    "P": _("Northern Ontario"),
    "R": _("Manitoba"),
    "S": _("Saskatchewan"),
    "T": _("Alberta"),
    "V": _("British Columbia"),
    "X": _("Northwest Territories and Nunavut"),
    "Y": _("Yukon"),
}
UNKNOWN_REGION = _("unknown")


def region_of(postal_code: str) -> str:
    """The postal district of a postal code, or "unknown"."""
    letter = (postal_code or "").strip()[:1].upper()
    return str(REGIONS.get(letter, UNKNOWN_REGION))


def counted_signatures(petition: Petition) -> QuerySet[Signature]:
    """The signatures that count toward the total (as `signature_count` counts them)."""
    statuses = (Signature.Status.COUNTED,) if petition.double_opt_in else COUNTED
    return Signature.objects.filter(petition=petition, status__in=statuses)


def packet_rows(petition: Petition) -> Iterator[tuple[str, str, str]]:
    """(name, city, region) of each counted signer, in alphabetical order ignoring accents
    and case (a database sorts "Éloïse" after "Zoé"): nothing else is handed over."""
    rows = list(counted_signatures(petition).order_by("id")
                .values_list("name", "city", "postal_code").iterator(chunk_size=5000))
    rows.sort(key=lambda row: (name_fold(row[0]), row[0]))
    for name, city, postal_code in rows:
        yield name, city, region_of(postal_code)


@dataclass
class PacketSummary:
    total: int
    by_region: list[tuple[str, int]]
    # Empty when no riding table is loaded for the level.
    by_riding: list[tuple[str, int]] = field(default_factory=list)
    riding_level: str = ""


def _riding_table(level: str) -> dict[str, list[str]]:
    """Prefix → riding names, for one level, in one query."""
    table: dict[str, list[str]] = {}
    rows = PostalPrefixRiding.objects.filter(riding__level=level).values_list(
        "prefix", "riding__name")
    for prefix, name in rows.iterator(chunk_size=5000):
        table.setdefault(prefix.upper().replace(" ", ""), []).append(name)
    return table


def _riding_of(code: str, table: dict[str, list[str]]) -> str | None:
    for n in range(min(len(code), 6), 2, -1):
        names = table.get(code[:n])
        if names:
            return " / ".join(sorted(set(names)))
    return None


def packet_summary(petition: Petition, *, level: str = Level.FEDERAL) -> PacketSummary:
    """The count of counted signatures, by region and (when a riding table of `level` is
    loaded) by riding. Two queries whatever the number of signers: the counts grouped by
    postal code, and the prefix table."""
    per_code = (counted_signatures(petition).values_list("postal_code")
                .annotate(n=Count("id")).order_by())
    regions: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for postal_code, n in per_code:
        regions[region_of(postal_code)] += n
        codes["".join((postal_code or "").split()).upper()] += n
    total = sum(regions.values())
    unknown = str(UNKNOWN_REGION)
    by_region = sorted(regions.items(), key=lambda item: (item[0] == unknown, -item[1], item[0]))

    by_riding: list[tuple[str, int]] = []
    table = _riding_table(level) if total else {}
    if table:
        ridings: Counter[str] = Counter()
        for code, n in codes.items():
            ridings[_riding_of(code, table) or unknown] += n
        by_riding = sorted(ridings.items(),
                           key=lambda item: (item[0] == unknown, -item[1], item[0]))
    return PacketSummary(total=total, by_region=by_region, by_riding=by_riding,
                         riding_level=level if by_riding else "")


@transaction.atomic
def delivery_record(*, actor, petition: Petition, target: Target,
                    delivered_on: datetime.date, signature_count: int,
                    note: str = "") -> Delivery:
    """The petition was handed to `target` on `delivered_on` with `signature_count`
    signatures (it appears on the campaign timeline)."""
    require(petitions_deliverable_by(actor).filter(pk=petition.pk).exists(),
            "this account may not record deliveries of this petition")
    delivery = Delivery.objects.create(
        petition=petition, target=target, delivered_on=delivered_on,
        signature_count=signature_count, note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(action=DELIVERED, actor=actor, obj=petition, data={
        "delivery": delivery.pk, "target": target.pk,
        "delivered_on": delivered_on.isoformat(), "count": signature_count,
    })
    return delivery


def packet_download_record(*, actor, petition: Petition, target: Target, file_format: str,
                           count: int, ip: str | None = None) -> None:
    """Audit one packet download: how many signers, never who. Packets go to those who
    record deliveries (`petitions_deliverable_by`), never to volunteers."""
    require(petitions_deliverable_by(actor).filter(pk=petition.pk).exists(),
            "this account may not download this petition's packets")
    audit_log(action=PACKET_DOWNLOADED, actor=actor, obj=petition, ip=ip, data={
        "target": target.pk, "format": file_format, "count": count,
    })


def packet_context(*, petition: Petition, target: Target, today: datetime.date) -> dict:
    """What the packet PDF prints, in the active language; the signers are read last."""
    office = next((office for office in target.offices.all() if office.address), None)
    text = petition.display_body or petition.display_summary
    return {
        "petition": petition,
        "title": petition.display_title,
        "paragraphs": [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()],
        "organization": petition.organization.name,
        "target": target,
        "target_role": target.display_role,
        "office_address": office.address if office else "",
        "today": today,
        "summary": packet_summary(petition, level=target.level),
        "pages": packet_pages(packet_rows(petition)),
    }


PACKET_COLUMNS = 3
PACKET_LINES_FIRST = 78   # the first list page has a heading
PACKET_LINES = 82
PACKET_LINE_CHARS = 46    # what a column holds at 7 pt; longer lines end with "…"


def packet_pages(rows, *, columns: int = PACKET_COLUMNS) -> list[list[list[str]]]:
    """The numbered signer lines ("12. Name — City") laid out in pages of columns.

    Laying out pages here, with fixed lines per column, lets the PDF print each column
    as one unwrapped block of lines: far faster than letting the layout engine flow
    thousands of boxes (decision 0020).
    """
    lines = []
    for number, (name, city, _region) in enumerate(rows, start=1):
        line = f"{number}. {name} — {city}" if city else f"{number}. {name}"
        if len(line) > PACKET_LINE_CHARS:
            line = line[:PACKET_LINE_CHARS - 1].rstrip() + "…"
        lines.append(line)
    pages, start = [], 0
    while start < len(lines):
        per_column = PACKET_LINES_FIRST if not pages else PACKET_LINES
        chunk = lines[start:start + per_column * columns]
        pages.append([chunk[i:i + per_column] for i in range(0, len(chunk), per_column)])
        start += len(chunk)
    return pages
