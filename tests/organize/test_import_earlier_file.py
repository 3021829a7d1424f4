"""The column-choice page of an import says when the same file was already imported in
the organization: when, by whom, and that the organizer may still go on."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation

from solidaire.core.models import OrganizerRole
from solidaire.people.importing.services import person_import_run, person_import_undo_request
from solidaire.people.importing.tasks import person_import_undo_task
from solidaire.people.models import PersonImport

from tests.factories import make_organizer
from tests.organize.conftest import translated, url

SHEET = b"Name,Email\r\nAmina Diallo,amina@example.org\r\nLuc Tremblay,luc@example.org\r\n"
FLAGGED = "This same file was imported before."


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def uploaded(client, name: str, content: bytes = SHEET) -> PersonImport:
    response = client.post(url("imports"), {
        "file": SimpleUploadedFile(name, content, content_type="text/csv")})
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(re.search(r"/import/(\d+)/$", response.headers["Location"]).group(1))
    return PersonImport.objects.get(pk=pk)


def start(client, person_import: PersonImport, chapter: str):
    columns = {f"column_{index}": key for index, key in person_import.mapping.items()}
    return client.post(url("import_detail", pk=person_import.pk),
                       {**columns, "chapter": chapter})


def imported(client, name: str, chapter: str = "montreal") -> PersonImport:
    person_import = uploaded(client, name)
    assert start(client, person_import, chapter).status_code == 302
    person_import_run(import_id=person_import.pk)  # what the background worker does
    person_import.refresh_from_db()
    assert person_import.state == PersonImport.State.DONE
    return person_import


def when(person_import: PersonImport, lang: str) -> tuple[str, str]:
    with translation.override(lang):
        moment = timezone.localtime(person_import.finished_at)
        return (formats.date_format(moment, "DATE_FORMAT"),
                formats.time_format(moment, "TIME_FORMAT"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_same_file_uploaded_again_says_when_and_by_whom_and_can_still_be_imported(
        world, as_user, lang):
    world.montreal_organizer.first_name, world.montreal_organizer.last_name = "Nadia", "Roy"
    world.montreal_organizer.save()
    first = imported(as_user(world.montreal_organizer), "inscriptions.csv")

    # Another organizer of the same organization, the same bytes under another name.
    rimouski = as_user(world.rimouski_organizer)
    again = uploaded(rimouski, "copie.csv")
    page = rimouski.get(url("import_detail", pk=again.pk, lang=lang))
    assert page.status_code == 200
    html = page.content.decode()
    assert translated(lang, FLAGGED) in html
    day, time = when(first, lang)
    assert "Nadia Roy" in html and day in html and time in html
    # Rimouski may not open the Montréal organizer's import: no link to it.
    assert url("import_detail", pk=first.pk, lang=lang) not in html

    # They may go on all the same.
    assert start(rimouski, again, "bas-saint-laurent").status_code == 302
    again.refresh_from_db()
    assert again.state == PersonImport.State.QUEUED


def test_a_coordinator_gets_a_link_to_the_earlier_import(world, as_user):
    first = imported(as_user(world.montreal_organizer), "inscriptions.csv")
    coordinator = as_user(world.coordinator)
    again = uploaded(coordinator, "inscriptions.csv")
    html = coordinator.get(url("import_detail", pk=again.pk)).content.decode()
    assert translated("en", FLAGGED) in html
    assert url("import_detail", pk=first.pk) in html


def test_only_an_import_that_went_through_in_the_same_organization_counts(world, as_user):
    montreal = as_user(world.montreal_organizer)
    waiting = uploaded(montreal, "jamais-importé.csv")  # uploaded, never imported
    other = make_organizer(role=OrganizerRole.Role.COORDINATOR, username="msu-coordinator",
                           organization=world.other)
    imported(as_user(other), "other.csv", chapter="")
    undone = imported(as_user(world.montreal_organizer), "undone.csv")
    person_import_undo_request(person_import=undone, actor=world.montreal_organizer)
    person_import_undo_task.call(undone.pk)  # what the background worker does
    undone.refresh_from_db()
    assert undone.state == PersonImport.State.UNDONE

    again = uploaded(montreal, "copie.csv")
    html = montreal.get(url("import_detail", pk=again.pk)).content.decode()
    assert translated("en", FLAGGED) not in html
    other_file = uploaded(montreal, "autre.csv", SHEET + b"Eve Lapointe,eve@example.org\r\n")
    html = montreal.get(url("import_detail", pk=other_file.pk)).content.decode()
    assert translated("en", FLAGGED) not in html
    assert waiting.sha256 == again.sha256
