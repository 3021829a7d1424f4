"""Committees, their memberships and chapter requests, moved from `organizing` with
their tables (decision 0055).

The models join this app's state with the tables they had (`organizing_committee`,
`organizing_committeemembership`, `organizing_chapterrequest`). A database that ran
organizing's migrations before the move already has those tables, with their rows: they
are left exactly as they are. A fresh database gets them here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.operations.base import Operation

MOVED = ["Committee", "CommitteeMembership", "ChapterRequest"]


class CreateTablesUnlessPresent(Operation):
    """Create the tables of models already in the state, each only when no table of that
    name exists; dropped again when unapplied. The state is left as it is."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, names):
        self.names = names

    def deconstruct(self):
        return self.__class__.__name__, [self.names], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        present = set(schema_editor.connection.introspection.table_names())
        for name in self.names:
            model = to_state.apps.get_model(app_label, name)
            if (self.allow_migrate_model(schema_editor.connection.alias, model)
                    and model._meta.db_table not in present):
                schema_editor.create_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        present = set(schema_editor.connection.introspection.table_names())
        for name in reversed(self.names):
            model = from_state.apps.get_model(app_label, name)
            if (self.allow_migrate_model(schema_editor.connection.alias, model)
                    and model._meta.db_table in present):
                schema_editor.delete_model(model)

    def describe(self):
        return f"Create the tables of {', '.join(self.names)} unless they are there"


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("organizing", "0001_squashed_0003_organization_status_retention"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Committee',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='When the record was first saved.', verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed.', verbose_name='updated')),
                    ('name', models.CharField(max_length=150, verbose_name='name')),
                    ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                    ('description', models.JSONField(blank=True, default=dict, verbose_name='description')),
                    ('chapter', models.ForeignKey(blank=True, help_text='Empty for a committee of the whole organization.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='committees', to='organizing.chapter', verbose_name='chapter')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committees', to='organizing.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'committee',
                    'verbose_name_plural': 'committees',
                    'db_table': 'organizing_committee',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='CommitteeMembership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('role', models.CharField(choices=[('member', 'Member'), ('chair', 'Chair'), ('secretary', 'Secretary'), ('treasurer', 'Treasurer'), ('spokesperson', 'Spokesperson')], default='member', max_length=20, verbose_name='role')),
                    ('joined_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='joined')),
                    ('committee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='membership.committee', verbose_name='committee')),
                    ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee_memberships', to='people.person', verbose_name='person')),
                ],
                options={
                    'verbose_name': 'committee membership',
                    'verbose_name_plural': 'committee memberships',
                    'db_table': 'organizing_committeemembership',
                    'constraints': [models.UniqueConstraint(fields=('committee', 'person'), name='committee_member_once')],
                },
            ),
            migrations.AddField(
                model_name='committee',
                name='members',
                field=models.ManyToManyField(related_name='committees', through='membership.CommitteeMembership', to='people.person', verbose_name='members'),
            ),
            migrations.CreateModel(
                name='ChapterRequest',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='When the record was first saved.', verbose_name='created')),
                    ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed.', verbose_name='updated')),
                    ('chapter_name', models.CharField(max_length=150, verbose_name='proposed chapter name')),
                    ('city', models.CharField(max_length=150, verbose_name='city or campus')),
                    ('contact_name', models.CharField(max_length=150, verbose_name='your name')),
                    ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='your e-mail')),
                    ('contact_phone', models.CharField(blank=True, max_length=20, verbose_name='your phone')),
                    ('language', models.CharField(choices=[('fr', 'French'), ('en', 'English'), ('es', 'Spanish'), ('tl', 'Tagalog'), ('pa', 'Punjabi'), ('ar', 'Arabic'), ('hi', 'Hindi'), ('pt', 'Portuguese'), ('zh', 'Mandarin'), ('vi', 'Vietnamese'), ('ht', 'Haitian Creole'), ('uk', 'Ukrainian')], default='fr', max_length=8, verbose_name='language')),
                    ('message', models.TextField(blank=True, max_length=2000, verbose_name='message')),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('declined', 'Declined')], db_index=True, default='pending', max_length=10, verbose_name='status')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                    ('chapter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organizing.chapter', verbose_name='chapter created')),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='chapter_requests', to='organizing.organization', verbose_name='organization')),
                    ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='chapter_requests', to='people.person', verbose_name='person')),
                ],
                options={
                    'verbose_name': 'chapter request',
                    'verbose_name_plural': 'chapter requests',
                    'db_table': 'organizing_chapterrequest',
                    'ordering': ['-created_at'],
                },
            ),
        ]),
        CreateTablesUnlessPresent(MOVED),
    ]
