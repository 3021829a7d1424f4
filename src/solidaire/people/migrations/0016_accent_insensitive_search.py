"""The people search ignores accents on PostgreSQL too (decision 0063).

`unaccent()` is only STABLE (its dictionary could change), so an index cannot use it;
the IMMUTABLE wrapper `solidaire_fold` names the dictionary explicitly, schema and all,
which is the documented way to index it. The trigram index over the three names then
folds them once on write, and the search compares the folded text typed against it.
On SQLite the function is Python's, registered on each connection (people.folding).
"""

from django.db import migrations

NAMES = "(chosen_name || ' ' || given_name || ' ' || family_name)"
OLD_NAMES = f"UPPER({NAMES})"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension "
            "WHERE extname = 'unaccent'"
        )
        (schema,) = cursor.fetchone()
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION solidaire_fold(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
        f"$$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
    )
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "person_names_fold_trgm" ON "people_person" '
        f"USING gin ((solidaire_fold({NAMES})) gin_trgm_ops)"
    )
    schema_editor.execute('DROP INDEX IF EXISTS "person_names_trgm"')


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "person_names_trgm" ON "people_person" '
        f"USING gin (({OLD_NAMES}) gin_trgm_ops)"
    )
    schema_editor.execute('DROP INDEX IF EXISTS "person_names_fold_trgm"')
    schema_editor.execute("DROP FUNCTION IF EXISTS solidaire_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("people", "0015_import_repeated_rows")]
    operations = [migrations.RunPython(forward, backward)]
