"""The printable sign-in sheet of an event, and finding who a typed paper line may be."""

import datetime
import subprocess

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from solidaire.core.pdf import html_to_pdf
from solidaire.events.models import Event, Registration
from solidaire.events.paper import (
    ALREADY_REGISTERED,
    MAYBE_SAME,
    paper_matches_find,
    sheet_context,
)
from solidaire.events.selectors import events_for_door_work

from tests.factories import EmailFactory, EventFactory, PersonFactory, RegistrationFactory
from tests.tools import require_program

URL = "https://solidaire.example.org/fr/events/assemblee-generale/"


@pytest.fixture
def event(world):
    return EventFactory(organization=world.centre, chapter=world.montreal,
                        slug="assemblee-generale", kind=Event.Kind.ASSEMBLY,
                        title={"fr": "Assemblée générale", "en": "General assembly"})


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run([require_program("pdftotext", "poppler-utils"), "-layout", "-", "-"],
                          input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


@pytest.mark.parametrize(("language", "title", "headings"), [
    ("fr", "Assemblée générale", ["Nom", "Téléphone", "Courriel", "Code postal"]),
    ("en", "General assembly", ["Name", "Phone", "E-mail", "Postal code", "Language",
                                "May we contact you?", "SMS", "Sheet no."]),
])
def test_the_sign_in_sheet_pdf_has_the_title_and_columns_in_the_readers_language(
        event, language, title, headings):
    with translation.override(language):
        pdf = html_to_pdf(render_to_string("events/pdf/sign_in_sheet.html",
                                           sheet_context(event=event, url=URL, rows=12)))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert title in text
    for heading in headings:
        assert heading in text
    # The short address wraps in its narrow box.
    assert "solidaire.example.org/fr/events/assemblee-generale" in "".join(text.split())


def test_the_sheet_prints_numbered_rows_the_place_and_a_privacy_line(event):
    with translation.override("en"):
        html = render_to_string("events/pdf/sign_in_sheet.html",
                                sheet_context(event=event, url=URL, rows=12))
    assert html.count('<td class="n">') == 12 and '<td class="n">12</td>' in html
    assert "Centre communautaire" in html and "Montréal" in html
    assert 'src="data:image/svg+xml' in html
    assert "uses this information only to count who came" in html
    assert "landscape" in html


def test_a_line_with_a_registered_e_mail_is_already_registered(event):
    registered = RegistrationFactory(event=event, person=PersonFactory(chosen_name="Ana Pérez"))
    EmailFactory(person=registered.person, address="ana@example.org")
    matches = paper_matches_find(event=event, name="A. P.", email="ana@example.org")
    assert [(m.kind, m.reason, m.registration_id) for m in matches] == [
        (ALREADY_REGISTERED, "contact", registered.pk)]


def test_the_same_name_folded_is_maybe_the_same_person(event):
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="José Núñez",
                                                          postal_code="H2X 1Y4"))
    matches = paper_matches_find(event=event, name="JOSE  nunez", postal_code="H2X 1Y4")
    assert [(m.kind, m.reason, m.name) for m in matches] == [
        (MAYBE_SAME, "name_postal", "José Núñez")]
    assert paper_matches_find(event=event, name="Someone Else") == []


def test_registrations_of_other_events_do_not_match(event):
    RegistrationFactory(person=PersonFactory(chosen_name="José Núñez"))
    assert paper_matches_find(event=event, name="José Núñez") == []


def test_volunteers_type_sheets_for_their_chapters_events_only(world, event):
    # All today: a volunteer's door opens only around an event (decision 0044).
    today = timezone.now() + datetime.timedelta(hours=2)
    Event.objects.filter(pk=event.pk).update(starts_at=today,
                                             ends_at=today + datetime.timedelta(hours=2))
    elsewhere = EventFactory(organization=world.centre, chapter=world.bsl, starts_at=today)
    centre_wide = EventFactory(organization=world.centre, starts_at=today)
    assert set(events_for_door_work(world.volunteer)) == {event, centre_wide}
    assert set(events_for_door_work(world.rimouski_organizer)) >= {elsewhere}
    assert event not in set(events_for_door_work(world.rimouski_organizer))


def test_a_registration_keeps_its_status_label_in_a_match(event):
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="Dev Singh"),
                        status=Registration.Status.WAITLISTED)
    with translation.override("en"):
        (match,) = paper_matches_find(event=event, name="Dev Singh")
        assert "On the waiting list" in match.detail
