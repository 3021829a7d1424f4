"""Call-list pages: organizers make lists; a volunteer works their own part and sees only
names and phone numbers; volunteers open no person page, no export, no one else's list."""

import re

import pytest

from solidaire.core.models import Activity, OrganizerRole
from solidaire.messaging.activities import CALL_NOT_INTERESTED
from solidaire.messaging.calls import call_list_create
from solidaire.messaging.models import Audience, CallEntry, CallList

from .conftest import url
from tests.factories import (
    CampaignFactory,
    EmailFactory,
    PersonFactory,
    PetitionFactory,
    PhoneFactory,
    TargetFactory,
    make_organizer,
)

Outcome = CallEntry.Outcome


@pytest.fixture
def people(world):
    """Four Montréal people with a phone; the first also has an e-mail."""
    people = [PersonFactory(chosen_name=name, home_chapter=world.montreal)
              for name in ("Amina Diallo", "Bruno Lima", "Chen Wei", "Dana Roy")]
    for index, person in enumerate(people):
        PhoneFactory(person=person, number=f"+1514555010{index}")
    EmailFactory(person=people[0], address="amina@example.org")
    return people


@pytest.fixture
def campaign(world):
    return CampaignFactory(organization=world.centre)


@pytest.fixture
def audience(world):
    return Audience.objects.create(name="Montréal members", organization=world.centre,
                                   chapter=world.montreal,
                                   definition={"chapters": [world.montreal.pk]})


@pytest.fixture
def other_volunteer(world):
    return make_organizer(role=OrganizerRole.Role.VOLUNTEER, username="other-volunteer",
                          chapters=[world.montreal])


@pytest.fixture
def call_list(world, people, campaign, audience, other_volunteer):
    return call_list_create(
        name="Call day", organization=world.centre, chapter=world.montreal,
        campaign=campaign, audience=audience,
        script={"en": "Hello, this is the centre.", "fr": "Bonjour, ici le centre."},
        callers=[world.volunteer, other_volunteer], actor=world.montreal_organizer,
    )


def mine(call_list, user):
    return call_list.assignments.get(caller=user)


# Making a list ----------------------------------------------------------------------------


def test_an_organizer_makes_a_call_list_from_an_audience(world, people, audience, campaign,
                                                         other_volunteer, as_user):
    client = as_user(world.montreal_organizer)
    page = client.get(url("call_list_add"), {"audience": audience.pk})
    assert page.status_code == 200
    assert "4 people to call." in page.content.decode()
    response = client.post(url("call_list_add"), {
        "name": "Call day", "audience": audience.pk, "campaign": campaign.slug,
        "script_en": "Hello", "script_fr": "Bonjour",
        "callers": [world.volunteer.pk, other_volunteer.pk],
    })
    call_list = CallList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("call_list_detail", call_list.pk)
    assert call_list.campaign == campaign and call_list.script == {"en": "Hello",
                                                                   "fr": "Bonjour"}
    assert sorted(a.entries.count() for a in call_list.assignments.all()) == [2, 2]


def test_the_preview_button_counts_without_making_a_list(world, people, audience,
                                                         as_user):
    response = as_user(world.montreal_organizer).post(url("call_list_add"), {
        "name": "Call day", "audience": audience.pk, "callers": [world.volunteer.pk],
        "preview": "1",
    })
    assert response.status_code == 200 and "4 people to call." in response.content.decode()
    assert not CallList.objects.exists()


def test_an_audience_with_nobody_to_call_is_refused(world, audience, as_user):
    response = as_user(world.montreal_organizer).post(url("call_list_add"), {
        "name": "Call day", "audience": audience.pk, "callers": [world.volunteer.pk],
    })
    assert response.status_code == 200
    assert "Nobody in this audience can be called" in response.content.decode()
    assert not CallList.objects.exists()


def test_callers_offered_are_those_of_the_organizers_scope(world, audience, as_user):
    toronto_volunteer = make_organizer(role=OrganizerRole.Role.VOLUNTEER, username="tv",
                                       chapters=[world.toronto])
    page = as_user(world.montreal_organizer).get(url("call_list_add")).content.decode()
    assert f'value="{world.volunteer.pk}"' in page
    assert f'value="{toronto_volunteer.pk}"' not in page


def test_volunteers_make_no_call_lists(world, audience, as_user):
    client = as_user(world.volunteer)
    assert client.get(url("call_list_add")).status_code == 404
    assert client.post(url("call_list_add"), {"name": "x", "audience": audience.pk,
                                              "callers": [world.volunteer.pk]}
                       ).status_code == 404
    assert not CallList.objects.exists()


