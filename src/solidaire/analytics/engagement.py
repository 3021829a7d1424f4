"""Keeping the engagement digest (`analytics.models.Engagement`) in step with the ledger.

The digest is never edited by hand: each person's row is recomputed from their ledger
rows by one SQL statement (a window over the rows, newest first) that runs the same
on PostgreSQL and SQLite. Whatever writes, moves or removes ledger rows sends
`core.signals.ledger_changed` in the same transaction (`Activity.save` does it for
single rows, bulk writers once per batch), and `engagement_follow_ledger` recomputes
those people; loaders of millions of rows call `engagement_rebuild()` once at the
end. `solidaire engagement rebuild` does the same by hand, and `engagement_check()`
says which people's digest differs from their ledger (decisions 0029, 0054).

What counts as an action is read from the declared kinds (`core.activity_kinds`) at
each statement: a kind an app adds counts from then on. Changing whether an existing
kind counts, with rows of it in the ledger, calls for `solidaire engagement rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from solidaire.core.activity_kinds import action_kinds
from solidaire.core.models import Activity

from .models import ENGAGEMENT_KIND_FIELDS, ENGAGEMENT_RANKS, Engagement, engagement_rank_field

CHUNK = 500  # person ids per statement (SQLite's limit on parameters is far above)


def _columns() -> list[str]:
    return (["person_id", "last_activity_at"]
            + [engagement_rank_field(rank) for rank in range(1, ENGAGEMENT_RANKS + 1)]
            + list(ENGAGEMENT_KIND_FIELDS.values()))


def _select(where: str) -> tuple[str, list]:
    """SELECT of the digest rows of the ledger rows matching `where` (SQL on alias a,
    whose own parameters come after the returned ones)."""
    # A never-matching value keeps the SQL valid should no kind count as an action.
    kinds = list(action_kinds()) or [""]
    in_actions = f"a.kind IN ({', '.join(['%s'] * len(kinds))})"
    ranks = ", ".join(
        f"MAX(CASE WHEN r.action_rank = {rank} THEN r.occurred_at END)"
        for rank in range(1, ENGAGEMENT_RANKS + 1))
    per_kind = ", ".join("MAX(CASE WHEN r.kind = %s THEN r.occurred_at END)"
                         for _kind in ENGAGEMENT_KIND_FIELDS)
    activity = connection.ops.quote_name(Activity._meta.db_table)
    sql = (
        f"SELECT r.person_id, MAX(r.occurred_at), {ranks}, {per_kind} FROM ("  # noqa: S608
        f"SELECT a.person_id, a.kind, a.occurred_at, CASE WHEN {in_actions} THEN "
        f"ROW_NUMBER() OVER (PARTITION BY a.person_id, CASE WHEN {in_actions} THEN 1 ELSE 0 "
        f"END ORDER BY a.occurred_at DESC, a.id DESC) END AS action_rank "
        f"FROM {activity} a {where}) r "
        # "WHERE 1 = 1": SQLite needs a WHERE before an upsert's ON CONFLICT.
        f"WHERE 1 = 1 GROUP BY r.person_id"
    )
    return sql, list(ENGAGEMENT_KIND_FIELDS) + kinds + kinds


def _upsert(cursor, ids: list[int]) -> None:
    quote = connection.ops.quote_name
    columns = _columns()
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns[1:])
    select, params = _select(f"WHERE a.person_id IN ({', '.join(['%s'] * len(ids))})")
    cursor.execute(
        f"INSERT INTO {quote(Engagement._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) {select} "
        f"ON CONFLICT ({quote('person_id')}) DO UPDATE SET {updates}",
        params + ids,
    )


def engagement_touch(person_ids: Iterable[int]) -> None:
    """Recompute the digest of people who have just had ledger rows written (one
    statement per chunk: each has at least those rows, so none loses their digest)."""
    ids = sorted({int(pk) for pk in person_ids if pk is not None})
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            _upsert(cursor, ids[start:start + CHUNK])


def engagement_refresh(person_ids: Iterable[int]) -> None:
    """Recompute the digest of these people from their ledger rows; those left with no
    ledger row lose theirs."""
    ids = sorted({int(pk) for pk in person_ids if pk is not None})
    quote = connection.ops.quote_name
    table = quote(Engagement._meta.db_table)
    activity = quote(Activity._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            _upsert(cursor, chunk)
            cursor.execute(
                f"DELETE FROM {table} WHERE person_id IN "  # noqa: S608
                f"({', '.join(['%s'] * len(chunk))}) AND NOT EXISTS "
                f"(SELECT 1 FROM {activity} a WHERE a.person_id = {table}.person_id)",
                chunk,
            )


def engagement_follow_ledger(sender, *, person_ids, rows_removed: bool, **kwargs) -> None:
    """Receiver of `core.signals.ledger_changed`: these people's digests, recomputed in
    the writer's transaction."""
    if rows_removed:
        engagement_refresh(person_ids)
    else:
        engagement_touch(person_ids)


@transaction.atomic
def engagement_rebuild() -> int:
    """Rebuild every digest row from the whole ledger (after a bulk load, or by hand:
    `solidaire engagement rebuild`). Returns the number of people with a digest."""
    quote = connection.ops.quote_name
    table = quote(Engagement._meta.db_table)
    columns = ", ".join(quote(c) for c in _columns())
    select, params = _select("")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One sort of the whole ledger: give it memory for this transaction only.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return Engagement.objects.count()


def engagement_check(person_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of the people whose digest differs from what their ledger gives (empty when
    all is in step). Reads the digest as it would be rebuilt and compares in SQL."""
    quote = connection.ops.quote_name
    table = quote(Engagement._meta.db_table)
    names = _columns()
    where, where_params = "", []
    if person_ids is not None:
        ids = sorted({int(pk) for pk in person_ids})
        if not ids:
            return []
        where = f"WHERE a.person_id IN ({', '.join(['%s'] * len(ids))})"
        where_params = ids
    select, params = _select(where)
    expected = ", ".join(f"x{i}" for i in range(len(names)))
    differs = " OR ".join(
        f"NOT ((e.{quote(c)} IS NULL AND x.x{i} IS NULL) OR e.{quote(c)} = x.x{i})"
        for i, c in enumerate(names) if i)
    own = ""
    if person_ids is not None:
        own = f"AND e.person_id IN ({', '.join(['%s'] * len(where_params))})"
    sql = (
        f"WITH x ({expected}) AS ({select}) "  # noqa: S608
        f"SELECT x.x0 FROM x LEFT JOIN {table} e ON e.person_id = x.x0 "
        f"WHERE e.person_id IS NULL OR {differs} "
        f"UNION SELECT e.person_id FROM {table} e WHERE NOT EXISTS "
        f"(SELECT 1 FROM x WHERE x.x0 = e.person_id) {own}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params + where_params)
        return sorted(row[0] for row in cursor.fetchall())
