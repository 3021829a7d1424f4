"""Weekly counts of the activity ledger for the organizer dashboard (decision 0032).

`activity_weeks_refresh` writes `ActivityWeek` rows: per week (Monday, site time zone),
kind and home chapter of the person, the number of ledger rows, as of the newest row
when it ran (`ActivityWeekMark`). A worker sweep runs it when new rows have come (at
most once a minute), and a daily task rebuilds everything, for rows deleted since and
people who moved to another chapter.

`ledger_week_counts` answers "how many ledger rows of these kinds, per week and kind,
for the people this account sees, in this range" exactly as a count over the ledger
would, by adding three parts: the weekly counts of the whole weeks in the range, the
ledger rows written since the mark, and the part-weeks at the ends of the range counted
from the ledger.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from solidaire.core.access import scope_for
from solidaire.core.models import Activity

from .models import ActivityWeek, ActivityWeekMark

WEEK = datetime.timedelta(days=7)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _monday(moment: datetime.datetime) -> datetime.date:
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())


def week_key(value) -> datetime.date:
    """The Monday TruncWeek gives, as a date (a datetime on PostgreSQL, a date elsewhere)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def _grouped(rows: QuerySet[Activity], *, by_chapter: bool = False) -> QuerySet:
    fields = ["week", "kind"] + (["person__organization", "person__home_chapter"]
                                 if by_chapter else [])
    return (rows.annotate(week=TruncWeek("occurred_at")).order_by()
            .values(*fields).annotate(n=Count("id")))


def mark() -> int:
    """The id of the newest ledger row the weekly counts hold (0: none yet)."""
    return (ActivityWeekMark.objects.filter(pk=1)
            .values_list("last_activity_id", flat=True).first()) or 0


@transaction.atomic
def activity_weeks_refresh(*, full: bool = False) -> int:
    """Bring the weekly counts up to the newest ledger row: the weeks in which the rows
    written since the last refresh fall are counted again (every week when `full`).
    Returns the number of weekly rows written."""
    # The mark is written once, at the end (two refreshes creating it at once: one
    # fails and its job runs again at the next sweep).
    state = ActivityWeekMark.objects.select_for_update().filter(pk=1).first()
    last = state.last_activity_id if state else 0
    top = Activity.objects.aggregate(top=Max("id"))["top"] or 0
    rows = Activity.objects.filter(id__lte=top)
    if full:
        ActivityWeek.objects.all().delete()
    else:
        if top <= last:
            return 0
        span = Activity.objects.filter(id__gt=last, id__lte=top).aggregate(
            first=Min("occurred_at"), last=Max("occurred_at"))
        first, end = _monday(span["first"]), _monday(span["last"]) + WEEK
        ActivityWeek.objects.filter(week__gte=first, week__lt=end).delete()
        rows = rows.filter(occurred_at__gte=_midnight(first), occurred_at__lt=_midnight(end))
    written = ActivityWeek.objects.bulk_create(
        (ActivityWeek(week=week_key(row["week"]), kind=row["kind"],
                      organization_id=row["person__organization"],
                      chapter_id=row["person__home_chapter"], count=row["n"])
         for row in _grouped(rows, by_chapter=True).iterator()),
        batch_size=2000,
    )
    now = timezone.now()
    values = {"last_activity_id": top, "refreshed_at": now}
    if full:
        values["rebuilt_at"] = now
    if state is None:
        ActivityWeekMark.objects.create(pk=1, **values)
    else:
        ActivityWeekMark.objects.filter(pk=1).update(**values)
    return len(written)


def _add(counts: Counter, rows: Iterable[dict], sign: int = 1) -> None:
    for row in rows:
        counts[(week_key(row["week"]), row["kind"])] += sign * row["n"]


def ledger_week_counts(user, kinds: list[str], start_at: datetime.datetime,
                       end_at: datetime.datetime) -> Counter:
    """{(Monday, kind): ledger rows} of people `user` sees, of these kinds, from
    `start_at` (included) to `end_at` (excluded): the same numbers as grouping the
    ledger itself, read mostly from the weekly counts."""
    scope = scope_for(user)
    ledger = Activity.objects.filter(scope.person_q("person"), kind__in=kinds)
    counts: Counter = Counter()
    first = _monday(start_at)
    end = _monday(end_at - datetime.timedelta(microseconds=1)) + WEEK
    now = timezone.now()
    # Each week of the range from the weekly counts, except a part-week whose part outside
    # the range is in the past and longer than the part inside: that one is counted from
    # the ledger (cheaper than counting the outside part to take it away).
    whole: list[datetime.date] = []
    live: list[tuple[datetime.datetime, datetime.datetime]] = []
    outside: list[tuple[datetime.datetime, datetime.datetime]] = []
    week = first
    while week < end:
        week_start, week_end = _midnight(week), _midnight(week + WEEK)
        inside = (max(week_start, start_at), min(week_end, end_at))
        out = [part for part in ((week_start, inside[0]), (inside[1], week_end))
               if part[0] < part[1]]
        out_length = sum((b - a for a, b in out), datetime.timedelta())
        if out and any(a < now for a, _b in out) and out_length > inside[1] - inside[0]:
            live.append(inside)
        else:
            whole.append(week)
            outside.extend(out)
        week += WEEK
    if whole:  # consecutive weeks: only the first and the last can be counted live
        counted = mark()
        _add(counts, ActivityWeek.objects.filter(
            _weeks_in_scope(scope), kind__in=kinds, week__gte=whole[0],
            week__lte=whole[-1],
        ).values("week", "kind").annotate(n=Sum("count")))
        # Rows written since the mark, in those weeks.
        _add(counts, _grouped(ledger.filter(
            id__gt=counted, occurred_at__gte=_midnight(whole[0]),
            occurred_at__lt=_midnight(whole[-1] + WEEK))))
        if outside:
            _add(counts, _grouped(ledger.filter(_spans_q(outside))), sign=-1)
    if live:
        _add(counts, _grouped(ledger.filter(_spans_q(live))))
    return Counter({key: n for key, n in counts.items() if n})


def _weeks_in_scope(scope) -> Q:
    """Weekly counts of the people `scope` sees, the rule of `Scope.person_q`."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.organization_ids:
        q |= Q(organization_id__in=sorted(scope.organization_ids))
    for path in scope.chapter_paths:
        q |= Q(chapter__path__startswith=path)
    return q


def _spans_q(spans: list[tuple[datetime.datetime, datetime.datetime]]) -> Q:
    q = Q()
    for start, end in spans:
        q |= Q(occurred_at__gte=start, occurred_at__lt=end)
    return q
