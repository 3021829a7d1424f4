from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='audience',
            name='uses_status',
            field=models.BooleanField(default=False, editable=False, help_text='Its filters use immigration status: only accounts with status access see it, use it or are given its call lists.', verbose_name='uses immigration status'),
        ),
        migrations.AddField(
            model_name='calllist',
            name='uses_status',
            field=models.BooleanField(default=False, editable=False, help_text='Made from an audience that uses immigration status: only accounts with status access see it or call from it.', verbose_name='uses immigration status'),
        ),
    ]