# The lists' pages -------------------------------------------------------------------------


def test_organizers_see_the_call_lists_of_their_scope(world, call_list, as_user):
    listing = as_user(world.montreal_organizer).get(url("call_lists")).content.decode()
    assert "Call day" in listing and url("call_list_detail", call_list.pk) in listing
    detail = as_user(world.coordinator).get(url("call_list_detail", call_list.pk))
    assert detail.status_code == 200 and "Amina Diallo" in detail.content.decode()
    assert as_user(world.rimouski_organizer).get(
        url("call_list_detail", call_list.pk)).status_code == 404


def test_a_volunteer_sees_only_their_own_assignments(world, call_list, other_volunteer,
                                                     as_user):
    page = as_user(world.volunteer).get(url("call_lists")).content.decode()
    assert url("assignment_detail", mine(call_list, world.volunteer).pk) in page
    assert url("assignment_detail", mine(call_list, other_volunteer).pk) not in page
    assert url("call_list_detail", call_list.pk) not in page
    assert url("call_list_add") not in page


def test_a_volunteer_cannot_open_the_call_lists_page_of_organizers(world, call_list, as_user):
    assert as_user(world.volunteer).get(
        url("call_list_detail", call_list.pk)).status_code == 404


def test_a_volunteer_cannot_open_another_volunteers_list(world, call_list, other_volunteer,
                                                         as_user):
    client = as_user(world.volunteer)
    theirs = mine(call_list, other_volunteer)
    assert client.get(url("assignment_detail", theirs.pk)).status_code == 404
    entry = theirs.entries.first()
    response = client.post(url("entry_outcome", theirs.pk, entry.pk),
                           {"outcome": Outcome.REACHED})
    assert response.status_code == 404
    assert CallEntry.objects.get(pk=entry.pk).outcome == ""
    # Nor an entry of another list through their own assignment's address.
    own = mine(call_list, world.volunteer)
    assert client.post(url("entry_outcome", own.pk, entry.pk),
                       {"outcome": Outcome.REACHED}).status_code == 404


