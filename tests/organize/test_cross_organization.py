"""Each organization's list is its own (decision 0035), through the organizer pages and
the public forms: matching and writes stay inside the organization that owns the form
or the page; another organization receives someone only when they chose to share.

The world: the workers' centre (Montréal, Bas-Saint-Laurent) and the student network
(Toronto), each with its own coordinator.
"""

import re

import pytest
from django.utils import timezone

from solidaire.core.models import Activity, OrganizerRole
from solidaire.events.activities import EVENT_REGISTERED
from solidaire.events.models import Registration
from solidaire.people.models import EmailAddress, Person, Suggestion
from solidaire.petitions.activities import PETITION_SIGNED
from solidaire.petitions.services import signatures_process

from tests.factories import (
    EmailFactory,
    EventFactory,
    PersonFactory,
    PetitionFactory,
    PhoneFactory,
    make_organizer,
)
from tests.organize.conftest import url

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="key" value="([^"]+)"')


@pytest.fixture
def students_coordinator(world):
    return make_organizer(role=OrganizerRole.Role.COORDINATOR, username="msu-coordinator",
                          organization=world.other)


@pytest.fixture
def dev(world):
    """Dev, a member of the student network in Toronto, with a phone and an e-mail."""
    person = world.in_toronto
    PhoneFactory(person=person, number="+14165550177")
    EmailFactory(person=person, address="dev@example.org")
    return person


def key_of(client, path: str) -> str:
    return KEY.search(client.get(path).content.decode()).group(1)


def test_a_volunteers_walk_in_never_touches_another_organizations_member(
        as_user, world, dev):
    """The attack: a Montréal volunteer registered a walk-in at the door with the phone
    of an Ontario student network's member, and rewrote her record."""
    EventFactory(organization=world.centre, chapter=world.montreal, slug="assembly",
                 starts_at=timezone.now())
    client = as_user(world.volunteer)
    page = client.get(url("event_checkin", "assembly"))
    response = client.post(url("event_walk_in", "assembly"), {
        "key": KEY.search(page.content.decode()).group(1), "chosen_name": "Mallory",
        "phone": "416 555 0177", "email": "attacker@example.net", "language": "en"})
    assert response.status_code == 302

    dev.refresh_from_db()
    assert dev.chosen_name == "Dev Toronto" and dev.preferred_language == "fr"
    assert list(dev.emails.values_list("address", flat=True)) == ["dev@example.org"]
    assert not Suggestion.objects.filter(person=dev).exists()
    assert not Registration.objects.filter(person=dev).exists()
    # The walk-in is a person of the centre's own list.
    walk_in = Registration.objects.get().person
    assert walk_in.organization == world.centre and walk_in.chosen_name == "Mallory"


def test_a_volunteer_may_not_rewrite_a_member_of_their_own_organization_either(
        as_user, world):
    person = world.in_montreal  # a volunteer sees no person pages, so may not rewrite
    PhoneFactory(person=person, number="+15145550142")
    EventFactory(organization=world.centre, chapter=world.montreal, slug="assembly",
                 starts_at=timezone.now())
    client = as_user(world.volunteer)
    page = client.get(url("event_checkin", "assembly"))
    client.post(url("event_walk_in", "assembly"), {
        "key": KEY.search(page.content.decode()).group(1), "chosen_name": "Someone Else",
        "phone": "514 555 0142", "email": "", "language": "en"})
    person.refresh_from_db()
    assert person.chosen_name == "Ana Montréal"
    assert Suggestion.objects.filter(person=person, field="chosen_name",
                                     value="Someone Else").exists()
    assert Registration.objects.get().person == person


def test_an_organizer_who_sees_the_person_corrects_the_record_at_the_door(as_user, world):
    person = world.in_montreal
    PhoneFactory(person=person, number="+15145550142")
    EventFactory(organization=world.centre, chapter=world.montreal, slug="assembly",
                 starts_at=timezone.now())
    client = as_user(world.montreal_organizer)
    page = client.get(url("event_checkin", "assembly"))
    client.post(url("event_walk_in", "assembly"), {
        "key": KEY.search(page.content.decode()).group(1), "chosen_name": "Ana Lima",
        "phone": "514 555 0142", "email": "ana.lima@example.org", "language": "es"})
    person.refresh_from_db()
    assert person.chosen_name == "Ana Lima" and person.preferred_language == "es"
    address = person.emails.get()
    assert address.address == "ana.lima@example.org" and address.is_primary
    assert not address.pending


def test_a_signer_of_the_students_petition_is_on_the_students_list(
        client, as_user, world, dev, students_coordinator):
    """The same address on the centre's list: the student network still gets its own
    signer, and sees them; the centre's record is untouched."""
    ana = world.in_montreal
    EmailFactory(person=ana, address="ana@example.org")
    petition = PetitionFactory(organization=world.other, slug="fix-pgwp")
    client.post("/en/petitions/fix-pgwp/", {
        "name": "Ana R.", "email": "ana@example.org", "phone": "", "postal_code": "M5V 2T6",
        "city": "Toronto", "language": "en", "comment": "",
        "key": key_of(client, "/en/petitions/fix-pgwp/")})
    signatures_process()

    signer = petition.signatures.get().person
    assert signer.organization == world.other and signer != ana
    assert signer.emails.get().address == "ana@example.org"
    ana.refresh_from_db()
    assert ana.chosen_name == "Ana Montréal" and ana.postal_code == ""
    assert not Activity.objects.filter(person=ana, kind=PETITION_SIGNED).exists()

    students = as_user(students_coordinator)
    assert students.get(url("person_detail", signer.pk)).status_code == 200
    assert students.get(url("person_detail", ana.pk)).status_code == 404
    centre = as_user(world.coordinator)
    assert centre.get(url("person_detail", signer.pk)).status_code == 404


