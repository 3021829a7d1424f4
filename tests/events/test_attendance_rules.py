"""Who a video-meeting report may mark present: not the host nor the organization's own
organizers, not the waiting room, not a two-minute visit, and only after the event began
on the day of the meeting (decision 0064)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from solidaire.events.attendance import AttendanceFileError, attendance_import
from solidaire.events.models import AttendanceImport, Event, Registration
from solidaire.people.models import EmailAddress, Person

from tests.factories import EmailFactory, EventFactory, PersonFactory, RegistrationFactory

MONTREAL = ZoneInfo("America/Toronto")
STARTS = datetime.datetime(2026, 11, 21, 19, 0, tzinfo=MONTREAL)
SUMMARY = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "812 3456 7890,Séance,11/21/2026 06:58:01 PM,11/21/2026 08:31:15 PM,"
    "hote@cti.org,94,4\n"
    "\n"
)
HEADER = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
          "In Waiting Room\n")


def _row(name, email, minutes, waiting="No", guest="Yes", day="11/21/2026"):
    return (f"{name},{email},{day} 07:00:00 PM,{day} 08:00:00 PM,{minutes},{guest},"
            f"{waiting}\n")


@pytest.fixture
def event(world):
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="rules",
                        format=Event.Format.ONLINE, starts_at=STARTS,
                        ends_at=STARTS + datetime.timedelta(hours=2))


def _import(event, text, actor=None):
    return attendance_import(event=event, file=text.encode(), filename="zoom.csv", actor=actor)


def test_summary_host_email_is_skipped_and_never_becomes_a_contact(event):
    result = _import(event, SUMMARY + HEADER + _row("Hôte CTI", "hote@cti.org", 94, guest="No")
                     + _row("Nadia Nouvelle", "nadia@example.org", 60))
    assert not EmailAddress.objects.filter(address="hote@cti.org").exists()
    assert result.hosts_skipped == 1 and result.new_people == 1
    assert Registration.objects.filter(event=event).count() == 1


def test_host_column_yes_is_skipped(event):
    text = ("Name,Email,Duration,Host\n"
            "Animatrice,anim@example.org,90,Yes\n"
            "Sami Participant,sami@example.org,90,No\n")
    result = _import(event, text)
    assert not EmailAddress.objects.filter(address="anim@example.org").exists()
    assert result.hosts_skipped == 1 and result.new_people == 1


def test_teams_organizer_role_is_skipped(event):
    text = ("Full Name\tEmail\tDuration\tRole\n"
            "Org Anisatrice\torg@example.org\t1h 30m\tOrganizer\n"
            "Li Wei\tli@example.org\t45m\tAttendee\n")
    result = _import(event, text)
    assert result.hosts_skipped == 1
    assert not EmailAddress.objects.filter(address="org@example.org").exists()


def test_organizer_account_email_of_the_organization_is_skipped(event, world):
    world.coordinator.email = "Coordo@CTI.org"
    world.coordinator.save()
    result = _import(event, HEADER + _row("Coordo", "coordo@cti.org", 90, guest="No"))
    assert result.hosts_skipped == 1 and result.new_people == 0
    assert not Person.objects.filter(emails__address="coordo@cti.org").exists()


def test_waiting_room_only_is_not_present_and_not_a_contact(event):
    result = _import(event, SUMMARY + HEADER + _row("Salle Attente", "attente@example.org", 2,
                                                    waiting="Yes"))
    assert not EmailAddress.objects.filter(address="attente@example.org").exists()
    assert result.newly_marked == 0 and result.too_short == 1


def test_waiting_room_minutes_do_not_count_towards_presence(event):
    registration = RegistrationFactory(event=event, person=PersonFactory(chosen_name="Rita"))
    EmailFactory(person=registration.person, address="rita@example.org")
    _import(event, HEADER + _row("Rita", "rita@example.org", 30, waiting="Yes")
            + _row("Rita", "rita@example.org", 20))
    registration.refresh_from_db()
    assert registration.attended_at is not None and registration.minutes_online == 20


def test_a_short_visit_is_not_marked_present(event):
    registration = RegistrationFactory(event=event, person=PersonFactory(chosen_name="Bref"))
    EmailFactory(person=registration.person, address="bref@example.org")
    result = _import(event, HEADER + _row("Bref", "bref@example.org", 4)
                     + _row("Bref", "bref@example.org", 5))
    registration.refresh_from_db()
    assert registration.attended_at is None
    assert result.too_short == 1 and result.newly_marked == 0


def test_rejoins_adding_up_to_the_threshold_are_present(event):
    registration = RegistrationFactory(event=event, person=PersonFactory(chosen_name="Rejoint"))
    EmailFactory(person=registration.person, address="rejoint@example.org")
    _import(event, HEADER + _row("Rejoint", "rejoint@example.org", 6)
            + _row("Rejoint", "rejoint@example.org", 4))
    registration.refresh_from_db()
    assert registration.attended_at is not None and registration.minutes_online == 10


def test_event_not_started_refuses_the_report_in_the_organizers_language(world):
    future = EventFactory(organization=world.centre, chapter=world.montreal, slug="bientot")
    with translation.override("fr"), pytest.raises(AttendanceFileError) as caught:
        _import(future, HEADER + _row("Nadia", "nadia@example.org", 60))
    assert caught.value.code == "not_started"
    # The message is lazy: the page renders it in the organizer's language. Render it in
    # French here, whatever language an earlier test left active in this process.
    with translation.override("fr"):
        assert "n'a pas encore commencé" in str(caught.value.message)
    assert not AttendanceImport.objects.exists() and not Person.objects.filter(
        emails__address="nadia@example.org").exists()


def test_report_of_a_meeting_days_away_from_the_event_is_refused(event):
    with translation.override("en"), pytest.raises(AttendanceFileError) as caught:
        _import(event, HEADER + _row("Nadia", "nadia@example.org", 60, day="11/14/2026"))
    assert caught.value.code == "other_date"
    with translation.override("en"):
        assert "Nov. 14, 2026" in str(caught.value.message)
    assert not AttendanceImport.objects.exists()


def test_report_of_the_same_day_passes_the_date_check(event):
    result = _import(event, SUMMARY + HEADER + _row("Nadia", "nadia@example.org", 60))
    assert result.newly_marked == 1


def test_result_lists_who_was_matched_how_and_if_created(event):
    known = PersonFactory(chosen_name="Marie Tremblay")
    EmailFactory(person=known, address="marie@example.org")
    RegistrationFactory(event=event, person=known)
    by_name = RegistrationFactory(event=event, person=PersonFactory(chosen_name="Jamal Haddad"))
    result = _import(event, HEADER + _row("Marie T", "marie@example.org", 50)
                     + _row("Jamal Haddad", "", 40) + _row("Nadia", "nadia@example.org", 30)
                     + _row("Bref", "bref@example.org", 3))
    nadia = Person.objects.get(emails__address="nadia@example.org")
    listed = {entry["person"]: entry for entry in result.people}
    assert listed[known.pk] == {"person": known.pk, "name": "Marie T", "how": "email",
                                "created": False, "minutes": 50}
    assert listed[by_name.person_id]["how"] == "name"
    assert listed[nadia.pk]["created"] is True and listed[nadia.pk]["minutes"] == 30
    assert [e["name"] for e in result.people if e["how"] == "too_short"] == ["Bref"]
    assert not any("@" in str(value) for entry in result.people for value in entry.values())
