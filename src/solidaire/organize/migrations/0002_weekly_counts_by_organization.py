"""Weekly counts by organization too (decision 0035). The counts made before are
dropped and the mark reset: the chart counts from the ledger until the next refresh
rebuilds them, with the same numbers."""

import django.db.models.deletion
from django.db import migrations, models


def reset(apps, schema_editor):
    apps.get_model("organize", "ActivityWeek").objects.all().delete()
    apps.get_model("organize", "ActivityWeekMark").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('organize', '0001_activity_weeks'),
        ('organizing', '0003_organization_status_retention'),
    ]

    operations = [
        migrations.AddField(
            model_name='activityweek',
            name='organization',
            field=models.ForeignKey(blank=True, db_index=False, help_text="The person's organization: each organization's list is its own.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizing.organization', verbose_name='organization'),
        ),
        migrations.RunPython(reset, migrations.RunPython.noop),
    ]
