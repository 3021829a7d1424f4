"""Attendance from a video-meeting participant report: reading, matching, marking once."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from solidaire.core.models import Activity, AuditEntry
from solidaire.events.activities import EVENT_ATTENDED
from solidaire.events.attendance import (
    AttendanceFileError,
    attendance_import,
    report_read,
)
from solidaire.events.models import AttendanceImport, Event, Registration
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import EmailAddress, Person

from tests.factories import EmailFactory, EventFactory, PersonFactory, RegistrationFactory

ZOOM = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "812 3456 7890,Séance d'information,11/21/2026 06:58:01 PM,11/21/2026 08:31:15 PM,"
    "hote@cti.org,94,4\n"
    "\n"
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "Marie Tremblay,marie@example.org,11/21/2026 06:59:10 PM,11/21/2026 07:30:00 PM,31,Yes\n"
    "Marie (Marie Tremblay),Marie@Example.org,11/21/2026 07:35:00 PM,11/21/2026 08:30:00 PM,"
    "55,Yes\n"
    "Jamal Haddad,jamal@example.org,11/21/2026 07:00:00 PM,11/21/2026 08:30:00 PM,90,Yes\n"
    "Inconnu Total,,11/21/2026 07:00:00 PM,11/21/2026 07:10:00 PM,10,Yes\n"
)


def _teams(rows: list[str]) -> bytes:
    text = (
        "1. Summary\n"
        "Meeting title\tSéance d'information\n"
        "Attended participants\t2\n"
        "\n"
        "2. Participants\n"
        "Full Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
        + "".join(row + "\n" for row in rows)
        + "\n3. In-Meeting Activities\nName\tJoin Time\tLeave Time\tDuration\n"
    )
    return text.encode("utf-16")


@pytest.fixture
def event(world):
    starts = datetime.datetime(2026, 11, 21, 19, tzinfo=ZoneInfo("America/Toronto"))
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="info-session",
                        format=Event.Format.ONLINE, languages=["fr", "en"], starts_at=starts)


def _registered(event, name: str, email: str = "", chapter=None) -> Registration:
    person = PersonFactory(chosen_name=name, home_chapter=chapter)
    if email:
        EmailFactory(person=person, address=email)
    return RegistrationFactory(event=event, person=person)


def test_zoom_report_skips_the_meeting_summary_and_sums_rejoins():
    report = report_read(ZOOM.encode())
    assert report.rows == 4
    by_email = {p.email: p for p in report.participants}
    assert set(by_email) == {"marie@example.org", "jamal@example.org", ""}
    assert by_email["marie@example.org"].minutes == 86  # 31 + 55, one participant
    assert by_email["marie@example.org"].name == "Marie Tremblay"
    assert by_email[""].name == "Inconnu Total"


def test_teams_report_in_utf16_with_tabs_and_hms_durations():
    report = report_read(_teams([
        "Ana Pérez\t11/21/26, 6:59:12 PM\t11/21/26, 8:30:00 PM\t1h 30m 48s\tana@example.org\t"
        "Attendee",
        "Li Wei\t11/21/26, 7:00:00 PM\t11/21/26, 7:45:00 PM\t45m\tli@example.org\tAttendee",
    ]))
    assert [(p.name, p.email, p.minutes) for p in report.participants] == [
        ("Ana Pérez", "ana@example.org", 91), ("Li Wei", "li@example.org", 45),
    ]


def test_google_meet_report_joins_first_and_last_names():
    csv_text = ("First name,Last name,Email,Duration,Time joined,Time exited\n"
                "Sofia,Gómez,sofia@example.org,1 hr 5 min,7:00 PM,8:05 PM\n")
    [participant] = report_read(csv_text.encode()).participants
    assert (participant.name, participant.email, participant.minutes) == (
        "Sofia Gómez", "sofia@example.org", 65)


def test_french_headers_in_windows_1252_with_times_only():
    csv_text = ("Nom;Courriel;Heure d'arrivée;Heure de départ\n"
                "Hélène Côté;helene@exemple.ca;2026-11-21 19:00:00;2026-11-21 20:15:00\n")
    [participant] = report_read(csv_text.encode("cp1252")).participants
    assert (participant.name, participant.email, participant.minutes) == (
        "Hélène Côté", "helene@exemple.ca", 75)


def test_french_google_meet_prenom_nom_means_given_and_family_name():
    csv_text = ("Prénom,Nom,Adresse e-mail,Durée\n"
                "Awa,Diallo,awa@exemple.ca,42 min\n")
    [participant] = report_read(csv_text.encode()).participants
    assert (participant.name, participant.minutes) == ("Awa Diallo", 42)


def test_unknown_headers_raise_a_clear_error_and_save_nothing(event):
    with pytest.raises(AttendanceFileError) as caught:
        attendance_import(event=event, file=b"Product,Price\nPen,2\n", filename="x.csv",
                          actor=None)
    assert isinstance(caught.value, ValueError)
    with translation.override("en"):
        assert "participant report" in str(caught.value.message)
    assert not AttendanceImport.objects.exists()
    assert not Activity.objects.filter(kind=EVENT_ATTENDED).exists()


def test_email_match_marks_the_registration_attended_with_summed_minutes(event, world):
    marie = _registered(event, "Marie Tremblay", "marie@example.org")
    result = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                               actor=world.coordinator)
    marie.refresh_from_db()
    assert marie.attended_at == event.starts_at
    assert marie.attendance_source == Registration.Attendance.IMPORT
    assert marie.minutes_online == 86
    assert result.matched_registrations == 1
    assert result.participants == 3 and result.rows == 4


def test_known_person_not_registered_gets_a_registration_from_the_report(event, world):
    jamal = PersonFactory(chosen_name="Jamal H.", home_chapter=world.cdn)
    EmailFactory(person=jamal, address="jamal@example.org")
    seats = event.seats_taken
    result = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                               actor=world.coordinator)
    registration = Registration.objects.get(event=event, person=jamal)
    assert registration.source == Registration.Source.IMPORT
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.minutes_online == 90 and registration.attended_at is not None
    assert not registration.first_time
    assert result.matched_people == 1
    event.refresh_from_db()
    assert event.seats_taken == seats + 2  # Jamal, and Marie who is new


def test_name_match_when_the_email_is_not_known(event, world):
    inconnu = _registered(event, "Inconnu  TOTAL")
    result = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                               actor=world.coordinator)
    inconnu.refresh_from_db()
    assert inconnu.attended_at is not None and inconnu.minutes_online == 10
    assert result.unmatched == 0 and result.unmatched_names == []


def test_name_shared_by_two_registered_people_stays_unmatched(event, world):
    _registered(event, "Inconnu Total")
    _registered(event, "Inconnu Total")
    result = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                               actor=world.coordinator)
    assert result.unmatched == 1 and result.unmatched_names == ["Inconnu Total"]


def test_unknown_email_becomes_a_new_person_registered_first_time(event, world):
    result = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                               actor=world.coordinator)
    person = Person.objects.get(emails__address="jamal@example.org")
    assert person.source == "event" and person.source_detail == "info-session"
    assert person.preferred_language == "fr"
    registration = Registration.objects.get(event=event, person=person)
    assert registration.first_time and registration.source == Registration.Source.IMPORT
    assert result.new_people == 2  # Marie and Jamal
    assert Activity.objects.filter(person=person, kind=PERSON_CREATED).count() == 1
    assert person.emails.get().is_primary
    assert EmailAddress.objects.filter(address="marie@example.org").count() == 1


def test_ledger_gets_one_attended_row_per_person_with_the_event_shape(event, world):
    _registered(event, "Marie Tremblay", "marie@example.org", chapter=world.cdn)
    attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                      actor=world.coordinator)
    rows = Activity.objects.filter(kind=EVENT_ATTENDED)
    assert rows.count() == 2
    for row in rows:
        assert row.object_type == ContentType.objects.get_for_model(Event)
        assert row.object_id == event.pk
        assert row.chapter_id == world.montreal.pk  # the event's chapter
        assert row.occurred_at == event.starts_at
        assert row.campaign_id == event.campaign_id


def test_reimporting_the_same_report_changes_nothing(event, world):
    marie = _registered(event, "Marie Tremblay", "marie@example.org")
    attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                      actor=world.coordinator)
    marie.refresh_from_db()
    first = (marie.attended_at, marie.minutes_online)
    registrations = Registration.objects.count()
    ledger = Activity.objects.filter(kind=EVENT_ATTENDED).count()
    people = Person.objects.count()
    event.refresh_from_db()
    seats = event.seats_taken

    again = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                              actor=world.coordinator)
    marie.refresh_from_db()
    event.refresh_from_db()
    assert (marie.attended_at, marie.minutes_online) == first
    assert Registration.objects.count() == registrations
    assert Activity.objects.filter(kind=EVENT_ATTENDED).count() == ledger
    assert Person.objects.count() == people
    assert event.seats_taken == seats
    assert again.already_marked == 2 and again.newly_marked == 0
    assert again.new_people == 0


def test_checked_in_person_is_already_marked_and_gets_no_second_ledger_row(event, world):
    marie = _registered(event, "Marie Tremblay", "marie@example.org")
    Registration.objects.filter(pk=marie.pk).update(
        attended_at=event.starts_at, attendance_source=Registration.Attendance.CHECK_IN)
    result = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                               actor=world.coordinator)
    marie.refresh_from_db()
    assert marie.attendance_source == Registration.Attendance.CHECK_IN
    assert marie.minutes_online == 86
    assert result.already_marked == 1
    assert not Activity.objects.filter(person=marie.person,
                                       kind=EVENT_ATTENDED).exists()


def test_import_is_audited(event, world):
    result = attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                               actor=world.coordinator)
    entry = AuditEntry.objects.get(action="solidaire.event.attendance_imported")
    assert entry.actor == world.coordinator and entry.object_id == str(result.pk)
    assert "marie@example.org" not in str(entry.data)


def test_waitlisted_person_who_came_takes_a_seat(event, world):
    marie = _registered(event, "Marie Tremblay", "marie@example.org")
    Registration.objects.filter(pk=marie.pk).update(status=Registration.Status.WAITLISTED)
    event.refresh_from_db()
    seats = event.seats_taken
    attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv", actor=None)
    marie.refresh_from_db()
    event.refresh_from_db()
    assert marie.status == Registration.Status.CONFIRMED and marie.attended_at is not None
    assert event.seats_taken == seats + 2  # Marie, and Jamal who is new


def test_unmatched_names_are_kept_up_to_500_but_all_counted(event):
    rows = "".join(f"Personne {n},,,,15,Yes\n" for n in range(600))
    text = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    result = attendance_import(event=event, file=(text + rows).encode(), filename="z.csv",
                               actor=None)
    assert result.unmatched == 600 and len(result.unmatched_names) == 500
    assert not Registration.objects.filter(event=event).exists()
