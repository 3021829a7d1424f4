"""Who may edit committees and decide on requests to start a chapter, and the services
refusing the others (decision 0056)."""

import pytest

from solidaire.core.access import NotAllowed
from solidaire.membership.models import ChapterRequest, Committee, CommitteeMembership
from solidaire.membership.selectors import (
    chapter_request_may_decide,
    committee_may_edit,
    committee_members_may_change,
    committees_editable_by,
    may_decide_chapter_requests,
)
from solidaire.membership.services import (
    chapter_request_decline,
    committee_create,
    committee_join,
    committee_leave,
    committee_update,
)

from tests.factories import CommitteeFactory
from tests.policies import EDITS, accounts, editable_names, placements

DECIDE = {"coordinator", "other_coordinator"}


@pytest.mark.parametrize("account", sorted(EDITS))
def test_committees_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items = {p.name: CommitteeFactory(organization=p.organization, chapter=p.chapter)
             for p in placements(world)}
    by_pk = {committee.pk: name for name, committee in items.items()}
    assert editable_names(committees_editable_by(user), by_pk) == EDITS[account]
    for name, committee in items.items():
        assert committee_may_edit(user, committee) is (name in EDITS[account])


def _request(organization):
    return ChapterRequest.objects.create(organization=organization, chapter_name="Gatineau",
                                         city="Gatineau", contact_name="Alex")


@pytest.mark.parametrize("account", sorted(EDITS))
def test_chapter_requests_are_decided_by_the_organizations_coordinators(world, account):
    user = accounts(world)[account]
    request = _request(world.centre)
    assert may_decide_chapter_requests(user) is (account in DECIDE)
    assert chapter_request_may_decide(user, request) is (account == "coordinator")


def test_committee_services_refuse_out_of_scope_and_let_the_application_through(world):
    accounts(world)
    with pytest.raises(NotAllowed):
        committee_create(organization=world.centre, name="Comité", actor=world.volunteer)
    with pytest.raises(NotAllowed):
        committee_create(organization=world.centre, name="Comité",
                         actor=world.montreal_organizer)  # the whole organization
    assert not Committee.objects.exists()
    committee = committee_create(organization=world.centre, name="Comité")  # no actor
    for actor in (world.montreal_organizer, world.other_coordinator, world.no_role):
        with pytest.raises(NotAllowed):
            committee_update(committee=committee, actor=actor, name="Autre")
    assert Committee.objects.get(pk=committee.pk).name == "Comité"
    committee_update(committee=committee, actor=world.coordinator, name="Autre")


def test_a_chapter_request_is_declined_only_by_its_organizations_coordinators(world):
    accounts(world)
    request = _request(world.centre)
    for actor in (world.montreal_organizer, world.other_coordinator, world.volunteer):
        with pytest.raises(NotAllowed):
            chapter_request_decline(request=request, actor=actor)
    request.refresh_from_db()
    assert request.status == ChapterRequest.Status.PENDING
    chapter_request_decline(request=request, actor=world.coordinator)


def test_committee_members_are_changed_by_who_sees_the_committee_and_the_person(world):
    """Not editing the committee: a chapter's organizers put their people on the whole
    organization's committees too."""
    accounts(world)
    whole = CommitteeFactory(organization=world.centre, chapter=None)
    assert committee_members_may_change(world.montreal_organizer, whole, world.in_cdn)
    assert not committee_members_may_change(world.montreal_organizer, whole, world.in_bsl)
    assert not committee_members_may_change(world.volunteer, whole, world.in_montreal)
    for actor, person in ((world.montreal_organizer, world.in_bsl),
                          (world.rimouski_organizer, world.in_cdn),
                          (world.other_coordinator, world.in_cdn),
                          (world.volunteer, world.in_montreal),
                          (world.no_role, world.in_montreal)):
        with pytest.raises(NotAllowed):
            committee_join(committee=whole, person=person, actor=actor)
    assert not CommitteeMembership.objects.exists()
    committee_join(committee=whole, person=world.in_cdn, actor=world.montreal_organizer)
    committee_join(committee=whole, person=world.in_bsl)  # the application itself
    with pytest.raises(NotAllowed):
        committee_leave(committee=whole, person=world.in_bsl, actor=world.montreal_organizer)
    committee_leave(committee=whole, person=world.in_cdn, actor=world.montreal_organizer)
    assert list(whole.memberships.values_list("person", flat=True)) == [world.in_bsl.pk]
