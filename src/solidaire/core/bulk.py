"""Writing many rows fast: COPY on PostgreSQL, executemany elsewhere.

`bulk_create` builds a model instance and prepares every value of every row in
Python; for the millions of rows of a large demo that costs most of the time.
Here rows are plain tuples in the order of the given field attnames, written
inside the caller's transaction on Django's own connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from django.db import connection, models


def _columns(
    model: type[models.Model], attnames: Sequence[str],
) -> tuple[list[models.Field], str]:
    # Attnames name concrete columns, never relations.
    fields = [cast("models.Field", model._meta.get_field(name)) for name in attnames]
    quote = connection.ops.quote_name
    return fields, ", ".join(quote(field.column) for field in fields)


def rows_insert(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[tuple],
    *, json_text: bool = False,
) -> None:
    """Insert rows (tuples of Python values, in `attnames` order) into `model`'s table.

    `json_text=True`: the values of JSON columns are already JSON text (json.dumps).
    """
    fields, columns = _columns(model, attnames)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts Python values itself; COPY skips per-row statements. JSON
            # columns need Django's preparation (a str is not JSON text).
            json_at = [] if json_text else [
                i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        values = list(row)
                        for i in json_at:
                            values[i] = fields[i].get_db_prep_save(values[i], connection)
                        row = tuple(values)
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        prepared = [
            tuple(value if json_text and isinstance(field, models.JSONField)
                  else field.get_db_prep_save(value, connection)
                  for field, value in zip(fields, row, strict=True))
            for row in rows
        ]
        if prepared:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                prepared,
            )


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys no other row has or will get, for rows inserted with their id.

    PostgreSQL draws them from the table's sequence. Elsewhere they follow the
    largest id, which is safe inside the caller's transaction: SQLite runs with
    `transaction_mode = IMMEDIATE`, so no other writer can insert meanwhile.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def rows_update(
    model: type[models.Model], attnames: Sequence[str], rows: Sequence[tuple],
) -> None:
    """Set `attnames` on many rows at once; each row is (pk, *values in attnames order).

    PostgreSQL: COPY into a temporary table, then one UPDATE … FROM it. Elsewhere an
    executemany of single-row UPDATEs.
    """
    if not rows:
        return
    fields, _columns_sql = _columns(model, attnames)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            temp = quote(f"bulk_update_{model._meta.db_table}")
            columns = ", ".join(quote(f.column) for f in (model._meta.pk, *fields))
            # The columns' types without their constraints; dropped at commit.
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            json_at = [i + 1 for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
            with cursor.cursor.copy(f"COPY {temp} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        values = list(row)
                        for i in json_at:
                            values[i] = fields[i - 1].get_db_prep_save(values[i], connection)
                        row = tuple(values)
                    copy.write_row(row)
            assignments = ", ".join(f"{quote(f.column)} = t.{quote(f.column)}" for f in fields)
            cursor.execute(
                f"UPDATE {table} AS p SET {assignments} FROM {temp} AS t "  # noqa: S608
                f"WHERE p.{pk} = t.{pk}"
            )
            return
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
            [
                [*(f.get_db_prep_save(v, connection) for f, v in zip(fields, row[1:], strict=True)),
                 row[0]]
                for row in rows
            ],
        )


def ids_in(values: Sequence):
    """A value for `field__in=` that sends a long list as one parameter on PostgreSQL.

    Django writes `IN (%s, %s, …)` with one placeholder per value; for thousands of
    values the statement costs more to build than to run. `= ANY(array)` is one.
    """
    if connection.vendor != "postgresql" or not values:
        return list(values)
    from django.db.models.expressions import RawSQL

    sample = next(iter(values))
    cast = "bigint[]" if isinstance(sample, int) else "text[]"
    return RawSQL(f"SELECT unnest(%s::{cast})", (list(values),))  # noqa: S611
