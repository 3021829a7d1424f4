"""Each organization's list is its own (decision 0035): a registration belongs to the
person's record in the event's organization; see people.tenancy_migration."""

from django.db import migrations

from solidaire.people.tenancy_migration import Counterparts

EVENT_KINDS = ("event.registered", "event.attended")


def forward(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    people = Counterparts(apps)
    rows = (Registration.objects.order_by("id")
            .values_list("id", "person_id", "event_id", "event__organization_id"))
    for pk, person_id, event_id, organization_id in rows.iterator():
        target = people.get(person_id, organization_id)
        if target == person_id:
            continue
        if Registration.objects.filter(event_id=event_id, person_id=target).exists():
            # That record was registered already: the two were one person.
            Registration.objects.filter(pk=pk).delete()
        else:
            Registration.objects.filter(pk=pk).update(person_id=target)
        people.ledger_move(app_label="events", model="event", object_id=event_id,
                           from_person=person_id, to_person=target, kinds=EVENT_KINDS)
    people.finish()


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0002_registration_email_address"),
        ("advocacy", "0002_tenancy_rows"),
    ]
    run_before = [
        ("people", "0012_tenancy_leftovers"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
