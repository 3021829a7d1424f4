"""Every person and e-mail address belongs to an organization (decision 0035). Apart
from 0012 so that PostgreSQL has no pending trigger events when the columns change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0012_tenancy_leftovers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="organization",
            field=models.ForeignKey(db_index=False, help_text="The organization whose list this person is on.", on_delete=django.db.models.deletion.PROTECT, related_name="people", to="organizing.organization", verbose_name="organization"),
        ),
        migrations.AlterField(
            model_name="emailaddress",
            name="organization",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organizing.organization", verbose_name="organization"),
        ),
    ]
