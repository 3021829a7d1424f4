"""The migration to each organization's own list (decision 0035), run on data recorded
the way it was before: one person shared by two organizations."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("people", "0009_person_scope_index"),
    ("organizing", "0001_squashed_0003_organization_status_retention"),
    # Committees moved to membership with their tables; its 0002 is organizing's old
    # 0004_tenancy_rows (decision 0055).
    ("membership", "0001_initial"),
    ("petitions", "0002_signature_once_per_person"),
    ("events", "0001_initial"),
    ("advocacy", "0001_initial"),
    ("messaging", "0003_status_audiences_marked"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


def test_a_person_shared_by_two_organizations_becomes_one_record_in_each():
    latest = _latest()
    old = _migrate(BEFORE)
    try:
        Organization = old.get_model("organizing", "Organization")
        Chapter = old.get_model("organizing", "Chapter")
        Person = old.get_model("people", "Person")
        EmailAddress = old.get_model("people", "EmailAddress")
        PhoneNumber = old.get_model("people", "PhoneNumber")
        PersonStatus = old.get_model("people", "PersonStatus")
        Petition = old.get_model("petitions", "Petition")
        Signature = old.get_model("petitions", "Signature")
        Event = old.get_model("events", "Event")
        Registration = old.get_model("events", "Registration")
        Activity = old.get_model("core", "Activity")
        ContentType = old.get_model("contenttypes", "ContentType")
        DuplicatePair = old.get_model("people", "DuplicatePair")

        centre = Organization.objects.create(name="Centre", slug="cti", kind="workers_centre",
                                             is_host=True)
        students = Organization.objects.create(name="Students", slug="msu",
                                               kind="student_association")
        montreal = Chapter.objects.create(organization=centre, name="Montréal",
                                          slug="montreal", kind="region", path="0001",
                                          depth=1)
        # Ana: a member of the centre's Montréal chapter who signed the students' petition.
        ana = Person.objects.create(chosen_name="Ana", home_chapter=montreal,
                                    preferred_language="fr", source="manual")
        EmailAddress.objects.create(person=ana, address="ana@example.org", is_primary=True)
        PhoneNumber.objects.create(person=ana, number="+15145550142", is_primary=True)
        PersonStatus.objects.create(person=ana, sealed_category="x", sealed_expiry_month="x",
                                    sealed_flags="x", sealed_note="x")
        # Bo: nobody's chapter; registered for the students' event only.
        bo = Person.objects.create(chosen_name="Bo", preferred_language="en", source="event")
        DuplicatePair.objects.create(person_low=ana, person_high=bo, score=50, reasons=[])
        petition = Petition.objects.create(slug="fix-pgwp", organization=students,
                                           title={"en": "Fix PGWP"})
        signature = Signature.objects.create(
            petition=petition, person=ana, token="t1", contact_key="k1", status="counted",
            name="Ana", language="fr")
        now = timezone.now()
        event = Event.objects.create(
            slug="info", organization=students, kind="info_session", format="online",
            title={"en": "Info"}, starts_at=now + datetime.timedelta(days=3),
            ends_at=now + datetime.timedelta(days=3, hours=1))
        registration = Registration.objects.create(event=event, person=bo, language="en",
                                                   manage_token="m1")
        # Ana also sits on a committee of the students: so does their record of her.
        committee = old.get_model("membership", "Committee").objects.create(
            organization=students, name="Housing", slug="housing")
        membership = old.get_model("membership", "CommitteeMembership").objects.create(
            committee=committee, person=ana)
        # Before the move, a committee's content type had organizing's label.
        committee_type = ContentType.objects.get_or_create(app_label="organizing",
                                                           model="committee")[0]
        Activity.objects.create(person=ana, kind="committee.joined", object_type=committee_type,
                                object_id=committee.pk, occurred_at=now)
        petition_type = ContentType.objects.get_or_create(app_label="petitions",
                                                          model="petition")[0]
        event_type = ContentType.objects.get_or_create(app_label="events", model="event")[0]
        Activity.objects.create(person=ana, kind="petition.signed", object_type=petition_type,
                                object_id=petition.pk, occurred_at=now)
        Activity.objects.create(person=bo, kind="event.registered", object_type=event_type,
                                object_id=event.pk, occurred_at=now)
        ids = {"ana": ana.pk, "bo": bo.pk, "signature": signature.pk,
               "registration": registration.pk, "centre": centre.pk, "students": students.pk,
               "membership": membership.pk, "committee_type": committee_type.pk}
    finally:
        new = _migrate(latest)

    Person = new.get_model("people", "Person")
    ana = Person.objects.get(pk=ids["ana"])
    assert ana.organization_id == ids["centre"]  # her chapter's organization keeps her
    # The students' signature is on the students' own record of Ana, a copy with her
    # contact points but never her immigration status.
    signature = new.get_model("petitions", "Signature").objects.get(pk=ids["signature"])
    copy = Person.objects.get(pk=signature.person_id)
    assert copy.pk != ana.pk and copy.organization_id == ids["students"]
    assert copy.chosen_name == "Ana" and copy.home_chapter_id is None
    assert list(copy.emails.values_list("address", "organization_id")) == [
        ("ana@example.org", ids["students"])]
    assert list(copy.phones.values_list("number", flat=True)) == ["+15145550142"]
    PersonStatus = new.get_model("people", "PersonStatus")
    assert PersonStatus.objects.filter(person_id=ana.pk).exists()
    assert not PersonStatus.objects.filter(person_id=copy.pk).exists()
    Activity = new.get_model("core", "Activity")
    assert set(Activity.objects.filter(kind="petition.signed")
               .values_list("person_id", flat=True)) == {copy.pk}
    # The committee membership went to the students' record of Ana, with its ledger row;
    # the committee's content type is the same row, under membership's label.
    membership = new.get_model("membership", "CommitteeMembership").objects.get(
        pk=ids["membership"])
    assert membership.person_id == copy.pk
    joined = Activity.objects.get(kind="committee.joined")
    assert joined.person_id == copy.pk and joined.object_type_id == ids["committee_type"]
    committee_type = new.get_model("contenttypes", "ContentType").objects.get(
        pk=ids["committee_type"])
    assert (committee_type.app_label, committee_type.model) == ("membership", "committee")
    # Bo was on nobody's list: the students' event claims him.
    bo = Person.objects.get(pk=ids["bo"])
    assert bo.organization_id == ids["students"]
    registration = new.get_model("events", "Registration").objects.get(pk=ids["registration"])
    assert registration.person_id == bo.pk
    # A possible duplicate across two lists is no longer one.
    assert not new.get_model("people", "DuplicatePair").objects.exists()
    # Every address belongs to its person's organization.
    EmailAddress = new.get_model("people", "EmailAddress")
    for address in EmailAddress.objects.select_related("person"):
        assert address.organization_id == address.person.organization_id
    # The engagement digest, built by analytics 0001 after these migrations, follows
    # the ledger: the copy has the signature (decision 0054).
    Engagement = new.get_model("analytics", "Engagement")
    assert Engagement.objects.get(person_id=copy.pk).last_signed_at is not None
    assert not Engagement.objects.filter(person_id=ana.pk,
                                         last_signed_at__isnull=False).exists()
