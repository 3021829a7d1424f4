"""Volunteers have no people pages: every organizer page about people answers 404 to
them (the list, adding, duplicates, imports, exports, merging, the permit-expiry page),
as a page out of scope would, while their door and call-list work stays open."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solidaire.core.models import AuditEntry
from solidaire.people.duplicates import duplicates_scan
from solidaire.people.models import DuplicatePair, Person, PersonImport

from tests.dashboard.conftest import url
from tests.factories import PersonFactory, PhoneFactory


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def twins(world):
    """Two Montréal records of one person, found by the duplicate scan."""
    people = [PersonFactory(chosen_name="Jean-Baptiste Noël", home_chapter=world.montreal,
                            postal_code="H2X 1Y4") for _ in range(2)]
    for person in people:
        PhoneFactory(person=person, number="+15145550199")
    duplicates_scan()
    pair = DuplicatePair.objects.get()
    return people, pair


@pytest.fixture
def an_import(world, as_user):
    """An import the Montréal organizer uploaded (the volunteer works in Montréal too)."""
    client = as_user(world.montreal_organizer)
    response = client.post(url("imports"), {"file": SimpleUploadedFile(
        "list.csv", b"Name,Phone\r\nA,5145550101\r\n", content_type="text/csv")})
    assert response.status_code == 302
    client.logout()
    return PersonImport.objects.get()


def test_the_people_list_is_not_found_for_a_volunteer(world, as_user):
    client = as_user(world.volunteer)
    assert client.get(url("people")).status_code == 404
    assert client.get(url("people"), {"q": "Ana"}).status_code == 404
    assert client.get(url("people", lang="fr")).status_code == 404


def test_the_people_list_still_opens_for_organizers(world, as_user):
    for account in (world.coordinator, world.montreal_organizer):
        response = as_user(account).get(url("people"))
        assert response.status_code == 200
        assert "Ana Montréal" in response.content.decode()


def test_a_volunteer_cannot_add_a_person(world, as_user):
    client = as_user(world.volunteer)
    before = Person.objects.count()
    assert client.get(url("person_add")).status_code == 404
    response = client.post(url("person_add"), {
        "chosen_name": "Rosa", "home_chapter": "montreal", "preferred_language": "fr",
    })
    assert response.status_code == 404
    assert Person.objects.count() == before


def test_a_volunteer_has_no_duplicate_pages(world, as_user, twins):
    people, pair = twins
    client = as_user(world.volunteer)
    assert client.get(url("duplicates")).status_code == 404
    assert client.post(url("duplicate_scan")).status_code == 404
    assert client.get(url("duplicate_review", pair.pk)).status_code == 404
    assert client.post(url("duplicate_review", pair.pk),
                       {"action": "merge", "keep": people[0].pk}).status_code == 404
    assert client.post(url("duplicate_bulk_merge"),
                       {"min_score": 90, "confirm": "on"}).status_code == 404
    assert Person.objects.filter(pk__in=[p.pk for p in people]).count() == 2


def test_a_volunteer_cannot_merge_two_records(world, as_user, twins):
    (one, two), _pair = twins
    client = as_user(world.volunteer)
    assert client.get(url("person_merge", one.pk)).status_code == 404
    assert client.get(url("person_merge_confirm", one.pk, two.pk)).status_code == 404
    assert client.post(url("person_merge_confirm", one.pk, two.pk),
                       {"keep": one.pk}).status_code == 404
    assert Person.objects.filter(pk__in=[one.pk, two.pk]).count() == 2


def test_a_volunteer_has_no_import_pages_even_for_a_colleagues_import(world, as_user,
                                                                     an_import):
    client = as_user(world.volunteer)
    assert client.get(url("imports")).status_code == 404
    for name in ("import_detail", "import_problems", "import_undo"):
        assert client.get(url(name, an_import.pk)).status_code == 404, name
        assert client.post(url(name, an_import.pk)).status_code == 404, name


def test_a_volunteer_cannot_export_people(world, as_user):
    client = as_user(world.volunteer)
    assert client.get(url("people_export")).status_code == 404
    assert client.post(url("people_export"), {"file_format": "csv"}).status_code == 404


def test_a_volunteer_with_status_access_still_has_no_permit_expiry_page(world, as_user,
                                                                        settings):
    """The status-access flag is an organizer's: on a volunteer it opens no people page
    (nor the people list's permit filter), and nothing is audited as viewed."""
    settings.DEMO_SKIP_2FA_ENROLMENT = True
    role = world.volunteer.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    client = as_user(world.volunteer)
    assert client.get(url("permit_cliff")).status_code == 404
    assert client.get(url("people"), {"permit_within": 3}).status_code == 404
    assert not AuditEntry.objects.filter(
        action="solidaire.person.status.cliff.viewed").exists()


def test_a_volunteer_keeps_their_home_and_call_lists(world, as_user):
    client = as_user(world.volunteer)
    assert client.get(url("home")).status_code == 200
    assert client.get(url("call_lists")).status_code == 200
