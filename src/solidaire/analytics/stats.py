"""The organizer dashboard's numbers: each chart's data, scoped, computed in the database
(the pages, their date-range form and the SVG are the organize face's, decision 0054).

Every function takes the account and a `DateRange` and returns a `ChartData`: the rows of
the chart's table, which are also the rows of its CSV, and what the SVG needs. Counts of
people only ever include people the account may see (`people_visible_to`); ledger rows are
scoped by the person's home chapter, the same rule, written once in `_activity_scope`.
Grouping (by week, kind, province, language, chapter) happens in SQL: no Python loops over
people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidaire.core.access import scope_for
from solidaire.core.activity_kinds import action_kinds, kind_label
from solidaire.core.i18n import content_language_name, localized
from solidaire.core.models import Activity
from solidaire.events.models import Province, Registration
from solidaire.events.selectors import events_visible_to
from solidaire.people.selectors import people_visible_to
from solidaire.petitions.models import Signature
from solidaire.petitions.selectors import COUNTED, petitions_visible_to

from .models import Engagement
from .weekly import ledger_week_counts, week_key

DEFAULT_WEEKS = 26
LADDER_DAYS = 90
TOP_PETITIONS = 5
TOP_CHAPTERS = 10


@dataclass(frozen=True)
class DateRange:
    """From `start` to `end`, both days included, in the site's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """The first instant after the range."""
        return _midnight(self.end + datetime.timedelta(days=1))

    def weeks(self) -> list[datetime.date]:
        """The Monday of every week the range touches."""
        monday = self.start - datetime.timedelta(days=self.start.weekday())
        weeks = []
        while monday <= self.end:
            weeks.append(monday)
            monday += datetime.timedelta(days=7)
        return weeks

    def query(self) -> str:
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_range(today: datetime.date | None = None) -> DateRange:
    today = today or timezone.localdate()
    return DateRange(today - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(days=1),
                     today)


@dataclass
class Series:
    label: str
    values: list[int]
    # A dashed reference line (a petition's goal), drawn in the series' colour.
    goal: int | None = None


@dataclass
class ChartData:
    name: str
    title: str
    kind: str                      # "bars" (stacked columns), "lines", "hbars"
    x_label: str
    y_label: str
    categories: list[str]
    series: list[Series]
    columns: list[str]             # table and CSV header
    rows: list[list] = field(default_factory=list)
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)


def _of_people_in_scope(user, via: str = "person") -> Q:
    """Rows (ledger rows, signatures, registrations) of people in scope: the rule of
    `people_visible_to`, written once.

    Empty for an account that sees everything; otherwise one join (row → person →
    chapter), so on PostgreSQL the range still comes from the (kind, occurred_at) index
    of the ledger and the chapter test is a hash join against a handful of chapters.
    """
    return scope_for(user).person_q(via)


def _week_label(week: datetime.date) -> str:
    return week.isoformat()


def new_people(user, rng: DateRange) -> ChartData:
    counts = {
        week_key(row["week"]): row["n"]
        for row in people_visible_to(user)
        .filter(created_at__gte=rng.start_at, created_at__lt=rng.end_at)
        .annotate(week=TruncWeek("created_at")).order_by().values("week")
        .annotate(n=Count("id"))
    }
    weeks = rng.weeks()
    values = [counts.get(w, 0) for w in weeks]
    return ChartData(
        name="new-people", title=str(_("New people per week")), kind="bars",
        x_label=str(_("Week starting")), y_label=str(_("People added")),
        categories=[_week_label(w) for w in weeks],
        series=[Series(str(_("New people")), values)],
        columns=[str(_("Week starting")), str(_("New people"))],
        rows=[[_week_label(w), v] for w, v in zip(weeks, values, strict=True)],
    )


