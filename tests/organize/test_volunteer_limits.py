"""Volunteers have no people pages: every organizer page about people answers 404 to
them (the list, adding, duplicates, imports, exports, merging, the permit-expiry page),
as a page out of scope would, while their door and call-list work stays open."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from solidaire.core.models import AuditEntry
from solidaire.people.duplicates import duplicates_scan
from solidaire.people.models import DuplicatePair, Person, PersonImport

from tests.factories import EventFactory, PersonFactory, PhoneFactory, RegistrationFactory
from tests.organize.conftest import url
from tests.second_factor import log_in_with_code


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


def test_a_volunteer_with_status_access_still_has_no_permit_expiry_page(world, client):
    """The status-access flag is an organizer's: on a volunteer it opens no people page
    (nor the people list's permit filter), and nothing is audited as viewed."""
    role = world.volunteer.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    log_in_with_code(client, world.volunteer)
    assert client.get(url("permit_cliff")).status_code == 404
    assert client.get(url("people"), {"permit_within": 3}).status_code == 404
    assert not AuditEntry.objects.filter(
        action="solidaire.person.status.cliff.viewed").exists()


def test_a_volunteer_keeps_their_home_and_call_lists(world, as_user):
    client = as_user(world.volunteer)
    assert client.get(url("home")).status_code == 200
    assert client.get(url("call_lists")).status_code == 200


# -- door work only around the event -----------------------------------------------------------
# A volunteer's check-in list (names, last phone digits), paper entry and sign-in sheet
# open from a day before an event starts until two days after it ends (decision 0044);
# outside that window they answer the same 404 as an event out of scope.

DOOR_PAGES = ("event_checkin", "event_checkin_search", "event_walk_in", "event_paper",
              "event_sheet")


def door_event(world, *, starts_in: datetime.timedelta, slug: str, hours: int = 2):
    starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    event = EventFactory(organization=world.centre, chapter=world.montreal, slug=slug,
                         starts_at=starts_at,
                         ends_at=starts_at + datetime.timedelta(hours=hours))
    registration = RegistrationFactory(event=event, person=world.in_montreal)
    return event, registration


def answers(client, slug: str) -> dict[str, int]:
    return {name: client.get(url(name, slug)).status_code for name in DOOR_PAGES}


OPEN = dict.fromkeys(DOOR_PAGES, 200)
CLOSED = dict.fromkeys(DOOR_PAGES, 404)


@pytest.mark.parametrize("starts_in, hours, expected", [
    (datetime.timedelta(hours=2), 2, OPEN),                  # this evening
    (datetime.timedelta(hours=-1), 3, OPEN),                 # under way
    (datetime.timedelta(hours=23), 2, OPEN),                 # tomorrow, setting up
    (datetime.timedelta(hours=-48), 2, OPEN),                # ended 46 hours ago: sheets
    (datetime.timedelta(hours=25), 2, CLOSED),               # the day after tomorrow
    (datetime.timedelta(days=7), 2, CLOSED),                 # next week
    (datetime.timedelta(hours=-51), 2, CLOSED),              # ended 49 hours ago
    (datetime.timedelta(days=-365), 2, CLOSED),              # last year
    (datetime.timedelta(days=-10), 24 * 9, OPEN),            # a nine-day camp, ends tomorrow
])
def test_a_volunteer_reaches_door_work_only_around_the_event(world, as_user, starts_in, hours,
                                                             expected):
    event, _registration = door_event(world, starts_in=starts_in, slug="assembly", hours=hours)
    assert answers(as_user(world.volunteer), event.slug) == expected


def test_last_years_check_in_list_is_not_found_like_an_event_out_of_scope(world, as_user):
    event, registration = door_event(world, starts_in=datetime.timedelta(days=-365),
                                     slug="assembly")
    client = as_user(world.volunteer)
    missing = {name: client.get(url(name, "no-such-event"), {"q": "Ana"})
               for name in DOOR_PAGES}
    for name in DOOR_PAGES:
        past = client.get(url(name, event.slug), {"q": "Ana"})
        assert past.status_code == 404, name
        assert past.content.replace(b"assembly", b"no-such-event") \
            == missing[name].content, name
        assert "Ana Montréal" not in past.content.decode()
    # Nor can anything be written to it.
    assert client.post(url("event_checkin_mark", event.slug, registration.pk),
                       {"q": ""}).status_code == 404
    assert client.post(url("event_walk_in", event.slug), {
        "chosen_name": "Late Walker", "language": "fr"}).status_code == 404
    assert client.post(url("event_paper", event.slug), {
        "sheet_number": "1", "name": "Late Typist", "language": "fr"}).status_code == 404
    registration.refresh_from_db()
    assert not registration.attended
    assert not Person.objects.filter(chosen_name__in=["Late Walker", "Late Typist"]).exists()


@pytest.mark.parametrize("account", ["montreal_organizer", "coordinator"])
def test_organizers_keep_door_work_of_any_date(world, as_user, account):
    for slug, starts_in in (("last-year", datetime.timedelta(days=-365)),
                            ("next-month", datetime.timedelta(days=30))):
        door_event(world, starts_in=starts_in, slug=slug)
        assert answers(as_user(getattr(world, account)), slug) == OPEN, slug


def test_a_volunteers_home_lists_only_events_whose_door_is_open(world, as_user):
    door_event(world, starts_in=datetime.timedelta(hours=3), slug="tonight")
    door_event(world, starts_in=datetime.timedelta(days=5), slug="next-week")
    door_event(world, starts_in=datetime.timedelta(hours=-30), slug="yesterday")
    html = as_user(world.volunteer).get(url("home")).content.decode()
    assert f'href="{url("event_checkin", "tonight")}"' in html
    assert f'href="{url("event_checkin", "yesterday")}"' in html
    assert "next-week" not in html
