"""Figures about petitions for the organizer pages (reads only).

Every function takes petitions that the caller already found through a scoping
selector (`petitions_visible_to`); signer names go through `people_visible_to`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from solidaire.people.selectors import people_visible_to

from .models import Petition, Signature

RECENT_SHOWN = 50
DAYS_SHOWN = 30


def with_signature_counts(queryset: QuerySet[Petition]) -> QuerySet[Petition]:
    """Each petition with `signature_total` (what counts toward its goal, as in
    selectors.signature_count), in the same query: one GROUP BY, no query per row."""
    counts = (Q(signatures__status=Signature.Status.COUNTED)
              | Q(signatures__status=Signature.Status.PENDING, double_opt_in=False))
    return queryset.annotate(signature_total=Count("signatures", filter=counts))


def petitions_list(queryset: QuerySet[Petition], *, status: str = "", campaign=None
                   ) -> QuerySet[Petition]:
    if status:
        queryset = queryset.filter(status=status)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return (with_signature_counts(queryset)
            .select_related("campaign", "organization", "chapter")
            .order_by("-created_at", "-id"))


@dataclass(frozen=True)
class PetitionFigures:
    total: int  # what counts toward the goal
    by_status: dict[str, int]  # every status, zero included
    by_source: dict[str, int]  # counted signatures per source

    def percent_of(self, goal: int) -> int:
        return min(100, round(100 * self.total / goal)) if goal else 100


def petition_figures(petition: Petition) -> PetitionFigures:
    """Counts by status and by source, in one query."""
    rows = (Signature.objects.filter(petition=petition)
            .values("status", "source").annotate(n=Count("id")).order_by())
    by_status = dict.fromkeys(Signature.Status.values, 0)
    by_source = dict.fromkeys(Signature.Source.values, 0)
    counting = {Signature.Status.COUNTED}
    if not petition.double_opt_in:
        counting.add(Signature.Status.PENDING)
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        if row["status"] in counting:
            by_source[row["source"]] = by_source.get(row["source"], 0) + row["n"]
    return PetitionFigures(total=sum(by_source.values()), by_status=by_status,
                           by_source=by_source)


@dataclass(frozen=True)
class Day:
    day: datetime.date
    received: int  # every signature posted that day, whatever became of it
    counted: int  # those that count toward the total now


def signatures_per_day(petition: Petition, *, days: int = DAYS_SHOWN) -> list[Day]:
    """The last `days` days (today included, in the organization's time zone), newest
    first, zero days included; the database groups the rows."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate(timezone=zone)
    first = today - datetime.timedelta(days=days - 1)
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    rows = (Signature.objects.filter(petition=petition, created_at__gte=since)
            .annotate(day=TruncDate("created_at", tzinfo=zone))
            .values("day")
            .annotate(received=Count("id"),
                      counted=Count("id", filter=counted_q_for(petition)))
            .order_by())
    found = {row["day"]: row for row in rows}
    result = []
    for offset in range(days):
        day = today - datetime.timedelta(days=offset)
        row = found.get(day, {})
        result.append(Day(day=day, received=row.get("received", 0),
                          counted=row.get("counted", 0)))
    return result


def counted_q_for(petition: Petition) -> Q:
    """Signatures of this petition that count (its confirmation setting is known)."""
    statuses = [Signature.Status.COUNTED]
    if not petition.double_opt_in:
        statuses.append(Signature.Status.PENDING)
    return Q(status__in=statuses)


def recent_signatures(user, petition: Petition, *, limit: int = RECENT_SHOWN
                      ) -> list[Signature]:
    """The latest signatures, each with `signer_visible`: whether the account may see
    the signer (a known person in its scope). Contact details are never loaded."""
    visible = people_visible_to(user).filter(pk=OuterRef("person_id"))
    return list(
        Signature.objects.filter(petition=petition)
        .annotate(signer_visible=Exists(visible))
        .select_related("person")
        .only("id", "petition_id", "person__id", "person__chosen_name", "status", "source",
              "sheet_number", "city", "created_at")
        .order_by("-created_at", "-id")[:limit]
    )