def actions(user, rng: DateRange) -> ChartData:
    # Mostly from the weekly counts: counting the ledger itself took seconds on a large
    # organization (decision 0032); the numbers are the same.
    actions_kinds = action_kinds()
    counts = ledger_week_counts(user, list(actions_kinds), rng.start_at, rng.end_at)
    weeks = rng.weeks()
    kinds = [k for k in actions_kinds if any(kind == k for _w, kind in counts)]
    labels = {k: kind_label(k) for k in kinds}
    series = [Series(labels[k], [counts.get((w, k), 0) for w in weeks]) for k in kinds]
    return ChartData(
        name="actions", title=str(_("Actions per week, by kind")), kind="bars",
        x_label=str(_("Week starting")), y_label=str(_("Actions")),
        categories=[_week_label(w) for w in weeks], series=series,
        columns=[str(_("Week starting"))] + [labels[k] for k in kinds] + [str(_("Total"))],
        rows=[[_week_label(w)] + [counts.get((w, k), 0) for k in kinds]
              + [sum(counts.get((w, k), 0) for k in kinds)] for w in weeks],
    )


def signatures(user, rng: DateRange) -> ChartData:
    """Cumulative signatures of people in scope, per petition, for the petitions that
    gained the most in the range."""
    scoped = Signature.objects.filter(
        _of_people_in_scope(user),
        petition__in=petitions_visible_to(user).values("pk"), status__in=COUNTED,
        created_at__lt=rng.end_at,
    )
    top = list(
        scoped.order_by().values("petition")
        .annotate(gained=Count("id", filter=Q(created_at__gte=rng.start_at)),
                  before=Count("id", filter=Q(created_at__lt=rng.start_at)))
        .filter(gained__gt=0).order_by("-gained", "petition")[:TOP_PETITIONS]
    )
    weeks = rng.weeks()
    ids = [row["petition"] for row in top]
    weekly: dict[tuple, int] = {}
    petitions = {}
    if ids:
        for row in (scoped.filter(petition__in=ids, created_at__gte=rng.start_at)
                    .annotate(week=TruncWeek("created_at")).order_by()
                    .values("petition", "week").annotate(n=Count("id"))):
            weekly[(row["petition"], week_key(row["week"]))] = row["n"]
        petitions = {p.pk: p for p in petitions_visible_to(user).filter(pk__in=ids)
                     .only("pk", "title", "goal", "slug")}
    series, rows = [], []
    for row in top:
        petition = petitions[row["petition"]]
        total, values = row["before"], []
        for week in weeks:
            total += weekly.get((petition.pk, week), 0)
            values.append(total)
        title = localized(petition.title) or petition.slug
        series.append(Series(title, values, goal=petition.goal))
        rows.extend([title, _week_label(w), v, petition.goal]
                    for w, v in zip(weeks, values, strict=True))
    return ChartData(
        name="signatures", title=str(_("Signatures over time, against each petition's goal")),
        kind="lines", x_label=str(_("Week starting")), y_label=str(_("Signatures (running total)")),
        categories=[_week_label(w) for w in weeks], series=series,
        columns=[str(_("Petition")), str(_("Week starting")), str(_("Signatures")),
                 str(_("Goal"))],
        rows=rows,
        note=str(_("Signatures of people in your scope, for the five petitions that gained "
                   "the most in the range. The dashed line is the goal.")),
    )


def attendance(user, rng: DateRange) -> ChartData:
    rows = list(
        Registration.objects.filter(
            _of_people_in_scope(user),
            event__in=events_visible_to(user).filter(
                starts_at__gte=rng.start_at, starts_at__lt=rng.end_at).values("pk"),
            attended_at__isnull=False,
        ).order_by().values("event__province")
        .annotate(n=Count("id"), events=Count("event", distinct=True))
        .order_by("-n", "event__province")
    )
    names = dict(Province.choices)

    def label(code):
        return str(names.get(code, code)) if code else str(_("Online or no province"))

    categories = [label(r["event__province"]) for r in rows]
    return ChartData(
        name="attendance", title=str(_("Event attendance by region")), kind="hbars",
        x_label=str(_("People who attended")), y_label=str(_("Province or territory")),
        categories=categories, series=[Series(str(_("Attended")), [r["n"] for r in rows])],
        columns=[str(_("Province or territory")), str(_("Events")), str(_("Attended"))],
        rows=[[c, r["events"], r["n"]] for c, r in zip(categories, rows, strict=True)],
    )