def test_a_volunteers_own_list_shows_only_names_and_phone_numbers(world, people, call_list,
                                                                  as_user):
    for person in people:
        person.postal_code = "H3S 1Z1"
        person.save(update_fields=["postal_code"])
    assignment = mine(call_list, world.volunteer)
    on_it = [entry.person for entry in assignment.entries.select_related("person")]
    response = as_user(world.volunteer).get(url("assignment_detail", assignment.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for person in on_it:
        assert person.chosen_name in page
        for phone in person.phones.all():
            assert f'href="tel:{phone.number}"' in page
    assert "Hello, this is the centre." in page  # the script in the caller's language
    assert "@example.org" not in page and "mailto:" not in page
    assert "H3S" not in page
    assert not re.search(r"/people/\d", page)  # no link to any person page
    for person in people:
        if person not in on_it:
            assert person.chosen_name not in page
    for label in ("Reached", "Left a message", "Wrong number", "Call back", "Not interested"):
        assert label in page


def test_a_volunteer_cannot_open_any_person_page(world, people, call_list, as_user):
    client = as_user(world.volunteer)
    on_my_list = [e.person for e in mine(call_list, world.volunteer).entries.all()]
    for person in [*on_my_list, *people, world.in_montreal, world.unassigned]:
        for name in ("person_detail", "person_edit", "person_status", "person_merge"):
            assert client.get(url(name, person.pk)).status_code == 404, (name, person)


def test_a_volunteer_cannot_export(world, people, audience, as_user):
    client = as_user(world.volunteer)
    assert client.get(url("people_export")).status_code == 404
    assert client.post(url("people_export"), {"file_format": "csv"}).status_code == 404
    assert client.get(url("audience_export", audience.pk)).status_code == 404
    assert client.get(url("chart_csv", "new-people")).status_code == 404


def test_a_volunteer_sees_nobody_on_the_people_list(world, people, call_list, as_user):
    response = as_user(world.volunteer).get(url("people"))
    page = response.content.decode()
    assert response.status_code == 404
    assert all(person.chosen_name not in page for person in people)


def test_a_volunteer_cannot_download_a_petitions_signers(world, as_user):
    petition = PetitionFactory(organization=world.centre, slug="org-wide")
    target = TargetFactory()
    petition.targets.add(target)
    response = as_user(world.volunteer).get(url("petition_packet_csv", "org-wide", target.pk))
    assert response.status_code == 404


# Outcomes ---------------------------------------------------------------------------------


def test_an_outcome_button_records_and_comes_back_to_the_list(world, call_list, campaign,
                                                              as_user):
    client = as_user(world.volunteer)
    assignment = mine(call_list, world.volunteer)
    entry = assignment.entries.first()
    response = client.post(url("entry_outcome", assignment.pk, entry.pk),
                           {"outcome": Outcome.NOT_INTERESTED})
    assert response.status_code == 302
    assert response["Location"] == url("assignment_detail", assignment.pk) + f"#entry-{entry.pk}"
    (row,) = Activity.objects.filter(person=entry.person, kind__startswith="call.")
    assert (row.kind, row.campaign) == (CALL_NOT_INTERESTED, campaign)
    page = client.get(url("assignment_detail", assignment.pk)).content.decode()
    assert 'aria-pressed="true"' in page


def test_a_double_post_is_harmless(world, call_list, as_user):
    client = as_user(world.volunteer)
    assignment = mine(call_list, world.volunteer)
    entry = assignment.entries.first()
    for _ in range(2):
        client.post(url("entry_outcome", assignment.pk, entry.pk), {"outcome": Outcome.MESSAGE})
    assert Activity.objects.filter(person=entry.person, kind__startswith="call.").count() == 1


def test_an_unknown_outcome_changes_nothing(world, call_list, as_user):
    client = as_user(world.volunteer)
    assignment = mine(call_list, world.volunteer)
    entry = assignment.entries.first()
    response = client.post(url("entry_outcome", assignment.pk, entry.pk), {"outcome": "won"})
    assert response.status_code == 302
    assert CallEntry.objects.get(pk=entry.pk).outcome == ""
    assert not Activity.objects.filter(kind__startswith="call.").exists()


def test_an_organizer_who_sees_the_list_may_record_for_a_caller(world, call_list, as_user):
    assignment = mine(call_list, world.volunteer)
    entry = assignment.entries.first()
    client = as_user(world.montreal_organizer)
    assert client.get(url("assignment_detail", assignment.pk)).status_code == 200
    client.post(url("entry_outcome", assignment.pk, entry.pk), {"outcome": Outcome.REACHED})
    assert CallEntry.objects.get(pk=entry.pk).outcome == Outcome.REACHED
    assert as_user(world.rimouski_organizer).get(
        url("assignment_detail", assignment.pk)).status_code == 404


def test_an_organizer_sees_only_the_names_of_their_scope(world, people, as_user):
    PhoneFactory(person=world.in_bsl)
    call_list = call_list_create(
        name="Province-wide", organization=world.centre, chapter=world.montreal,
        definition={}, callers=[world.volunteer], actor=world.coordinator,
    )
    assert CallEntry.objects.filter(assignment__call_list=call_list,
                                    person=world.in_bsl).exists()
    client = as_user(world.montreal_organizer)
    detail = client.get(url("call_list_detail", call_list.pk)).content.decode()
    assignment = client.get(url("assignment_detail",
                                mine(call_list, world.volunteer).pk)).content.decode()
    for page in (detail, assignment):
        assert "Amina Diallo" in page and world.in_bsl.chosen_name not in page
    # The caller calls everyone on their list.
    own = as_user(world.volunteer).get(url("assignment_detail",
                                           mine(call_list, world.volunteer).pk))
    assert world.in_bsl.chosen_name in own.content.decode()


def test_the_callers_page_takes_the_same_queries_for_few_or_many(world, as_user,
                                                                 django_assert_max_num_queries):
    for index in range(40):
        person = PersonFactory(chosen_name=f"Member {index:02d}", home_chapter=world.montreal)
        PhoneFactory(person=person, number=f"+15145559{index:03d}")
        PhoneFactory(person=person, number=f"+14385559{index:03d}", is_primary=False)
    call_list = call_list_create(
        name="Big", organization=world.centre, chapter=world.montreal,
        definition={}, callers=[world.volunteer], actor=world.montreal_organizer,
    )
    client = as_user(world.volunteer)
    with django_assert_max_num_queries(12):
        response = client.get(url("assignment_detail", mine(call_list, world.volunteer).pk))
    assert response.content.decode().count('href="tel:') == 80


def test_an_organizer_without_an_audience_is_told_to_make_one(world, as_user):
    response = as_user(world.rimouski_organizer).get(url("call_list_add"))
    assert response.status_code == 200
    assert url("audience_new") in response.content.decode()


def test_a_volunteers_menu_leads_only_to_pages_they_may_use(client, world):
    client.force_login(world.volunteer)
    page = client.get("/en/organize/").content.decode()
    assert "/en/organize/calls/" in page
    assert "/en/organize/people/" not in page
    assert "/en/organize/audiences/" not in page
