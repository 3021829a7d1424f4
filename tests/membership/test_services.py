"""Membership services: committees (their addresses, editing) and their members, who
stay members when their record is merged into another."""

import pytest
from django.db import IntegrityError

from solidaire.core.models import AuditEntry
from solidaire.membership.models import CommitteeMembership
from solidaire.membership.services import committee_create, committee_join, committee_update
from solidaire.people.services import person_create, person_merge

from tests.factories import CommitteeFactory


def test_creating_a_committee_makes_a_free_address(world):
    CommitteeFactory(organization=world.centre, slug="housing")
    committee = committee_create(organization=world.centre, chapter=world.montreal,
                                 name="Housing", description={"en": "Rent strikes"},
                                 actor=world.montreal_organizer)
    assert committee.slug == "housing-2"
    assert AuditEntry.objects.get(action="solidaire.committee.created").actor == (
        world.montreal_organizer)


def test_two_committees_cannot_share_an_address(world):
    CommitteeFactory(organization=world.centre, slug="housing")
    with pytest.raises(IntegrityError):
        committee_create(organization=world.centre, name="Other", slug="housing")


def test_updating_a_committee_writes_the_audit_log(world):
    committee = CommitteeFactory(organization=world.centre, chapter=world.montreal,
                                 name="Housing", slug="housing")
    committee_update(committee=committee, actor=world.coordinator, name=" Tenants ",
                     description={"fr": "Locataires"}, chapter=None)
    committee.refresh_from_db()
    assert (committee.name, committee.description, committee.chapter) == (
        "Tenants", {"fr": "Locataires"}, None)
    entry = AuditEntry.objects.get(action="solidaire.committee.changed")
    assert entry.data == {"fields": ["chapter", "description", "name"]}


def test_a_committee_cannot_belong_to_another_organizations_chapter(world):
    committee = CommitteeFactory(organization=world.centre, slug="housing")
    with pytest.raises(ValueError):
        committee_update(committee=committee, chapter=world.toronto)
    committee.refresh_from_db()
    assert committee.chapter is None


def test_merge_of_two_members_of_one_committee_keeps_one_membership(world):
    committee = CommitteeFactory(organization=world.centre)
    a = person_create(organization=world.centre, chosen_name="A")
    b = person_create(organization=world.centre, chosen_name="B")
    committee_join(committee=committee, person=a)
    committee_join(committee=committee, person=b)
    person_merge(keep=a, remove=b)
    assert CommitteeMembership.objects.filter(committee=committee).count() == 1
