"""Organizations, coalitions and the chapter tree, as 0001_initial to
0003_organization_status_retention left them, without committees and chapter requests,
which moved to `membership` with their tables (decision 0055).

Nothing here depends on `people`: a fresh database runs this migration only. A database
that ran 0001 to 0003 counts it as applied (`replaces`) and keeps its tables. The old
files are gone because Django moves the dependencies of replaced migrations onto the
replacement: 0002_initial's dependency on people would have come back as a cycle.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ("organizing", "0001_initial"),
        ("organizing", "0002_initial"),
        ("organizing", "0003_organization_status_retention"),
    ]

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='When the record was first saved.', verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed.', verbose_name='updated')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('short_name', models.CharField(blank=True, max_length=40, verbose_name='short name')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('union', 'Union'), ('workers_centre', "Workers' centre"), ('legal_clinic', 'Legal clinic'), ('community_group', 'Community group'), ('student_association', 'Student association'), ('coalition', 'Coalition'), ('other', 'Other')], max_length=30, verbose_name='kind')),
                ('description', models.JSONField(blank=True, default=dict, help_text='One text per language code, e.g. {"fr": "…", "en": "…"}.', verbose_name='description')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                ('province', models.CharField(blank=True, max_length=60, verbose_name='province or territory')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='phone')),
                ('is_host', models.BooleanField(default=False, help_text='The organization presented on the public home page.', verbose_name='runs this site')),
                ('status_retention_months', models.PositiveSmallIntegerField(blank=True, help_text='The immigration status of a person of this organization with no activity for this many months is erased by a daily job. Empty: kept until erased by hand.', null=True, verbose_name='immigration status kept for (months)')),
            ],
            options={
                'verbose_name': 'organization',
                'verbose_name_plural': 'organizations',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Chapter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='When the record was first saved.', verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed.', verbose_name='updated')),
                ('path', models.CharField(max_length=255, unique=True)),
                ('depth', models.PositiveIntegerField()),
                ('numchild', models.PositiveIntegerField(default=0)),
                ('name', models.CharField(max_length=150, verbose_name='name')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('country', 'Country'), ('province', 'Province or territory'), ('region', 'Region'), ('city', 'City'), ('campus', 'Campus'), ('workplace', 'Workplace')], max_length=20, verbose_name='kind')),
                ('languages', models.JSONField(blank=True, default=list, help_text='Language codes the chapter works in, e.g. ["fr", "es"].', verbose_name='languages')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact e-mail')),
                ('contact_phone', models.CharField(blank=True, max_length=20, verbose_name='contact phone')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                ('is_public', models.BooleanField(default=True, help_text='Shown on the public home page.', verbose_name='listed publicly')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='chapters', to='organizing.organization', verbose_name='organization')),
            ],
            options={
                'verbose_name': 'chapter',
                'verbose_name_plural': 'chapters',
            },
        ),
        migrations.CreateModel(
            name='CoalitionMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_founding', models.BooleanField(default=False, verbose_name='founding member')),
                ('joined_on', models.DateField(blank=True, null=True, verbose_name='joined on')),
                ('coalition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organizing.organization', verbose_name='coalition')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='coalition_memberships', to='organizing.organization', verbose_name='member')),
            ],
            options={
                'verbose_name': 'coalition membership',
                'verbose_name_plural': 'coalition memberships',
                'constraints': [models.UniqueConstraint(fields=('coalition', 'member'), name='coalition_member_once'), models.CheckConstraint(condition=models.Q(('coalition', models.F('member')), _negated=True), name='coalition_not_self')],
            },
        ),
        migrations.AddField(
            model_name='organization',
            name='members',
            field=models.ManyToManyField(blank=True, related_name='coalitions', through='organizing.CoalitionMembership', through_fields=('coalition', 'member'), to='organizing.organization', verbose_name='member organizations'),
        ),
    ]