def test_a_coordinator_does_not_see_another_organizations_people_without_a_chapter(
        as_user, world, students_coordinator):
    theirs = PersonFactory(chosen_name="Wen Unassigned", organization=world.other)
    ours = world.unassigned
    centre = as_user(world.coordinator)
    assert centre.get(url("person_detail", theirs.pk)).status_code == 404
    assert centre.get(url("person_detail", ours.pk)).status_code == 200
    assert "Wen Unassigned" not in centre.get(url("people")).content.decode()
    students = as_user(students_coordinator)
    assert students.get(url("person_detail", theirs.pk)).status_code == 200
    assert students.get(url("person_detail", ours.pk)).status_code == 404


def test_adding_someone_never_reveals_whether_another_organization_has_the_contact(
        as_user, world, dev):
    """The probe: the duplicate message answered for addresses of any organization."""
    client = as_user(world.montreal_organizer)
    response = client.post(url("person_add"), {
        "chosen_name": "Dev", "email": "dev@example.org", "phone": "416 555 0177",
        "preferred_language": "en", "home_chapter": "montreal", "postal_code": "",
        "sector": "", "workplace": "", "tags": "", "consent_method": ""})
    assert response.status_code == 302
    added = Person.objects.get(organization=world.centre, emails__address="dev@example.org")
    assert added.home_chapter == world.montreal
    assert EmailAddress.objects.filter(address="dev@example.org").count() == 2


def test_inside_the_organization_a_duplicate_is_still_refused(as_user, world):
    EmailFactory(person=world.in_bsl, address="carlos@example.org")
    client = as_user(world.montreal_organizer)
    response = client.post(url("person_add"), {
        "chosen_name": "Carlos", "email": "carlos@example.org", "phone": "",
        "preferred_language": "fr", "home_chapter": "montreal", "postal_code": "",
        "sector": "", "workplace": "", "tags": "", "consent_method": ""})
    assert response.status_code == 200
    assert "already recorded for someone outside your chapters" in response.content.decode()
    assert "Carlos Rimouski" not in response.content.decode()


@pytest.mark.parametrize("share", [False, True])
def test_a_cosponsor_receives_a_registrant_only_when_they_ticked_the_box(
        client, world, students_coordinator, share):
    event = EventFactory(organization=world.centre, slug="rally")
    event.cosponsors.set([world.other])
    page = client.get("/en/events/rally/").content.decode()
    assert "Share my name, e-mail and phone with the co-sponsors: Migrant Students United" \
        in page
    data = {"chosen_name": "Nour", "email": "nour@example.org", "phone": "",
            "postal_code": "", "language": "en", "key": KEY.search(page).group(1)}
    if share:
        data["share_with_cosponsors"] = "on"
    client.post("/en/events/rally/", data)

    ours = Person.objects.get(organization=world.centre, emails__address="nour@example.org")
    assert ours.chosen_name == "Nour"
    shared = Person.objects.filter(organization=world.other, emails__address="nour@example.org")
    assert shared.exists() == share
    if share:
        assert Activity.objects.filter(person=shared.get(), kind=EVENT_REGISTERED,
                                       object_id=event.pk).exists()


@pytest.mark.parametrize("share", [False, True])
def test_a_petitions_cosponsor_receives_a_signer_only_when_they_ticked_the_box(
        client, world, share):
    petition = PetitionFactory(organization=world.centre, slug="status")
    petition.cosponsors.set([world.other])
    page = client.get("/fr/petitions/status/").content.decode()
    assert "Coorganisée par" in page and "Migrant Students United" in page
    data = {"name": "Nour", "email": "nour@example.org", "phone": "", "postal_code": "",
            "city": "", "language": "fr", "comment": "", "key": KEY.search(page).group(1)}
    if share:
        data["share_with_cosponsors"] = "on"
    client.post("/fr/petitions/status/", data)
    signatures_process()
    assert Person.objects.filter(organization=world.other).exclude(
        pk=world.in_toronto.pk).exists() == share


def test_an_organizer_decides_about_what_a_form_typed(as_user, client, world):
    person = world.in_montreal
    PhoneFactory(person=person, number="+15145550142")
    EventFactory(organization=world.centre, slug="assembly")
    page = client.get("/en/events/assembly/").content.decode()
    client.post("/en/events/assembly/", {
        "chosen_name": "Ana Lima", "email": "ana.lima@example.org", "phone": "514 555 0142",
        "postal_code": "", "language": "es", "key": KEY.search(page).group(1)})
    organizer = as_user(world.montreal_organizer)
    detail = organizer.get(url("person_detail", person.pk)).content.decode()
    assert "ana.lima@example.org" in detail and "Ana Lima" in detail

    address = person.emails.get()
    name = Suggestion.objects.get(person=person, field="chosen_name")
    language = Suggestion.objects.get(person=person, field="preferred_language")
    # Out of scope: the Bas-Saint-Laurent organizer cannot decide (404, nothing changes).
    other = as_user(world.rimouski_organizer)
    assert other.post(url("person_suggestion", person.pk),
                      {"id": name.pk, "action": "apply"}).status_code == 404
    organizer = as_user(world.montreal_organizer)
    organizer.post(url("person_contact", person.pk),
                   {"kind": "email", "id": address.pk, "action": "accept"})
    organizer.post(url("person_suggestion", person.pk), {"id": name.pk, "action": "apply"})
    organizer.post(url("person_suggestion", person.pk),
                   {"id": language.pk, "action": "dismiss"})

    person.refresh_from_db()
    address.refresh_from_db()
    assert person.chosen_name == "Ana Lima" and person.preferred_language == "fr"
    assert not address.pending
    assert not Suggestion.objects.filter(person=person).exists()
