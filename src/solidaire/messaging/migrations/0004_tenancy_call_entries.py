"""Each organization's list is its own (decision 0035): a person on a call list is the
person's record in the call list's organization. Someone the organization had no record
of (they were on the list only because a coordinator saw every unassigned person of
the installation) is taken off it, with what came of the call."""

from django.db import migrations

from solidaire.people.tenancy_migration import Counterparts

CALL_KINDS = ("call.reached", "call.message", "call.wrong_number", "call.call_back",
              "call.not_interested")


def forward(apps, schema_editor):
    CallEntry = apps.get_model("messaging", "CallEntry")
    people = Counterparts(apps)
    rows = (CallEntry.objects.order_by("id")
            .values_list("id", "person_id", "assignment_id", "assignment__call_list_id",
                         "assignment__call_list__organization_id"))
    for pk, person_id, assignment_id, call_list_id, organization_id in rows.iterator():
        target = people.get(person_id, organization_id, create=False)
        if target == person_id:
            continue
        if target is None or CallEntry.objects.filter(assignment_id=assignment_id,
                                                      person_id=target).exists():
            CallEntry.objects.filter(pk=pk).delete()
            people.ledger_drop(app_label="messaging", model="calllist", object_id=call_list_id,
                               person_id=person_id, kinds=CALL_KINDS)
            continue
        CallEntry.objects.filter(pk=pk).update(person_id=target)
        people.ledger_move(app_label="messaging", model="calllist", object_id=call_list_id,
                           from_person=person_id, to_person=target, kinds=CALL_KINDS)
    people.finish()


class Migration(migrations.Migration):

    dependencies = [
        ("messaging", "0003_status_audiences_marked"),
        ("events", "0003_tenancy_rows"),
    ]
    run_before = [
        ("people", "0012_tenancy_leftovers"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
