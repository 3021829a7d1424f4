"""Coordinators edit their organization and record the members of their coalition."""

import pytest

from solidaire.core.models import AuditEntry, OrganizerRole
from solidaire.organizing.models import CoalitionMembership, Organization

from tests.factories import OrganizationFactory, make_organizer
from tests.organize.conftest import translated, url


def form_data(**overrides):
    data = {
        "name": "Centre des travailleurs et travailleuses immigrants", "short_name": "CTTI",
        "kind": "workers_centre", "description_fr": "Un centre de Montréal.",
        "description_en": "A Montréal workers' centre.", "city": "Montréal",
        "province": "QC", "website": "cti-iwc.org", "email": "Info@CTI-IWC.org",
        "phone": "(514) 342-2111",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def coalition(world):
    coalition = OrganizationFactory(name="Status for All", slug="status-for-all",
                                    kind="coalition")
    CoalitionMembership.objects.create(coalition=coalition, member=world.centre)
    return coalition


@pytest.fixture
def coalition_coordinator(coalition):
    return make_organizer(role=OrganizerRole.Role.COORDINATOR, username="coalition",
                          organization=coalition)


def test_a_coordinator_edits_their_organization(world, as_user):
    client = as_user(world.coordinator)
    assert url("organization_edit", "cti") in client.get(
        url("organization_detail", "cti")).content.decode()
    response = client.post(url("organization_edit", "cti"), form_data())
    assert response.status_code == 302
    assert response["Location"] == url("organization_detail", "cti")
    world.centre.refresh_from_db()
    assert (world.centre.name, world.centre.short_name, world.centre.website,
            world.centre.email, world.centre.phone) == (
        "Centre des travailleurs et travailleuses immigrants", "CTTI", "https://cti-iwc.org",
        "info@cti-iwc.org", "+15143422111")
    assert world.centre.description == {"fr": "Un centre de Montréal.",
                                        "en": "A Montréal workers' centre."}
    assert world.centre.slug == "cti" and world.centre.is_host
    assert AuditEntry.objects.get(action="solidaire.organization.changed").actor == (
        world.coordinator)
    page = client.get(response["Location"]).content.decode()
    assert "The changes were saved." in page and "(514) 342-2111" in page


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("overrides", "field", "msgid", "params"), [
    ({"name": ""}, "name", "This field is required.", {}),
    ({"website": "not a website"}, "website", "Enter a valid URL.", {}),
    ({"phone": "12"}, "phone", "“%(value)s” is not a valid phone number. Include the area "
     "code.", {"value": "12"}),
    ({"kind": "club"}, "kind",
     "Select a valid choice. %(value)s is not one of the available choices.",
     {"value": "club"}),
])
def test_bad_input_shows_a_clear_error_keeps_what_was_typed_and_saves_nothing(
    world, as_user, lang, overrides, field, msgid, params,
):
    response = as_user(world.coordinator).post(url("organization_edit", "cti", lang=lang),
                                               form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert translated(lang, msgid, **params) in html
    assert f'id="id_{field}_error"' in html
    assert 'value="CTTI"' in html
    world.centre.refresh_from_db()
    assert world.centre.short_name == ""
    assert not AuditEntry.objects.filter(action="solidaire.organization.changed").exists()


@pytest.mark.parametrize("user", ["montreal_organizer", "volunteer"])
def test_only_coordinators_edit_an_organization(world, as_user, user):
    client = as_user(getattr(world, user))
    assert client.get(url("organization_detail", "cti")).status_code == 200
    assert url("organization_edit", "cti") not in client.get(
        url("organization_detail", "cti")).content.decode()
    assert client.get(url("organization_edit", "cti")).status_code == 404
    assert client.post(url("organization_edit", "cti"), form_data()).status_code == 404
    world.centre.refresh_from_db()
    assert world.centre.short_name == ""


def test_a_coalition_coordinator_records_a_new_member(world, as_user, coalition,
                                                      coalition_coordinator):
    client = as_user(coalition_coordinator)
    html = client.get(url("organization_detail", "status-for-all")).content.decode()
    assert url("coalition_member_add", "status-for-all") in html
    response = client.post(url("coalition_member_add", "status-for-all"), form_data(
        name="Cooper Institute", short_name="", kind="community_group", city="Charlottetown",
        province="PE", is_founding="on", joined_on="2015-10-28"))
    assert response.status_code == 302
    assert response["Location"] == url("organization_detail", "status-for-all")
    member = Organization.objects.get(name="Cooper Institute")
    membership = CoalitionMembership.objects.get(coalition=coalition, member=member)
    assert membership.is_founding and str(membership.joined_on) == "2015-10-28"
    assert member.slug == "cooper-institute" and not member.is_host
    page = client.get(response["Location"]).content.decode()
    assert "Cooper Institute is now a member of the coalition." in page
    assert "Cooper Institute</li>" in page


def test_a_member_already_in_the_coalition_is_not_recorded_twice(world, as_user, coalition,
                                                                 coalition_coordinator):
    before = Organization.objects.count()
    response = as_user(coalition_coordinator).post(
        url("coalition_member_add", "status-for-all"),
        form_data(name="centre des travailleurs  immigrants"))
    assert response.status_code == 200
    assert translated("en", "%(name)s is already a member of this coalition.",
                      name="centre des travailleurs immigrants") in response.content.decode()
    assert Organization.objects.count() == before


def test_members_are_added_only_to_a_coalition_the_account_coordinates(
    world, as_user, coalition, coalition_coordinator,
):
    # The centre's coordinator sees the coalition's name, not its page.
    assert as_user(world.coordinator).get(
        url("coalition_member_add", "status-for-all")).status_code == 404
    # The centre is not a coalition: there is no member to add.
    assert as_user(world.coordinator).get(
        url("coalition_member_add", "cti")).status_code == 404
    assert url("coalition_member_add", "cti") not in as_user(world.coordinator).get(
        url("organization_detail", "cti")).content.decode()
