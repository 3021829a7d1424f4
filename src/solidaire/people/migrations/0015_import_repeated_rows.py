from django.db import migrations, models


class Migration(migrations.Migration):
    """Rows repeating someone already in the file get their own count, so that an
    import's counts add up to its rows (decision 0015); the count of people outside
    the importer's scope is of people, like the others."""

    dependencies = [
        ("people", "0014_import_preview"),
    ]

    operations = [
        migrations.AddField(
            model_name="personimport",
            name="repeated_count",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Rows for a person an earlier row of the file already added or matched.",
                verbose_name="rows repeating someone already in the file",
            ),
        ),
        migrations.AlterField(
            model_name="personimport",
            name="skipped_count",
            field=models.PositiveIntegerField(
                default=0,
                help_text="People in the file who matched a person another chapter organizes; "
                "left unchanged.",
                verbose_name="matched outside your scope",
            ),
        ),
    ]
