"""Trigram indexes for the people search on PostgreSQL (SQLite scans; it is small).

`icontains` on PostgreSQL is `UPPER(column) LIKE UPPER('%text%')`; a GIN trigram
index on the same UPPER(...) expression answers it without reading every row.
"""

from django.db import migrations

INDEXES = [
    ("people_person", "person_chosen_name_trgm", "chosen_name"),
    ("people_person", "person_given_name_trgm", "given_name"),
    ("people_person", "person_family_name_trgm", "family_name"),
    ("people_emailaddress", "email_address_trgm", "address"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0002_name_index")]
    operations = [migrations.RunPython(create, drop)]
