"""PostgreSQL for the test suite only: `flush` deletes rows instead of truncating.

Tests that need real transactions end with Django's `flush`, which on PostgreSQL is a
TRUNCATE of every table: a new file for each table and index, slow and costly under
load, for the handful of rows a test leaves. DELETE of those rows is much cheaper. The
foreign keys Django creates are DEFERRABLE INITIALLY DEFERRED and `flush` runs in one
transaction, so the order of the tables does not matter. When sequences must restart,
Django's TRUNCATE is kept. Used by settings/test.py only (decision 0030).
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences,
                                     allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