def languages(user, rng: DateRange) -> ChartData:
    rows = list(people_visible_to(user).filter(created_at__lt=rng.end_at).order_by()
                .values("preferred_language").annotate(n=Count("id"))
                .order_by("-n", "preferred_language"))
    categories = [content_language_name(r["preferred_language"]) for r in rows]
    return ChartData(
        name="languages", title=str(_("People by preferred language")), kind="hbars",
        x_label=str(_("People")), y_label=str(_("Language")), categories=categories,
        series=[Series(str(_("People")), [r["n"] for r in rows])],
        columns=[str(_("Language")), str(_("People"))],
        rows=[[c, r["n"]] for c, r in zip(categories, rows, strict=True)],
    )


def chapters(user, rng: DateRange) -> ChartData:
    rows = list(people_visible_to(user).filter(created_at__lt=rng.end_at).order_by()
                .values("home_chapter", "home_chapter__name").annotate(n=Count("id"))
                .order_by("-n", "home_chapter__name")[:TOP_CHAPTERS])
    categories = [r["home_chapter__name"] or str(_("No chapter")) for r in rows]
    return ChartData(
        name="chapters", title=str(_("People by chapter")), kind="hbars",
        x_label=str(_("People")), y_label=str(_("Chapter")), categories=categories,
        series=[Series(str(_("People")), [r["n"] for r in rows])],
        columns=[str(_("Chapter")), str(_("People"))],
        rows=[[c, r["n"]] for c, r in zip(categories, rows, strict=True)],
        note=str(_("The ten chapters with the most people.")),
    )


def ladder(user, rng: DateRange) -> ChartData:
    """People by number of actions in the 90 days before the end of the range.

    A range ending now or later is read from the engagement digest (one comparison per
    person, decision 0029); one ending in the past counts the ledger rows."""
    since = rng.end_at - datetime.timedelta(days=LADDER_DAYS)
    if rng.end_at >= timezone.now():
        steps = Engagement.objects.filter(
            _of_people_in_scope(user), action_1_at__gte=since,
        ).aggregate(
            one=Count("pk", filter=~Q(action_2_at__gte=since)),
            few=Count("pk", filter=Q(action_2_at__gte=since) & ~Q(action_4_at__gte=since)),
            many=Count("pk", filter=Q(action_4_at__gte=since)),
        )
        return _ladder_chart(steps)
    per_person = (Activity.objects.filter(
        _of_people_in_scope(user), kind__in=action_kinds(),
        occurred_at__gte=since, occurred_at__lt=rng.end_at,
    ).order_by().values("person").annotate(n=Count("id")))
    # Aggregating over a grouped query: one SQL statement with a subquery.
    steps = per_person.aggregate(
        one=Count("person", filter=Q(n=1)),
        few=Count("person", filter=Q(n__gte=2, n__lte=3)),
        many=Count("person", filter=Q(n__gte=4)),
    )
    return _ladder_chart(steps)


def _ladder_chart(steps: dict) -> ChartData:
    categories = [str(_("1 action")), str(_("2–3 actions")), str(_("4 or more actions"))]
    values = [steps["one"] or 0, steps["few"] or 0, steps["many"] or 0]
    return ChartData(
        name="ladder", title=str(_("Engagement ladder")), kind="hbars",
        x_label=str(_("People")), y_label=str(_("Actions in the last 90 days")),
        categories=categories, series=[Series(str(_("People")), values)],
        columns=[str(_("Actions in the last 90 days")), str(_("People"))],
        rows=[[c, v] for c, v in zip(categories, values, strict=True)],
        note=str(_("People by the number of actions they took in the 90 days up to the "
                   "end of the range.")),
    )


CHARTS = {
    "new-people": new_people,
    "actions": actions,
    "signatures": signatures,
    "attendance": attendance,
    "languages": languages,
    "chapters": chapters,
    "ladder": ladder,
}


def chart(name: str, user, rng: DateRange) -> ChartData:
    return CHARTS[name](user, rng)


def all_charts(user, rng: DateRange) -> list[ChartData]:
    return [build(user, rng) for build in CHARTS.values()]
