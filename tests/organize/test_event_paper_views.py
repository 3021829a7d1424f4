"""Printing an event's sign-in sheet and typing the sheets back in."""

import datetime
import re
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from solidaire.core.models import Activity
from solidaire.events.activities import EVENT_ATTENDED
from solidaire.events.models import Event, Registration
from solidaire.people.models import Person

from tests.factories import EmailFactory, EventFactory, PersonFactory, RegistrationFactory
from tests.organize.conftest import url
from tests.tools import require_program

SLUG = "assemblee-generale"


@pytest.fixture
def event(world):
    # Last night: a volunteer's door stays open two days after the end (decision 0044).
    return EventFactory(organization=world.centre, chapter=world.montreal, slug=SLUG,
                        starts_at=timezone.now() - datetime.timedelta(hours=20),
                        kind=Event.Kind.ASSEMBLY,
                        title={"fr": "Assemblée générale", "en": "General assembly"})


def form_key(response) -> str:
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def entry(client, **fields):
    """Open the entry page (for its form key), then post one line."""
    page = client.get(url("event_paper", SLUG), {"sheet": fields.get("sheet_number", "")})
    data = {"key": form_key(page), "sheet_number": "4", "language": "fr", "name": "",
            "postal_code": "", "email": "", "phone": ""}
    data.update(fields)
    return client.post(url("event_paper", SLUG), data)


def attended_rows(person) -> int:
    return Activity.objects.filter(person=person, kind=EVENT_ATTENDED,
                                   object_type=ContentType.objects.get_for_model(Event)).count()


@pytest.mark.parametrize(("lang", "title", "heading"), [("fr", "Assemblée générale", "Nom"),
                                                        ("en", "General assembly", "Name")])
def test_the_sign_in_sheet_is_a_pdf_in_the_page_language(world, event, as_user, lang, title,
                                                          heading):
    response = as_user(world.montreal_organizer).get(url("event_sheet", SLUG, lang=lang),
                                                     {"rows": "10"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = subprocess.run([require_program("pdftotext", "poppler-utils"), "-layout", "-", "-"],
                          input=response.content,
                          capture_output=True, check=True).stdout.decode()
    assert title in text and heading in text
    assert re.search(r"^\s*10\s", text, re.M) and not re.search(r"^\s*11\s", text, re.M)


def test_a_typed_line_adds_a_person_who_came_from_the_paper_sheet(world, event, as_user):
    client = as_user(world.volunteer)
    response = entry(client, name="Ana Pérez", postal_code="h2x1y4", email="Ana@Example.org",
                     phone="514 555 0123", consent_email="on")
    assert response.status_code == 302
    assert response["Location"] == url("event_paper", SLUG) + "?sheet=4&language=fr"
    registration = Registration.objects.get(event=event)
    assert (registration.source, registration.sheet_number, registration.attendance_source) \
        == (Registration.Source.PAPER, "4", Registration.Attendance.PAPER)
    assert registration.attended and registration.checked_in_by == world.volunteer
    person = Person.objects.get(emails__address="ana@example.org")
    assert registration.person == person
    assert (person.consent_email, person.consent_sms) == (True, False)
    assert attended_rows(person) == 1

    html = client.get(response["Location"]).content.decode()
    assert "Saved: 1 on sheet 4." in html
    assert 'name="sheet_number" value="4"' in html
    assert re.search(r'name="name"[^>]*autofocus', html)
    assert "Ana Pérez" in html and "Last entries on sheet 4" in html


def test_a_registered_person_typed_in_is_marked_present_not_duplicated(world, event, as_user):
    person = PersonFactory(chosen_name="Ana Pérez")
    EmailFactory(person=person, address="ana@example.org")
    registration = RegistrationFactory(event=event, person=person)
    people = Person.objects.count()
    client = as_user(world.montreal_organizer)
    response = entry(client, name="Ana P.", email="ANA@example.org")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended
    assert registration.attendance_source == Registration.Attendance.PAPER
    assert Registration.objects.filter(event=event).count() == 1
    assert Person.objects.count() == people
    assert attended_rows(person) == 1
    assert "was registered: marked as present" in client.get(response["Location"]) \
        .content.decode()


def test_the_same_name_asks_save_anyway_then_saves(world, event, as_user):
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="José Núñez",
                                                          postal_code="H2X 1Y4"))
    client = as_user(world.volunteer)
    line = {"name": "Jose Nunez", "postal_code": "H2X 1Y4"}
    response = entry(client, **line)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Maybe the same person" in html and "same name and postal code" in html
    assert re.search(r'name="save_anyway"[^>]*autofocus', html)
    assert 'value="Jose Nunez"' in html
    assert Registration.objects.filter(event=event).count() == 1

    data = {"key": form_key(response), "sheet_number": "4", "language": "fr", "email": "",
            "phone": "", "save_anyway": "on", **line}
    assert client.post(url("event_paper", SLUG), data).status_code == 302
    assert Registration.objects.filter(event=event).count() == 2


