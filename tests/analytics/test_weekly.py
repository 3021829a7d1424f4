"""The dashboard's weekly counts of the ledger (decision 0032): whatever the state of the
counts (never built, built then more rows written, rows back-dated, rows deleted, people
moved), the chart's numbers are those of the ledger itself, within the account's scope."""

import datetime
from collections import Counter

import pytest
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from solidaire.advocacy.activities import TARGET_CALLED
from solidaire.analytics import tasks
from solidaire.analytics.models import ActivityWeek
from solidaire.analytics.stats import DateRange, actions
from solidaire.analytics.weekly import activity_weeks_refresh, ledger_week_counts, week_key
from solidaire.core.access import scope_for
from solidaire.core.activity_kinds import action_kinds
from solidaire.core.models import Activity
from solidaire.events.activities import EVENT_REGISTERED
from solidaire.petitions.activities import PETITION_SIGNED

from tests.factories import PersonFactory

KINDS = list(action_kinds())
SIGNED, CALLED = PETITION_SIGNED, TARGET_CALLED


def at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour))


def did(who, kind, day: str, hour: int = 12, times: int = 1):
    for _ in range(times):
        Activity.objects.create(person=who, kind=kind, occurred_at=at(day, hour))


def from_the_ledger(user, start_at, end_at) -> Counter:
    """The answer written the plain way: the ledger grouped by week and kind."""
    rows = (Activity.objects.filter(scope_for(user).chapter_q("person__home_chapter"),
                                    kind__in=KINDS, occurred_at__gte=start_at,
                                    occurred_at__lt=end_at)
            .annotate(week=TruncWeek("occurred_at")).order_by().values("week", "kind")
            .annotate(n=Count("id")))
    return Counter({(week_key(row["week"]), row["kind"]): row["n"] for row in rows})


# Whole weeks; starting and ending inside a week; one day; inside a single week; to today.
RANGES = [("2026-01-05", "2026-02-01"), ("2026-01-07", "2026-01-28"),
          ("2026-01-14", "2026-01-14"), ("2026-01-13", "2026-01-16"),
          ("2025-12-30", "2026-01-31")]


def check_every_range(world):
    checked = 0
    for user in (world.coordinator, world.montreal_organizer, world.rimouski_organizer):
        for start, end in RANGES:
            rng = DateRange(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
            expected = from_the_ledger(user, rng.start_at, rng.end_at)
            assert ledger_week_counts(user, KINDS, rng.start_at, rng.end_at) == expected, \
                (user.username, start, end)
            checked += bool(expected)
    assert checked >= 10  # the ranges hold rows: the comparison is not of empty answers


@pytest.fixture
def history(world):
    without_chapter = PersonFactory(home_chapter=None)
    for day in ("2026-01-05", "2026-01-07", "2026-01-11", "2026-01-13", "2026-01-16",
                "2026-01-20", "2026-01-28", "2026-02-01", "2025-12-31"):
        did(world.in_montreal, SIGNED, day)
        did(world.in_cdn, CALLED, day, times=2)
        did(world.in_bsl, SIGNED, day, hour=23)
        did(world.in_toronto, CALLED, day)  # another organization: never counted here
        did(without_chapter, SIGNED, day, hour=0)
    did(world.in_montreal, EVENT_REGISTERED, "2026-01-14")
    return world


@pytest.mark.django_db
def test_the_counts_are_the_ledgers_before_and_after_the_weekly_counts_are_built(history):
    check_every_range(history)  # nothing built yet: all from the ledger
    assert activity_weeks_refresh() > 0
    assert ActivityWeek.objects.exists()
    check_every_range(history)


@pytest.mark.django_db
def test_rows_written_after_the_counts_were_built_are_counted(history):
    activity_weeks_refresh()
    did(history.in_montreal, CALLED, "2026-01-21", times=3)  # back-dated: a paper list
    did(history.in_cdn, SIGNED, "2026-01-05", hour=0)
    check_every_range(history)
    # The next refresh counts those weeks again, and only those.
    assert activity_weeks_refresh() > 0
    assert activity_weeks_refresh() == 0
    check_every_range(history)


@pytest.mark.django_db
def test_the_daily_rebuild_follows_deleted_rows_and_people_who_moved(history):
    activity_weeks_refresh()
    Activity.objects.filter(person=history.in_bsl).delete()
    history.in_cdn.home_chapter = history.bsl
    history.in_cdn.save(update_fields=["home_chapter"])
    activity_weeks_refresh(full=True)
    check_every_range(history)


@pytest.mark.django_db
def test_the_chart_shows_the_same_weeks_with_the_counts_built(history):
    rng = DateRange(datetime.date(2026, 1, 7), datetime.date(2026, 1, 28))
    before = actions(history.montreal_organizer, rng).rows
    activity_weeks_refresh()
    after = actions(history.montreal_organizer, rng).rows
    assert after == before
    # Montréal's subtree only, on the 6 days from 7 to 28 January: Ana's signature and
    # Bea's two calls each day, and Ana's registration; never Carlos, Dev or anyone
    # without a chapter.
    assert sum(row[-1] for row in after) == 6 * (1 + 2) + 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_sweep_queues_one_refresh_when_the_ledger_has_new_rows(history,
                                                                          monkeypatch):
    monkeypatch.setattr(tasks, "_last_refresh", float("-inf"))
    assert tasks.activity_weeks_sweep() is True
    monkeypatch.setattr(tasks, "_last_refresh", float("-inf"))
    assert tasks.activity_weeks_sweep() is False  # one is already waiting
    path = tasks.activity_weeks_refresh_task.module_path
    assert DBTaskResult.objects.filter(task_path=path).count() == 1
    # Run as the worker would; then there is nothing new to count.
    DBTaskResult.objects.filter(task_path=path).delete()
    tasks.activity_weeks_refresh_task.call()
    monkeypatch.setattr(tasks, "_last_refresh", float("-inf"))
    assert tasks.activity_weeks_sweep() is False
    # At most once a minute per process.
    did(history.in_montreal, SIGNED, "2026-01-30")
    assert tasks.activity_weeks_sweep() is False
