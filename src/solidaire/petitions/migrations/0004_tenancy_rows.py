"""Each organization's list is its own (decision 0035): a signature or a sign-on's
contact belongs to the person's record in the petition's (statement's) organization;
see people.tenancy_migration."""

from django.db import IntegrityError, migrations, transaction

from solidaire.people.tenancy_migration import Counterparts


def forward(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    Endorsement = apps.get_model("petitions", "Endorsement")
    people = Counterparts(apps)
    rows = (Signature.objects.filter(person__isnull=False).order_by("id")
            .values_list("id", "person_id", "petition_id", "petition__organization_id"))
    for pk, person_id, petition_id, organization_id in rows.iterator():
        target = people.get(person_id, organization_id)
        if target == person_id:
            continue
        try:
            with transaction.atomic():
                Signature.objects.filter(pk=pk).update(person_id=target)
        except IntegrityError:
            # That record had signed this petition already: this one is its duplicate.
            Signature.objects.filter(pk=pk).update(person_id=target, status="duplicate")
        people.ledger_move(app_label="petitions", model="petition", object_id=petition_id,
                           from_person=person_id, to_person=target,
                           kinds=("petition.signed",))
    rows = (Endorsement.objects.filter(contact__isnull=False).order_by("id")
            .values_list("id", "contact_id", "sign_on_id", "sign_on__organization_id"))
    for pk, person_id, sign_on_id, organization_id in rows.iterator():
        target = people.get(person_id, organization_id)
        if target != person_id:
            Endorsement.objects.filter(pk=pk).update(contact_id=target)
            people.ledger_move(app_label="petitions", model="signon", object_id=sign_on_id,
                               from_person=person_id, to_person=target,
                               kinds=("signon.endorsed",))
    people.finish()


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0003_cosponsors_and_typed_address"),
        ("membership", "0002_tenancy_rows"),
    ]
    run_before = [
        ("people", "0012_tenancy_leftovers"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