def test_the_sheet_number_and_language_are_kept_between_lines(world, event, as_user):
    client = as_user(world.volunteer)
    response = entry(client, name="Dev Singh", sheet_number="17", language="en")
    assert response["Location"].endswith("?sheet=17&language=en")
    html = client.get(response["Location"]).content.decode()
    assert 'name="sheet_number" value="17"' in html
    assert re.search(r'<option value="en" selected>', html)


def test_the_same_form_posted_twice_saves_once(world, event, as_user):
    client = as_user(world.volunteer)
    page = client.get(url("event_paper", SLUG))
    assert re.search(r'name="sheet_number"[^>]*autofocus', page.content.decode())
    data = {"key": form_key(page), "sheet_number": "3", "language": "en", "name": "Ana",
            "postal_code": "", "email": "", "phone": ""}
    assert client.post(url("event_paper", SLUG), data).status_code == 302
    again = client.post(url("event_paper", SLUG), data)
    assert again.status_code == 302 and "sheet=3" in again["Location"]
    assert Registration.objects.filter(event=event).count() == 1
    assert attended_rows(Registration.objects.get().person) == 1


def test_bad_contact_details_keep_what_was_typed(world, event, as_user):
    client = as_user(world.volunteer)
    with translation.override("en"):
        response = entry(client, name="Ana Pérez", postal_code="12345", email="ana@")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Ana Pérez"' in html and 'value="ana@"' in html
    assert not Registration.objects.exists()


def test_volunteers_may_and_out_of_scope_organizers_get_404(world, event, as_user):
    assert as_user(world.volunteer).get(url("event_paper", SLUG)).status_code == 200
    assert as_user(world.volunteer).get(url("event_sheet", SLUG)).status_code == 200
    client = as_user(world.rimouski_organizer)
    assert client.get(url("event_paper", SLUG)).status_code == 404
    assert client.get(url("event_sheet", SLUG)).status_code == 404
    assert client.post(url("event_paper", SLUG), {"name": "X"}).status_code == 404
    assert not Registration.objects.exists()


def sheet_text(response) -> str:
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return subprocess.run([require_program("pdftotext", "poppler-utils"), "-layout", "-", "-"],
                          input=response.content, capture_output=True,
                          check=True).stdout.decode()


def test_the_sign_in_sheet_lists_the_registered_by_name_and_blank_keeps_it_empty(
        world, event, as_user):
    ana = RegistrationFactory(event=event, person=PersonFactory(chosen_name="Ana Pérez"))
    EmailFactory(person=ana.person, address="ana@example.org")
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="Bea Cancelled"),
                        status=Registration.Status.CANCELLED)
    RegistrationFactory(person=PersonFactory(chosen_name="Elsewhere Person"))
    client = as_user(world.montreal_organizer)

    text = sheet_text(client.get(url("event_sheet", SLUG, lang="en"), {"rows": "10"}))
    assert re.search(r"^\s*1\s.*Ana Pérez", text, re.M)
    # The walk-in rows are numbered on from the names: 2 to 11.
    assert re.search(r"^\s*11\s", text, re.M) and not re.search(r"^\s*12\s", text, re.M)
    assert "Bea Cancelled" not in text and "Elsewhere Person" not in text
    assert "ana@example.org" not in text

    blank = sheet_text(client.get(url("event_sheet", SLUG, lang="en"),
                                  {"rows": "10", "blank": "1"}))
    assert "Ana Pérez" not in blank and "Present" not in blank
    assert re.search(r"^\s*10\s", blank, re.M) and not re.search(r"^\s*11\s", blank, re.M)


def test_a_volunteer_at_the_door_gets_the_names_too(world, event, as_user):
    # The check-in page shows them the same names.
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="Ana Pérez"))
    text = sheet_text(as_user(world.volunteer).get(url("event_sheet", SLUG, lang="en")))
    assert "Ana Pérez" in text


@pytest.mark.parametrize(("lang", "named", "blank"), [
    ("en", "with the names of the people registered", "blank, with no names"),
    ("fr", "avec le nom des personnes inscrites", "vierge, sans aucun nom"),
])
def test_the_event_page_offers_both_sheets(world, event, as_user, lang, named, blank):
    html = as_user(world.montreal_organizer).get(url("event_detail", SLUG, lang=lang)) \
        .content.decode()
    sheet = url("event_sheet", SLUG, lang=lang)
    assert f'<a href="{sheet}">{named}</a>' in html
    assert f'<a href="{sheet}?blank=1">{blank}</a>' in html
