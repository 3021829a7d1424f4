# Who a participant report skipped, found too brief, and matched (decision 0064).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0003_tenancy_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendanceimport",
            name="hosts_skipped",
            field=models.PositiveIntegerField(
                default=0,
                help_text="The meeting's host and co-hosts and the organization's organizers.",
                verbose_name="hosts and organizers skipped"),
        ),
        migrations.AddField(
            model_name="attendanceimport",
            name="people",
            field=models.JSONField(blank=True, default=list, verbose_name="people matched"),
        ),
        migrations.AddField(
            model_name="attendanceimport",
            name="too_short",
            field=models.PositiveIntegerField(default=0, verbose_name="too briefly present"),
        ),
    ]
