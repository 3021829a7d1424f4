"""Nobody rewrites a member from outside (decision 0036): what a public form gives for
someone already recorded is added beside their record, never written over it, and
nothing reaches an address someone typed until its owner confirms it.

Each test replays the attack through the running application (the real pages), the
way it was found: a member's phone number typed with another name, language, postal
code and the attacker's e-mail address.
"""

import re

import pytest
from django.core import mail

from solidaire.core.models import OutboxEmail
from solidaire.core.outbox import email_send
from solidaire.events.models import Registration
from solidaire.membership.models import ChapterRequest
from solidaire.people.models import EmailAddress, Person, PhoneNumber, Suggestion
from solidaire.petitions.models import Endorsement, Signature
from solidaire.petitions.services import signatures_process

from tests.factories import (
    ActionFactory,
    EmailFactory,
    EventFactory,
    PetitionFactory,
    PhoneFactory,
    SignOnFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="key" value="([^"]+)"')
SHOWN = re.compile(r'name="shown" value="([^"]*)"')
ATTACKER = "attacker@example.net"
PHONE = "514 555-0142"


@pytest.fixture
def member(world):
    """Ana, a member of the Montréal chapter: French, H2X, one e-mail, one phone."""
    person = world.in_montreal
    person.chosen_name = "Ana Rivera"
    person.postal_code = "H2X 1Y4"
    person.preferred_language = "fr"
    person.save()
    EmailFactory(person=person, address="ana@example.org")
    PhoneFactory(person=person, number="+15145550142")
    return person


def key_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return KEY.search(response.content.decode()).group(1)


def assert_unchanged(member):
    member.refresh_from_db()
    assert member.chosen_name == "Ana Rivera"
    assert member.preferred_language == "fr"
    assert member.postal_code == "H2X 1Y4"
    primary = member.emails.get(is_primary=True)
    assert primary.address == "ana@example.org" and not primary.pending


def assert_attacker_pending(member):
    typed = EmailAddress.objects.get(address=ATTACKER)
    assert typed.person_id == member.pk
    assert typed.pending and not typed.is_primary


def sent_to(address: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(to=address).order_by("id"))


def test_an_event_registration_with_a_members_phone_adds_and_never_overwrites(
        client, world, member):
    event = EventFactory(organization=world.centre, slug="assembly")
    response = client.post("/en/events/assembly/", {
        "chosen_name": "Mallory", "email": ATTACKER, "phone": PHONE, "postal_code": "K1A 0A6",
        "language": "en", "key": key_of(client, "/en/events/assembly/")})
    assert response.status_code == 303

    assert_unchanged(member)
    assert_attacker_pending(member)
    # What was typed is kept beside the record, for an organizer to decide.
    assert set(Suggestion.objects.filter(person=member).values_list("field", "value")) == {
        ("chosen_name", "Mallory"), ("preferred_language", "en"), ("postal_code", "K1A 0A6")}
    # The registration is not lost...
    registration = Registration.objects.get(event=event)
    assert registration.person == member
    # ...its confirmation goes to Ana's own address; the typed address gets only the
    # link to confirm it, and what is about the registration waits for that.
    assert [e.kind for e in sent_to("ana@example.org")] == ["events.registration_confirmed"]
    to_attacker = sent_to(ATTACKER)
    assert [(e.kind, e.status) for e in to_attacker] == [
        ("events.registration_confirmed", OutboxEmail.Status.HELD),
        ("people.confirm_address", OutboxEmail.Status.PENDING)]
    held = to_attacker[0]
    assert "Ana" not in held.body_text  # the record's name is not told to a typed address


def test_the_held_email_goes_out_once_the_typed_address_is_confirmed(client, world, member):
    EventFactory(organization=world.centre, slug="assembly")
    client.post("/en/events/assembly/", {
        "chosen_name": "Ana", "email": "ana.new@example.org", "phone": PHONE,
        "postal_code": "", "language": "fr", "key": key_of(client, "/en/events/assembly/")})
    request = OutboxEmail.objects.get(to="ana.new@example.org", kind="people.confirm_address")
    link = re.search(r"https?://[^\s]+/confirm/[^\s]+/", request.body_text).group(0)
    path = "/" + link.split("/", 3)[3]

    # Opening the link changes nothing (mail scanners open links); the button confirms.
    page = client.get(path)
    assert page.status_code == 200 and "ana.new@example.org" in page.content.decode()
    assert EmailAddress.objects.get(address="ana.new@example.org").pending
    assert client.post(path).status_code == 200

    address = EmailAddress.objects.get(address="ana.new@example.org")
    assert not address.pending and address.confirmed_at is not None
    assert not address.is_primary  # a link proves who reads it, not whose record it is
    held = OutboxEmail.objects.get(to="ana.new@example.org", kind="events.registration_confirmed")
    assert held.status == OutboxEmail.Status.PENDING
    assert email_send(email_id=held.pk)
    assert mail.outbox[-1].to == ["ana.new@example.org"]


def test_a_forged_confirmation_link_confirms_nothing(client, member):
    address = EmailAddress.objects.create(person=member, address=ATTACKER, pending=True)
    assert client.post("/en/confirm/1.attacker@example.net:forged/").status_code == 400
    address.refresh_from_db()
    assert address.pending


