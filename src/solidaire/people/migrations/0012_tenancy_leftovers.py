"""Each organization's list is its own (decision 0035): whoever no organization's rows
claimed goes to the organization that runs the site; a pair of possible duplicates
across two lists is no longer one; then (0013) every person and address has an organization."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forward(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    EmailAddress = apps.get_model("people", "EmailAddress")
    Organization = apps.get_model("organizing", "Organization")
    DuplicatePair = apps.get_model("people", "DuplicatePair")
    if Person.objects.filter(organization__isnull=True).exists():
        host = Organization.objects.order_by("-is_host", "id").first()
        if host is None:
            host = Organization.objects.create(name="Organization", slug="organization",
                                               kind="other", is_host=True)
        Person.objects.filter(organization__isnull=True).update(organization_id=host.pk)
    EmailAddress.objects.filter(organization__isnull=True).update(organization_id=Subquery(
        Person.objects.filter(pk=OuterRef("person_id")).values("organization_id")[:1]))
    DuplicatePair.objects.exclude(
        person_low__organization_id=models.F("person_high__organization_id")).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0011_tenancy_owner"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
