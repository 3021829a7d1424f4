"""Check-in on the day: who may do it, finding a person as you type, one tap, walk-ins."""

import datetime
import re

import pytest
from django.utils import timezone

from solidaire.core.models import Activity, OrganizerRole
from solidaire.events.activities import EVENT_ATTENDED
from solidaire.events.models import Registration
from solidaire.people.models import Person

from tests.factories import (
    EmailFactory,
    EventFactory,
    PhoneFactory,
    RegistrationFactory,
    make_organizer,
)
from tests.organize.conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    # This evening: a volunteer's door opens only around the event (decision 0044).
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="assembly",
                        starts_at=timezone.now() + datetime.timedelta(hours=2),
                        languages=["es", "fr"])


@pytest.fixture
def josee(world, event):
    person = world.in_montreal
    person.chosen_name = "Josée Tremblay"
    person.save()
    PhoneFactory(person=person, number="+15145550142")
    EmailFactory(person=person, address="josee@example.org")
    return RegistrationFactory(event=event, person=person)


@pytest.fixture
def others(event):
    return [RegistrationFactory(event=event, person__chosen_name=name)
            for name in ("Ahmed Diallo", "Maria Gonzalez", "Joseph Nguyen")]


def names(response) -> list[str]:
    return re.findall(r'<span class="checkin-name">([^<]+)</span>', response.content.decode())


def form_key(response) -> str:
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def attended_rows(person) -> int:
    return Activity.objects.filter(person=person, kind=EVENT_ATTENDED).count()


def test_a_volunteer_of_the_hosting_organization_checks_people_in(as_user, world, josee):
    client = as_user(world.volunteer)

    page = client.get(url("event_checkin", "assembly"))
    response = client.post(url("event_checkin_mark", "assembly", josee.pk), {"q": "jos"})

    assert page.status_code == 200
    assert "Josée Tremblay" in names(page)
    assert response.status_code == 302
    assert response["Location"] == url("event_checkin", "assembly") + "?q=jos"
    josee.refresh_from_db()
    assert josee.attended and josee.attendance_source == Registration.Attendance.CHECK_IN
    assert josee.checked_in_by == world.volunteer


def test_an_organizer_outside_the_events_chapter_gets_not_found(as_user, world, josee):
    client = as_user(world.rimouski_organizer)

    assert client.get(url("event_checkin", "assembly")).status_code == 404
    assert client.get(url("event_checkin_search", "assembly"), {"q": "jo"}).status_code == 404
    assert client.post(url("event_checkin_mark", "assembly", josee.pk)).status_code == 404
    josee.refresh_from_db()
    assert not josee.attended


def test_a_volunteer_of_another_organization_gets_not_found(as_user, world, josee):
    stranger = make_organizer(role=OrganizerRole.Role.VOLUNTEER, chapters=[world.toronto])
    client = as_user(stranger)

    assert client.get(url("event_checkin", "assembly")).status_code == 404
    assert client.post(url("event_walk_in", "assembly"),
                       {"chosen_name": "Intruder", "language": "fr"}).status_code == 404
    assert client.post(url("event_checkin_mark", "assembly", josee.pk)).status_code == 404
    assert not Person.objects.filter(chosen_name="Intruder").exists()


def test_the_search_ignores_accents_and_case_and_matches_any_word_start(
        as_user, world, josee, others):
    client = as_user(world.volunteer)

    assert names(client.get(url("event_checkin", "assembly"), {"q": "JOSEE"})) == [
        "Josée Tremblay"]
    assert names(client.get(url("event_checkin", "assembly"), {"q": "trem"})) == [
        "Josée Tremblay"]
    assert names(client.get(url("event_checkin", "assembly"), {"q": "jos"})) == [
        "Josée Tremblay", "Joseph Nguyen"]
    assert names(client.get(url("event_checkin", "assembly"), {"q": "ose"})) == []


def test_the_search_finds_a_person_by_the_last_four_digits_of_their_phone(
        as_user, world, josee, others):
    client = as_user(world.volunteer)

    response = client.get(url("event_checkin", "assembly"), {"q": "0142"})
    by_more_digits = client.get(url("event_checkin", "assembly"), {"q": "555-0142"})

    assert names(response) == ["Josée Tremblay"]
    assert names(by_more_digits) == ["Josée Tremblay"]
    # Only the end of the phone is shown, never the e-mail.
    assert "•••</span> 0142" in response.content.decode()
    assert "5145550142" not in response.content.decode()
    assert "josee@example.org" not in response.content.decode()
    assert url("person_detail", josee.person.pk) not in response.content.decode()


def test_the_search_fragment_lists_only_the_matching_people(as_user, world, josee, others):
    client = as_user(world.volunteer)

    response = client.get(url("event_checkin_search", "assembly"), {"q": "maria"})

    assert response.status_code == 200
    assert names(response) == ["Maria Gonzalez"]
    assert "<html" not in response.content.decode()


