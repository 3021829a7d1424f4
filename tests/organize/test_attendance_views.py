"""The attendance-report pages: upload, what was matched, and who may see them."""

import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solidaire.core.models import AuditEntry
from solidaire.events.models import AttendanceImport, Registration

from tests.factories import EmailFactory, EventFactory, PersonFactory, RegistrationFactory
from tests.organize.conftest import url

pytestmark = pytest.mark.django_db

REPORT = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "Ana Montréal,ana@example.org,11/21/2026 07:00:00 PM,11/21/2026 08:00:00 PM,60,No\n"
    "Quelqu'un Sans-courriel,,11/21/2026 07:00:00 PM,11/21/2026 07:15:00 PM,15,Yes\n"
)


@pytest.fixture
def event(world):
    starts = datetime.datetime(2026, 11, 21, 19, tzinfo=ZoneInfo("America/Toronto"))
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="info-zoom",
                        starts_at=starts)


@pytest.fixture
def ana(world, event):
    EmailFactory(person=world.in_montreal, address="ana@example.org")
    return RegistrationFactory(event=event, person=world.in_montreal)


def _upload(text: str = REPORT, name: str = "participants.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_upload_marks_attendance_and_shows_counts_and_unmatched_names(as_user, world, ana):
    client = as_user(world.montreal_organizer)
    response = client.post(url("event_attendance_import", slug="info-zoom"),
                           {"file": _upload()}, follow=True)
    assert response.status_code == 200
    attendance = AttendanceImport.objects.get()
    assert response.redirect_chain[-1][0] == url(
        "event_attendance_import_detail", slug="info-zoom", pk=attendance.pk)
    ana.refresh_from_db()
    assert ana.attended_at is not None and ana.minutes_online == 60
    page = response.content.decode()
    assert "Quelqu&#x27;un Sans-courriel" in page
    assert "Names not matched" in page
    assert AuditEntry.objects.filter(action="solidaire.event.attendance_imported").exists()


def test_upload_page_lists_previous_reports(as_user, world, ana):
    client = as_user(world.montreal_organizer)
    client.post(url("event_attendance_import", slug="info-zoom"), {"file": _upload()})
    page = client.get(url("event_attendance_import", slug="info-zoom")).content.decode()
    assert "participants.csv" in page and "Previous reports" in page


def test_second_upload_says_everyone_was_already_marked(as_user, world, ana):
    client = as_user(world.montreal_organizer)
    client.post(url("event_attendance_import", slug="info-zoom"), {"file": _upload()})
    response = client.post(url("event_attendance_import", slug="info-zoom"),
                           {"file": _upload()}, follow=True)
    assert "1 was already marked as attended" in response.content.decode()
    assert Registration.objects.filter(event__slug="info-zoom").count() == 1


def test_unknown_file_shows_the_error_and_saves_nothing(as_user, world, ana):
    client = as_user(world.montreal_organizer)
    response = client.post(url("event_attendance_import", slug="info-zoom"),
                           {"file": _upload("Produit,Prix\nStylo,2\n", "prix.csv")})
    assert response.status_code == 200
    assert "not a participant report we know" in response.content.decode()
    assert not AttendanceImport.objects.exists()
    ana.refresh_from_db()
    assert ana.attended_at is None


def test_missing_file_is_a_clear_error(as_user, world, event):
    response = as_user(world.montreal_organizer).post(
        url("event_attendance_import", slug="info-zoom"), {})
    assert "Choose the participant report to upload." in response.content.decode()


def test_organizer_of_another_chapter_and_volunteer_get_404(as_user, world, event, client):
    for user in (world.rimouski_organizer, world.volunteer):
        client.force_login(user)
        assert client.get(url("event_attendance_import", slug="info-zoom")).status_code == 404
        assert client.post(url("event_attendance_import", slug="info-zoom"),
                           {"file": _upload()}).status_code == 404
    assert not AttendanceImport.objects.exists()


def test_report_of_another_event_is_404(as_user, world, event):
    other = EventFactory(organization=world.centre, chapter=world.montreal, slug="other")
    attendance = AttendanceImport.objects.create(event=other, filename="x.csv")
    client = as_user(world.coordinator)
    assert client.get(url("event_attendance_import_detail", slug="info-zoom",
                          pk=attendance.pk)).status_code == 404
    assert client.get(url("event_attendance_import_detail", slug="other",
                          pk=attendance.pk)).status_code == 200


def test_new_person_from_report_is_registered_first_time(as_user, world, event):
    text = REPORT.replace("ana@example.org", "nouvelle@example.org")
    as_user(world.coordinator).post(url("event_attendance_import", slug="info-zoom"),
                                    {"file": _upload(text)})
    registration = Registration.objects.get(event=event,
                                            person__emails__address="nouvelle@example.org")
    assert registration.first_time and registration.attended_at is not None
    assert PersonFactory._meta.model.objects.filter(source="event").count() == 1


def test_result_page_lists_who_was_matched_and_links_only_people_the_reader_sees(
        as_user, world, ana, client):
    EmailFactory(person=world.in_bsl, address="carlos@example.org")
    text = REPORT + (
        "Carlos R,carlos@example.org,11/21/2026 07:00:00 PM,11/21/2026 07:40:00 PM,40,Yes\n"
        "Nouvelle Venue,nouvelle@example.org,11/21/2026 07:00:00 PM,11/21/2026 07:30:00 PM,"
        "30,Yes\n")
    as_user(world.coordinator).post(url("event_attendance_import", slug="info-zoom"),
                                    {"file": _upload(text)})
    attendance = AttendanceImport.objects.get()
    detail = url("event_attendance_import_detail", slug="info-zoom", pk=attendance.pk)
    client.force_login(world.montreal_organizer)
    page = client.get(detail).content.decode()
    assert "Who was matched" in page
    assert f'href="{url("person_detail", pk=world.in_montreal.pk)}"' in page
    # Carlos belongs to Bas-Saint-Laurent: his name from the report, and no link.
    assert "Carlos R" in page
    assert f'href="{url("person_detail", pk=world.in_bsl.pk)}"' not in page
    assert "new contact" in page and "already known" in page and ">40<" in page
    assert "@example.org" not in page


def test_result_page_names_who_was_too_briefly_there(as_user, world, ana):
    text = REPORT + (
        "Salle Attente,attente@example.org,11/21/2026 06:58:00 PM,11/21/2026 07:00:00 PM,2,"
        "Yes\n")
    response = as_user(world.montreal_organizer).post(
        url("event_attendance_import", slug="info-zoom"), {"file": _upload(text)}, follow=True)
    page = response.content.decode()
    assert "Too briefly present" in page and "Salle Attente (2 minutes)" in page


def test_report_before_the_event_starts_is_refused_with_a_clear_message(as_user, world):
    EventFactory(organization=world.centre, chapter=world.montreal, slug="a-venir")
    response = as_user(world.montreal_organizer).post(
        url("event_attendance_import", slug="a-venir", lang="fr"),
        {"file": _upload()})
    assert response.status_code == 200
    assert "n'a pas encore commencé" in unescape(response.content.decode())
    assert not AttendanceImport.objects.exists()
