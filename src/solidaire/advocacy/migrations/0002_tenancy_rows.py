"""Each organization's list is its own (decision 0035): a call report or a letter
belongs to the person's record in the action's organization; see
people.tenancy_migration."""

from django.db import migrations

from solidaire.people.tenancy_migration import Counterparts


def forward(apps, schema_editor):
    people = Counterparts(apps)
    for model, kind in (("callreport", "target.called"), ("emailsent", "target.emailed")):
        Model = apps.get_model("advocacy", model)
        rows = (Model.objects.filter(person__isnull=False).order_by("id")
                .values_list("id", "person_id", "action__organization_id"))
        for pk, person_id, organization_id in rows.iterator():
            target = people.get(person_id, organization_id)
            if target != person_id:
                Model.objects.filter(pk=pk).update(person_id=target)
                people.ledger_move(app_label="advocacy", model=model, object_id=pk,
                                   from_person=person_id, to_person=target, kinds=(kind,))
    people.finish()


class Migration(migrations.Migration):

    dependencies = [
        ("advocacy", "0001_initial"),
        ("petitions", "0004_tenancy_rows"),
    ]
    run_before = [
        ("people", "0012_tenancy_leftovers"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
