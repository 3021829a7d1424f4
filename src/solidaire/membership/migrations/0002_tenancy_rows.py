"""Each organization's list is its own (decision 0035): a committee membership or a
chapter request belongs to the person's record in the committee's (request's)
organization; see people.tenancy_migration.

This was organizing's 0004_tenancy_rows (decision 0055): it `replaces` it, so a database
that ran that one counts this one as applied, and it keeps its place among the data
migrations of decision 0035 (after people's 0011, before petitions' 0004 and people's
0012) for a database upgraded from before them. Until 0003_content_types, the content
types of committees and chapter requests still have the app label "organizing".
"""

from django.db import migrations

from solidaire.people.tenancy_migration import Counterparts

COMMITTEE_KINDS = ("committee.joined", "committee.left")


def forward(apps, schema_editor):
    CommitteeMembership = apps.get_model("membership", "CommitteeMembership")
    ChapterRequest = apps.get_model("membership", "ChapterRequest")
    people = Counterparts(apps)
    rows = (CommitteeMembership.objects.order_by("id")
            .values_list("id", "person_id", "committee_id", "committee__organization_id"))
    for pk, person_id, committee_id, organization_id in rows.iterator():
        target = people.get(person_id, organization_id)
        if target == person_id:
            continue
        if CommitteeMembership.objects.filter(committee_id=committee_id,
                                              person_id=target).exists():
            CommitteeMembership.objects.filter(pk=pk).delete()
        else:
            CommitteeMembership.objects.filter(pk=pk).update(person_id=target)
        people.ledger_move(app_label="organizing", model="committee", object_id=committee_id,
                           from_person=person_id, to_person=target, kinds=COMMITTEE_KINDS)
    rows = (ChapterRequest.objects.filter(person__isnull=False).order_by("id")
            .values_list("id", "person_id", "organization_id"))
    for pk, person_id, organization_id in rows.iterator():
        target = people.get(person_id, organization_id)
        if target != person_id:
            ChapterRequest.objects.filter(pk=pk).update(person_id=target)
            people.ledger_move(app_label="organizing", model="chapterrequest", object_id=pk,
                               from_person=person_id, to_person=target)
    people.finish()


class Migration(migrations.Migration):

    replaces = [
        ("organizing", "0004_tenancy_rows"),
    ]

    dependencies = [
        ("membership", "0001_initial"),
        ("people", "0011_tenancy_owner"),
        ("core", "0010_engagement_covering_indexes"),
    ]
    run_before = [
        ("people", "0012_tenancy_leftovers"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
