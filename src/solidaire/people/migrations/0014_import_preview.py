from django.db import migrations, models


class Migration(migrations.Migration):
    """The first rows of an uploaded file, kept at upload (decision 0040): the
    column-choice page shows them without reading the file again."""

    dependencies = [
        ("people", "0013_tenancy_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="personimport",
            name="preview",
            field=models.JSONField(blank=True, default=list, verbose_name="first rows"),
        ),
    ]
