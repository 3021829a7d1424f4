"""Committees: members in scope, adding and removing members through the ledger."""

import pytest

from solidaire.core.models import Activity, AuditEntry
from solidaire.membership.activities import COMMITTEE_JOINED, COMMITTEE_LEFT
from solidaire.membership.models import CommitteeMembership
from solidaire.membership.services import committee_join

from tests.factories import CommitteeFactory
from tests.organize.conftest import url


@pytest.fixture
def quebec_committee(world):
    """A province-level committee with members from Montréal and Bas-Saint-Laurent."""
    committee = CommitteeFactory(organization=world.centre, chapter=world.quebec,
                                 name="Provincial", slug="provincial")
    committee_join(committee=committee, person=world.in_cdn, role="chair")
    committee_join(committee=committee, person=world.in_bsl)
    return committee


@pytest.fixture
def montreal_committee(world):
    return CommitteeFactory(organization=world.centre, chapter=world.montreal,
                            name="Housing", slug="housing")


def test_the_list_shows_committees_in_scope(world, as_user, montreal_committee,
                                            quebec_committee):
    CommitteeFactory(organization=world.centre, chapter=world.bsl, name="Fisheries")
    CommitteeFactory(organization=world.centre, name="Whole centre")
    CommitteeFactory(organization=world.other, name="Students")
    html = as_user(world.montreal_organizer).get(url("committees")).content.decode()
    assert "Housing" in html and "Whole centre" in html
    assert "Fisheries" not in html and "Students" not in html
    # The province committee belongs to a chapter above Montréal: not in its scope.
    assert "Provincial" not in html


def test_members_outside_the_scope_are_only_counted(world, as_user, quebec_committee):
    html = as_user(world.coordinator).get(url("committee_detail", "provincial")
                                          ).content.decode()
    assert "Bea Côte-des-Neiges" in html and "Carlos Rimouski" in html
    rimouski = CommitteeFactory(organization=world.centre, chapter=world.bsl, slug="bsl")
    committee_join(committee=rimouski, person=world.in_bsl)
    committee_join(committee=rimouski, person=world.in_cdn)
    html = as_user(world.rimouski_organizer).get(url("committee_detail", "bsl")
                                                 ).content.decode()
    assert "Carlos Rimouski" in html
    assert "Bea" not in html
    assert "1 other member outside your chapters." in html


@pytest.mark.parametrize("slug", ["provincial", "students", "fisheries", "nothing"])
def test_committees_outside_the_scope_are_404(world, as_user, quebec_committee, slug):
    CommitteeFactory(organization=world.other, slug="students")
    CommitteeFactory(organization=world.centre, chapter=world.bsl, slug="fisheries")
    client = as_user(world.montreal_organizer)
    assert client.get(url("committee_detail", slug)).status_code == 404
    response = client.post(url("committee_detail", slug),
                           {"action": "add", "person": world.in_montreal.pk, "role": "member"})
    assert response.status_code == 404


def test_searching_then_adding_a_member_writes_the_ledger(world, as_user, montreal_committee):
    client = as_user(world.montreal_organizer)
    html = client.get(url("committee_detail", "housing"), {"q": "ana"}).content.decode()
    assert "Ana Montréal" in html
    response = client.post(url("committee_detail", "housing") + "?q=ana",
                           {"action": "add", "person": world.in_montreal.pk,
                            "role": "secretary"})
    assert response.status_code == 302
    membership = CommitteeMembership.objects.get(committee=montreal_committee)
    assert (membership.person, membership.role) == (world.in_montreal, "secretary")
    assert Activity.objects.filter(person=world.in_montreal, kind=COMMITTEE_JOINED,
                                   object_id=montreal_committee.pk).count() == 1
    assert AuditEntry.objects.get(action="solidaire.committee.member.added").actor == (
        world.montreal_organizer)
    html = client.get(response["Location"]).content.decode()
    assert "Ana Montréal was added to the committee." in html
    assert "Secretary" in html


def test_the_search_offers_only_people_in_scope_who_are_not_members(world, as_user,
                                                                    montreal_committee):
    committee_join(committee=montreal_committee, person=world.in_cdn)
    html = as_user(world.montreal_organizer).get(url("committee_detail", "housing"),
                                                 {"q": "a"}).content.decode()
    add_button = 'value="add"><input type="hidden" name="person" value="{}"'
    assert add_button.format(world.in_montreal.pk) in html
    assert add_button.format(world.in_bsl.pk) not in html
    assert add_button.format(world.in_cdn.pk) not in html


def test_removing_a_member_writes_the_ledger(world, as_user, montreal_committee):
    committee_join(committee=montreal_committee, person=world.in_montreal)
    client = as_user(world.montreal_organizer)
    response = client.post(url("committee_detail", "housing"),
                           {"action": "remove", "person": world.in_montreal.pk})
    assert response.status_code == 302
    assert not CommitteeMembership.objects.filter(committee=montreal_committee).exists()
    assert Activity.objects.filter(person=world.in_montreal,
                                   kind=COMMITTEE_LEFT).count() == 1


def test_members_outside_the_scope_cannot_be_removed(world, as_user, quebec_committee):
    rimouski = CommitteeFactory(organization=world.centre, chapter=world.bsl, slug="bsl")
    committee_join(committee=rimouski, person=world.in_cdn)
    response = as_user(world.rimouski_organizer).post(
        url("committee_detail", "bsl"), {"action": "remove", "person": world.in_cdn.pk})
    assert response.status_code == 302
    assert CommitteeMembership.objects.filter(committee=rimouski).count() == 1


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Select a valid choice."), ("fr", "Sélectionnez un choix valide."),
])
@pytest.mark.parametrize("bad", ["role", "out_of_scope_person", "unknown_person"])
def test_a_bad_add_shows_the_error_keeps_the_search_and_adds_nobody(
    world, as_user, montreal_committee, lang, message, bad,
):
    data = {"action": "add", "person": world.in_montreal.pk, "role": "chair"}
    if bad == "role":
        data["role"] = "queen"
    elif bad == "out_of_scope_person":
        data["person"] = world.in_bsl.pk
    else:
        data["person"] = "999999"
    response = as_user(world.montreal_organizer).post(
        url("committee_detail", "housing", lang=lang) + "?q=ana", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert 'class="errors" role="alert"' in html
    if bad == "role":
        assert message in html
    elif lang == "en":
        assert "Choose a person from the search results." in html
    assert 'value="ana"' in html  # the search is still there
    assert "Ana Montréal" in html
    assert not CommitteeMembership.objects.exists()
    assert not Activity.objects.filter(kind=COMMITTEE_JOINED).exists()


def test_a_large_committee_shows_officers_first_and_links_to_the_full_list(
    world, as_user, montreal_committee
):
    from solidaire.organize.selectors import COMMITTEE_MEMBERS_SHOWN

    from tests.factories import PersonFactory

    members = PersonFactory.create_batch(COMMITTEE_MEMBERS_SHOWN + 5, home_chapter=world.montreal)
    for person in members:
        committee_join(committee=montreal_committee, person=person)
    chair = PersonFactory(chosen_name="Zora Chair", home_chapter=world.montreal)
    committee_join(committee=montreal_committee, person=chair, role="chair")

    response = as_user(world.montreal_organizer).get(url("committee_detail", "housing"))
    html = response.content.decode()
    rows = response.context["members"]
    assert len(rows) == COMMITTEE_MEMBERS_SHOWN
    assert rows[0].person == chair  # officers before members, whatever their names
    assert response.context["members_in_scope"] == COMMITTEE_MEMBERS_SHOWN + 6
    assert "?committee=housing" in html
