"""Writing many rows fast: COPY on PostgreSQL, executemany elsewhere.

`bulk_create` builds a model instance and prepares every value of every row in
Python; for the millions of rows of a large demo that costs most of the time.
Here rows are plain tuples in the order of the given field attnames, written
inside the caller's transaction on Django's own connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models


def _columns(model: type[models.Model], attnames: Sequence[str]) -> tuple[list, str]:
    fields = [model._meta.get_field(name) for name in attnames]
    quote = connection.ops.quote_name
    return fields, ", ".join(quote(field.column) for field in fields)


def rows_insert(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[tuple],
) -> None:
    """Insert rows (tuples of Python values, in `attnames` order) into `model`'s table."""
    fields, columns = _columns(model, attnames)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts Python values itself; COPY skips per-row statements.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        prepared = [
            tuple(field.get_db_prep_save(value, connection)
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
