"""Each organization's list is its own (decision 0035): who owns each person recorded
before, where it is plain — their home chapter's organization, else the organization of
the spreadsheet import that added them. Everyone else is claimed by the first
organization whose rows name them (the data migrations of organizing, petitions,
advocacy, events and messaging), and whoever is left goes to the organization that runs
the site (0012)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forward(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Chapter = apps.get_model("organizing", "Chapter")
    PersonImport = apps.get_model("people", "PersonImport")
    EmailAddress = apps.get_model("people", "EmailAddress")
    Person.objects.filter(home_chapter__isnull=False).update(organization_id=Subquery(
        Chapter.objects.filter(pk=OuterRef("home_chapter_id")).values("organization_id")[:1]))
    Person.objects.filter(organization__isnull=True, added_by_import__isnull=False).update(
        organization_id=Subquery(PersonImport.objects.filter(pk=OuterRef("added_by_import_id"))
                                 .values("organization_id")[:1]))
    EmailAddress.objects.update(organization_id=Subquery(
        Person.objects.filter(pk=OuterRef("person_id")).values("organization_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0010_tenancy_schema"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
