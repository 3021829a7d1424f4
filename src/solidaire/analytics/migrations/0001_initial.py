"""The ledger's summaries in their own app (decision 0054).

The engagement digest was `core.Engagement` (dropped by core 0012) and the weekly
counts were the organizer face's (`organize`, earlier `dashboard`). All of it is
derived from the ledger, so the tables are made new here:
- the old weekly tables, under both names they had, are dropped; the new ones start
  empty, with no mark: the chart counts from the ledger (the same numbers) until the
  worker's sweep, within a minute, or the daily rebuild counts them again;
- the digest is built whole from the ledger at the end, so that audiences and the
  ladder, which read it without a fallback, give the same people at once.
This migration depends on the latest migration of `people`, which comes after every
migration that moved ledger rows between people (decision 0035: each of them runs
before people 0012): the digest is built from the ledger as they leave it.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_TABLES = ("organize_activityweek", "organize_activityweekmark",
              "dashboard_activityweek", "dashboard_activityweekmark")

# The digest as this migration creates it. Frozen here, not imported: a later change
# of the application's digest must not change what this step does.
RANKS = 10
KIND_COLUMNS = {
    "petition.signed": "last_signed_at",
    "signon.endorsed": "last_endorsed_at",
    "target.called": "last_called_at",
    "target.emailed": "last_emailed_at",
    "event.registered": "last_registered_at",
    "event.attended": "last_attended_at",
    "committee.joined": "last_joined_at",
    "chapter.requested": "last_requested_at",
}
ACTION_KINDS = list(KIND_COLUMNS)  # the kinds that counted as actions then


def digest_build(apps, schema_editor):
    """The same statement as `analytics.engagement.engagement_rebuild`, as of now."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    in_actions = f"a.kind IN ({', '.join(['%s'] * len(ACTION_KINDS))})"
    ranks = ", ".join(f"MAX(CASE WHEN r.action_rank = {rank} THEN r.occurred_at END)"
                      for rank in range(1, RANKS + 1))
    per_kind = ", ".join("MAX(CASE WHEN r.kind = %s THEN r.occurred_at END)"
                         for _kind in KIND_COLUMNS)
    columns = (["person_id", "last_activity_at"]
               + [f"action_{rank}_at" for rank in range(1, RANKS + 1)]
               + list(KIND_COLUMNS.values()))
    sql = (
        f"INSERT INTO {quote('analytics_engagement')} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) "
        f"SELECT r.person_id, MAX(r.occurred_at), {ranks}, {per_kind} FROM ("
        f"SELECT a.person_id, a.kind, a.occurred_at, CASE WHEN {in_actions} THEN "
        f"ROW_NUMBER() OVER (PARTITION BY a.person_id, CASE WHEN {in_actions} THEN 1 ELSE 0 "
        f"END ORDER BY a.occurred_at DESC, a.id DESC) END AS action_rank "
        f"FROM {quote('core_activity')} a) r GROUP BY r.person_id"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, list(KIND_COLUMNS) + ACTION_KINDS + ACTION_KINDS)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {quote('analytics_engagement')}")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0012_kinds_declared_by_apps'),
        ('people', '0015_import_repeated_rows'),
    ]

    operations = [
        # Dropped first: the new tables reuse the old index names.
        migrations.RunSQL([f"DROP TABLE IF EXISTS {table}" for table in OLD_TABLES],
                          migrations.RunSQL.noop),
        migrations.CreateModel(
            name='ActivityWeekMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_activity_id', models.BigIntegerField(default=0, verbose_name='last ledger row counted')),
                ('refreshed_at', models.DateTimeField(blank=True, null=True, verbose_name='refreshed')),
                ('rebuilt_at', models.DateTimeField(blank=True, null=True, verbose_name='last rebuilt in full')),
            ],
            options={
                'verbose_name': 'weekly counts mark',
                'verbose_name_plural': 'weekly counts mark',
            },
        ),
        migrations.CreateModel(
            name='Engagement',
            fields=[
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='engagement', serialize=False, to='people.person', verbose_name='person')),
                ('last_activity_at', models.DateTimeField(verbose_name='last activity')),
                ('action_1_at', models.DateTimeField(blank=True, null=True, verbose_name='latest action')),
                ('action_2_at', models.DateTimeField(blank=True, null=True, verbose_name='2nd latest action')),
                ('action_3_at', models.DateTimeField(blank=True, null=True, verbose_name='3rd latest action')),
                ('action_4_at', models.DateTimeField(blank=True, null=True, verbose_name='4th latest action')),
                ('action_5_at', models.DateTimeField(blank=True, null=True, verbose_name='5th latest action')),
                ('action_6_at', models.DateTimeField(blank=True, null=True, verbose_name='6th latest action')),
                ('action_7_at', models.DateTimeField(blank=True, null=True, verbose_name='7th latest action')),
                ('action_8_at', models.DateTimeField(blank=True, null=True, verbose_name='8th latest action')),
                ('action_9_at', models.DateTimeField(blank=True, null=True, verbose_name='9th latest action')),
                ('action_10_at', models.DateTimeField(blank=True, null=True, verbose_name='10th latest action')),
                ('last_signed_at', models.DateTimeField(blank=True, null=True, verbose_name='last signature')),
                ('last_endorsed_at', models.DateTimeField(blank=True, null=True, verbose_name='last endorsement')),
                ('last_called_at', models.DateTimeField(blank=True, null=True, verbose_name='last call to a decision-maker')),
                ('last_emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='last e-mail to a decision-maker')),
                ('last_registered_at', models.DateTimeField(blank=True, null=True, verbose_name='last event registration')),
                ('last_attended_at', models.DateTimeField(blank=True, null=True, verbose_name='last event attended')),
                ('last_joined_at', models.DateTimeField(blank=True, null=True, verbose_name='last committee joined')),
                ('last_requested_at', models.DateTimeField(blank=True, null=True, verbose_name='last chapter request')),
            ],
            options={
                'verbose_name': 'engagement digest',
                'verbose_name_plural': 'engagement digests',
                'indexes': [models.Index(fields=['last_activity_at', 'person'], name='engagement_last'), models.Index(fields=['action_1_at', 'person'], name='engagement_action_1'), models.Index(fields=['action_2_at', 'person'], name='engagement_action_2'), models.Index(fields=['action_4_at', 'person'], name='engagement_action_4'), models.Index(fields=['last_attended_at', 'last_activity_at', 'person'], name='engagement_attended')],
            },
        ),
        migrations.CreateModel(
            name='ActivityWeek',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week', models.DateField(verbose_name='week starting')),
                ('kind', models.CharField(max_length=40, verbose_name='kind')),
                ('count', models.PositiveIntegerField(verbose_name='ledger rows')),
                ('chapter', models.ForeignKey(blank=True, db_index=False, help_text="The person's home chapter when counted; empty for people without one.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizing.chapter', verbose_name='chapter')),
                ('organization', models.ForeignKey(blank=True, db_index=False, help_text="The person's organization: each organization's list is its own.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizing.organization', verbose_name='organization')),
            ],
            options={
                'verbose_name': 'weekly activity count',
                'verbose_name_plural': 'weekly activity counts',
                'indexes': [models.Index(fields=['week', 'kind', 'chapter'], name='activityweek_week')],
            },
        ),
        migrations.RunPython(digest_build, migrations.RunPython.noop),
    ]
