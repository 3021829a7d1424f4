"""Every upload shares the people import's limits, over HTTP: the lists of targets, the
participant reports of video meetings and the toolkit files. A hostile or oversized
file gets a clear message on its own page (never a 500), and one account's uploads of
every kind count against one hourly quota."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from solidaire.campaigns.models import Resource, Target
from solidaire.events.models import AttendanceImport
from solidaire.people.models import PersonImport

from tests.factories import CampaignFactory, EventFactory
from tests.organize.conftest import url
from tests.upload_files import xlsx_with_entities

HUGE_FIELD = b"x" * 1_100_000  # over a megabyte in one cell: a 500 before


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def event(world):
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="info-zoom",
                        starts_at=timezone.now() - datetime.timedelta(days=1))


@pytest.fixture
def campaign(world):
    return CampaignFactory(organization=world.centre, chapter=world.montreal, slug="status")


def csv_file(content: bytes, name="list.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode().replace("\xa0", " ")


def test_a_list_of_targets_with_a_huge_cell_gets_a_clear_message(world, as_user):
    content = b"Nom;Courriel;Notes\r\nElise Roy;elise@example.org;" + HUGE_FIELD + b"\r\n"
    response = as_user(world.coordinator).post(url("target_import"),
                                               {"file": csv_file(content), "update": "on"})
    assert "Row 2 of this file holds a cell of more than 32,767 characters" in page_text(
        response)
    assert not Target.objects.exists()


def test_a_workbook_sent_as_a_list_of_targets_is_not_read(world, as_user):
    response = as_user(world.coordinator).post(
        url("target_import"), {"file": csv_file(xlsx_with_entities(), "cibles.csv")})
    assert "This file is not a CSV file." in page_text(response)


def test_a_participant_report_with_a_huge_cell_gets_a_clear_message(world, as_user, event):
    content = (b"Name (Original Name),User Email,Duration (Minutes)\r\n"
               b"Ana," + HUGE_FIELD + b",60\r\n")
    response = as_user(world.montreal_organizer).post(
        url("event_attendance_import", slug="info-zoom"),
        {"file": csv_file(content, "participants.csv")})
    assert "Row 2 of this file holds a cell of more than 32,767 characters" in page_text(
        response)
    assert not AttendanceImport.objects.exists()


def test_a_participant_report_with_too_many_columns_gets_a_clear_message(world, as_user,
                                                                        event):
    header = ",".join(["Name", "User Email"] + [f"Q{i}" for i in range(600)])
    content = f"{header}\r\nAna,ana@example.org\r\n".encode()
    response = as_user(world.montreal_organizer).post(
        url("event_attendance_import", slug="info-zoom"),
        {"file": csv_file(content, "participants.csv")})
    assert "This file has more than 500 columns." in page_text(response)


def test_a_toolkit_file_past_the_upload_limit_is_not_kept(world, as_user, campaign, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024  # below the toolkit's own 20 MB
    big = SimpleUploadedFile("flyer.pdf", b"%PDF-1.4\n" + b"x" * 2_000_000,
                             content_type="application/pdf")
    response = as_user(world.montreal_organizer).post(
        url("resource_add", "status"),
        {"kind": "flyer", "title": "Flyer", "language": "fr", "url": "", "file": big})
    assert "This file is too big (1.9 MB). The limit is 1 MB" in page_text(response)
    assert not Resource.objects.exists()


def test_uploads_of_every_kind_count_against_one_hourly_quota(world, as_user, event,
                                                              campaign, settings):
    settings.UPLOADS_PER_HOUR = 3
    client = as_user(world.montreal_organizer)
    people = client.post(url("imports"), {"file": csv_file(b"Name,Phone\r\nA,5145550101\r\n")})
    assert people.status_code == 302
    report = client.post(url("event_attendance_import", slug="info-zoom"), {"file": csv_file(
        b"Name,User Email,Duration (Minutes)\r\nAna,ana@example.org,60\r\n")})
    assert report.status_code == 302
    flyer = client.post(url("resource_add", "status"), {
        "kind": "flyer", "title": "Flyer", "language": "fr", "url": "",
        "file": SimpleUploadedFile("flyer.pdf", b"%PDF-1.4\nx", "application/pdf")})
    assert flyer.status_code == 302

    quota = "You have uploaded 3 files in the last hour, the most an account may."
    targets = client.post(url("target_import"), {"file": csv_file(
        b"Nom;Courriel\r\nElise Roy;elise@example.org\r\n"), "update": "on"})
    assert quota in page_text(targets)
    assert not Target.objects.exists()
    again = client.post(url("imports"), {"file": csv_file(b"Name,Phone\r\nB,5145550102\r\n")})
    assert quota in page_text(again)
    assert PersonImport.objects.count() == 1
    # A link is no upload: the toolkit still takes one.
    link = client.post(url("resource_add", "status"), {
        "kind": "faq", "title": "FAQ", "language": "fr", "url": "https://example.org/faq"})
    assert link.status_code == 302