def test_the_list_includes_the_waiting_list_and_leaves_out_cancellations(
        as_user, world, event, josee):
    RegistrationFactory(event=event, person__chosen_name="Wanda Waiting",
                        status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, person__chosen_name="Carl Cancelled",
                        status=Registration.Status.CANCELLED)
    client = as_user(world.volunteer)

    response = client.get(url("event_checkin", "assembly"))

    assert names(response) == ["Josée Tremblay", "Wanda Waiting"]
    assert "Waiting list" in response.content.decode()


def test_many_matches_are_cut_with_an_invitation_to_type_more(as_user, world, event):
    for number in range(35):
        RegistrationFactory(event=event, person__chosen_name=f"Sam {number:02d}")
    client = as_user(world.volunteer)

    response = client.get(url("event_checkin", "assembly"), {"q": "sam"})

    assert len(names(response)) == 30
    assert "type more" in response.content.decode()


def test_checking_in_twice_writes_one_attended_row(as_user, world, josee):
    client = as_user(world.volunteer)

    client.post(url("event_checkin_mark", "assembly", josee.pk))
    client.post(url("event_checkin_mark", "assembly", josee.pk))

    assert attended_rows(josee.person) == 1
    page = client.get(url("event_checkin", "assembly"))
    assert "1</strong> checked in of 1 registered" in page.content.decode()
    assert re.search(r"Checked in \d\d:\d\d", page.content.decode())


def test_undo_clears_the_check_in(as_user, world, josee):
    client = as_user(world.volunteer)
    client.post(url("event_checkin_mark", "assembly", josee.pk))

    response = client.post(url("event_checkin_mark", "assembly", josee.pk), {"undo": "1"})

    josee.refresh_from_db()
    assert response.status_code == 302
    assert not josee.attended
    page = client.get(url("event_checkin", "assembly"))
    assert "0</strong> checked in of 1 registered" in page.content.decode()


def test_a_walk_in_is_added_checked_in_once_even_when_posted_twice(as_user, world, event):
    client = as_user(world.volunteer)
    page = client.get(url("event_checkin", "assembly"))
    data = {"key": form_key(page), "chosen_name": "  Nour   Haddad ", "phone": "514 555 0199",
            "email": "", "language": "es"}

    first = client.post(url("event_walk_in", "assembly"), data)
    second = client.post(url("event_walk_in", "assembly"), data)

    assert first.status_code == second.status_code == 302
    registration = Registration.objects.get(event=event, person__chosen_name="Nour Haddad")
    assert Registration.objects.filter(event=event).count() == 1
    assert registration.attended
    assert registration.source == Registration.Source.WALK_IN
    assert not registration.person.consent_sms
    followed = client.get(first["Location"])
    assert "Checked in: Nour Haddad" in followed.content.decode()


def test_the_walk_in_form_offers_the_events_first_language_and_unticked_consents(
        as_user, world, event):
    page = as_user(world.volunteer).get(url("event_walk_in", "assembly")).content.decode()

    assert re.search(r'<option value="es" selected>', page)
    consents = re.findall(r'<input type="checkbox" name="consent_\w+"[^>]*>', page)
    assert len(consents) == 2
    assert not any("checked" in box for box in consents)


def test_a_walk_in_without_a_name_is_not_added(as_user, world, event):
    client = as_user(world.volunteer)
    page = client.get(url("event_walk_in", "assembly"))

    response = client.post(url("event_walk_in", "assembly"),
                           {"key": form_key(page), "chosen_name": " ", "phone": "0142",
                            "language": "fr"})

    assert response.status_code == 400
    assert not Registration.objects.filter(event=event).exists()


def test_a_walk_in_already_registered_is_told_so_and_checked_in(as_user, world, event, josee):
    client = as_user(world.volunteer)
    page = client.get(url("event_checkin", "assembly"))

    response = client.post(url("event_walk_in", "assembly"),
                           {"key": form_key(page), "chosen_name": "Josée Tremblay",
                            "phone": "514-555-0142", "language": "fr"}, follow=True)

    assert "already registered: checked in" in response.content.decode()
    josee.refresh_from_db()
    assert josee.attended
    assert Registration.objects.filter(event=event).count() == 1


def test_the_french_count_agrees_with_each_number(as_user, world, josee, others):
    # « 1 présences pointées sur 11 inscriptions » read wrong: each number has its plural.
    client = as_user(world.volunteer)
    client.post(url("event_checkin_mark", "assembly", josee.pk))
    registered = Registration.objects.filter(event=josee.event).count()
    assert registered > 1

    html = client.get(url("event_checkin", "assembly", lang="fr")).content.decode()

    count = re.search(r'id="checkin-count">(.*?)</p>', html, re.S).group(1)
    assert count == f"<strong>1</strong> présence pointée sur {registered} inscriptions"
