"""Fewer indexes to maintain on every insert (decision 0015).

- The home chapter's own index: "person_chapter_name" (chapter, name) starts with it.
- One trigram index over the three name fields instead of one per field; the people
  search reads it through `selectors.NAMES_SQL`, the same expression.
- The trigram index on e-mail addresses: the search now matches an address by its
  beginning, which the `varchar_pattern_ops` index Django keeps beside the unique one
  answers; a trigram index cost about as much as the rest of the table on each
  insert (decision 0009, addendum).
- The `varchar_pattern_ops` copy beside the phone index: phones match by equality.
"""

import django.db.models.deletion
from django.db import migrations, models

NAMES = "UPPER((chosen_name || ' ' || given_name || ' ' || family_name))"
OLD = ["person_chosen_name_trgm", "person_given_name_trgm", "person_family_name_trgm"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "person_names_trgm" ON "people_person" '
        f'USING gin (({NAMES}) gin_trgm_ops)'
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'people_phonenumber' "
            "AND indexname LIKE '%%_like'"
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute('DROP INDEX IF EXISTS "email_address_trgm"')


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "person_names_trgm"')
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "email_address_trgm" ON "people_emailaddress" '
        'USING gin ((UPPER("address"::text)) gin_trgm_ops)'
    )
    for name, column in zip(OLD, ["chosen_name", "given_name", "family_name"], strict=True):
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "people_person" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


class Migration(migrations.Migration):

    dependencies = [
        ('organizing', '0001_squashed_0003_organization_status_retention'),
        ('people', '0005_imports_duplicates'),
    ]

    operations = [
        migrations.AlterField(
            model_name='person',
            name='home_chapter',
            field=models.ForeignKey(blank=True, db_index=False, help_text='The chapter that organizes with this person.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='people', to='organizing.chapter', verbose_name='home chapter'),
        ),
        migrations.RunPython(forward, backward),
    ]