def test_a_petition_signature_with_a_members_phone_adds_and_never_overwrites(
        client, world, member):
    petition = PetitionFactory(organization=world.centre, slug="health-care")
    client.post("/fr/petitions/health-care/", {
        "name": "Mallory", "email": ATTACKER, "phone": PHONE, "postal_code": "K1A 0A6",
        "city": "", "language": "en", "comment": "", "consent_email": "on",
        "key": key_of(client, "/fr/petitions/health-care/")})
    signatures_process()

    assert_unchanged(member)
    assert_attacker_pending(member)
    assert Signature.objects.get(petition=petition).person == member
    # Consent ticked beside an address that is not yet theirs grants nothing.
    assert not member.consent_email
    assert [(e.kind, e.status) for e in sent_to(ATTACKER)] == [
        ("petition.thanks", OutboxEmail.Status.HELD),
        ("people.confirm_address", OutboxEmail.Status.PENDING)]


def test_a_call_report_with_a_members_phone_adds_and_never_overwrites(client, world, member):
    action = ActionFactory(organization=world.centre, slug="call-minister")
    action.targets.set([TargetFactory(name="Marc Miller")])
    html = client.get("/en/act/call-minister/").content.decode()
    client.post("/en/act/call-minister/report/", {
        "key": KEY.search(html).group(1), "shown": SHOWN.search(html).group(1),
        "outcome": "message", "note": "", "chosen_name": "Mallory", "email": ATTACKER,
        "phone": PHONE, "consent": "on"})
    assert_unchanged(member)
    assert_attacker_pending(member)
    assert not member.consent_email


def test_a_sign_on_contact_with_a_members_phone_adds_and_never_overwrites(
        client, world, member):
    SignOnFactory(organization=world.centre, slug="status-for-all")
    client.post("/en/sign-ons/status-for-all/", {
        "org_name": "Inter Pares", "kind": "community", "city": "Ottawa", "org_website": "",
        "contact_name": "Mallory", "email": ATTACKER, "phone": PHONE, "language": "en",
        "website": "", "key": key_of(client, "/en/sign-ons/status-for-all/")})
    assert_unchanged(member)
    assert_attacker_pending(member)
    assert Endorsement.objects.get().contact == member
    assert [e.status for e in sent_to(ATTACKER)] == [OutboxEmail.Status.HELD,
                                                      OutboxEmail.Status.PENDING]


def test_a_chapter_request_with_a_members_phone_adds_and_never_overwrites(
        client, world, member):
    client.post("/en/chapters/start/", {
        "organization": str(world.centre.pk), "chapter_name": "Laval", "city": "Laval",
        "contact_name": "Mallory", "email": ATTACKER, "phone": PHONE, "language": "en",
        "message": ""})
    assert ChapterRequest.objects.get().person == member
    assert_unchanged(member)
    assert_attacker_pending(member)


def test_a_person_with_a_phone_only_gets_no_primary_address_from_a_form(client, world):
    """37 demo people have a phone and no e-mail: the first address typed for them would
    have become the one every message goes to."""
    person = world.in_cdn
    PhoneFactory(person=person, number="+15145550142")
    EventFactory(organization=world.centre, slug="assembly")
    client.post("/en/events/assembly/", {
        "chosen_name": person.chosen_name, "email": ATTACKER, "phone": PHONE,
        "postal_code": "", "language": "fr", "key": key_of(client, "/en/events/assembly/")})
    typed = EmailAddress.objects.get(address=ATTACKER)
    assert typed.person == person and typed.pending and not typed.is_primary
    assert not person.emails.filter(is_primary=True).exists()
    # Nothing about the registration reaches the typed address before it is confirmed.
    assert {e.status for e in sent_to(ATTACKER) if e.kind != "people.confirm_address"} == {
        OutboxEmail.Status.HELD}


def test_a_members_only_event_does_not_seat_someone_matched_by_a_phone_alone(
        client, world, member):
    member.home_chapter = world.montreal
    member.save()
    event = EventFactory(organization=world.centre, slug="members", visibility="members")
    client.post("/en/events/members/", {
        "chosen_name": "Mallory", "email": ATTACKER, "phone": PHONE, "postal_code": "",
        "language": "en", "key": key_of(client, "/en/events/members/")})
    assert Registration.objects.get(event=event).status == Registration.Status.AWAITING


def test_a_new_person_gets_the_address_they_typed_as_their_own(client, world):
    EventFactory(organization=world.centre, slug="assembly")
    client.post("/en/events/assembly/", {
        "chosen_name": "Nour", "email": "nour@example.org", "phone": "",
        "postal_code": "", "language": "en", "key": key_of(client, "/en/events/assembly/")})
    address = EmailAddress.objects.get(address="nour@example.org")
    assert address.is_primary and not address.pending
    assert [e.status for e in sent_to("nour@example.org")] == [OutboxEmail.Status.PENDING]


def test_a_known_phone_typed_again_is_not_added_twice(client, world, member):
    EventFactory(organization=world.centre, slug="assembly")
    client.post("/en/events/assembly/", {
        "chosen_name": "Ana Rivera", "email": "ana@example.org", "phone": PHONE,
        "postal_code": "", "language": "fr", "key": key_of(client, "/en/events/assembly/")})
    assert PhoneNumber.objects.filter(person=member).count() == 1
    assert not Suggestion.objects.filter(person=member).exists()
    assert Person.objects.count() == 5
