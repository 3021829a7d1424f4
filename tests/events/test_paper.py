"""The printable sign-in sheet of an event, and finding who a typed paper line may be."""

import datetime
import itertools
import re
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
    sheet_registrant_names,
)
from solidaire.events.selectors import events_for_door_work

from tests.factories import (
    EmailFactory,
    EventFactory,
    PersonFactory,
    PhoneFactory,
    RegistrationFactory,
)
from tests.tools import require_program

URL = "https://solidaire.example.org/fr/events/assemblee-generale/"


@pytest.fixture
def event(world):
    return EventFactory(organization=world.centre, chapter=world.montreal,
                        slug="assemblee-generale", kind=Event.Kind.ASSEMBLY,
                        title={"fr": "Assemblée générale", "en": "General assembly"})


# 9 mm in PDF points: the least height to write a name by hand.
NINE_MM = 9 / 25.4 * 72


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


def row_number_tops(pdf: bytes) -> dict[int, float]:
    """The top of each row number printed in the sheet's first column, on the first page."""
    done = subprocess.run([require_program("pdftotext", "poppler-utils"), "-bbox", "-f", "1",
                           "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True)
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>',
                       done.stdout.decode())
    # The row numbers: below the first table's "#" heading, in its narrow first column.
    heading = next(float(top) for left, top, text in words if text == "#")
    return {int(text): float(top) for left, top, text in words
            if text.isdigit() and float(left) < 60 and float(top) > heading}


@pytest.mark.parametrize("registered", [False, True])
def test_sheet_rows_are_at_least_nine_millimetres_tall(event, registered):
    names = ["Ana Pérez", "Dev Singh", "Zoé Tremblay"] if registered else []
    with translation.override("en"):
        context = (sheet_context(event=event, url=URL, rows=10, registrants=names) if registered
                   else sheet_context(event=event, url=URL, rows=10))
        pdf = html_to_pdf(render_to_string("events/pdf/sign_in_sheet.html", context))
    tops = row_number_tops(pdf)
    assert len(tops) >= 6
    numbers = sorted(tops)
    assert numbers[0] == 1
    spacings = [tops[b] - tops[a] for a, b in itertools.pairwise(numbers)
                if b == a + 1 and tops[b] > tops[a]
                # Not across the heading between the registered and the walk-ins.
                and not (registered and a == len(names))]
    assert len(spacings) >= 5
    assert min(spacings) >= NINE_MM


def test_the_pre_filled_sheet_has_the_names_only_sorted_then_blank_rows(event):
    zoe = RegistrationFactory(event=event, person=PersonFactory(chosen_name="Zoé Tremblay"))
    EmailFactory(person=zoe.person, address="zoe@example.org")
    PhoneFactory(person=zoe.person, number="+15145550199")
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="émile Roy"),
                        status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="Ana Pérez"))
    RegistrationFactory(event=event, person=PersonFactory(chosen_name="Carl Cancelled"),
                        status=Registration.Status.CANCELLED)
    RegistrationFactory(person=PersonFactory(chosen_name="Other Event"))

    names = sheet_registrant_names(event)
    assert names == ["Ana Pérez", "émile Roy", "Zoé Tremblay"]
    with translation.override("en"):
        context = sheet_context(event=event, url=URL, rows=10, registrants=names)
        html = render_to_string("events/pdf/sign_in_sheet.html", context)
        text = pdf_text(html_to_pdf(html))
    # One box to tick per name, numbered 1 to 3; the blank rows go on from 4 to 13.
    for n, name in enumerate(names, start=1):
        assert re.search(rf"^\s*{n}\s.*{name}", text, re.M)
    assert text.index("Ana Pérez") < text.index("émile Roy") < text.index("Zoé Tremblay")
    assert html.count('<td class="box"><span class="tick"></span></td><td class="name">') == 3
    assert html.count('<td class="n">') == 13 and '<td class="n">13</td>' in html
    assert "Present" in text and "Not on the list? Sign in here" in text
    assert "Carl Cancelled" not in text and "Other Event" not in text
    for private in ("zoe@example.org", "5550199", "waiting list", "Cancelled", "Confirmed"):
        assert private not in text


def test_the_french_pre_filled_sheet(event):
    with translation.override("fr"):
        text = pdf_text(html_to_pdf(render_to_string(
            "events/pdf/sign_in_sheet.html",
            sheet_context(event=event, url=URL, rows=10, registrants=["Ana Pérez"]))))
    assert "Ana Pérez" in text and "Présent" in text
    assert "Pas sur la liste? Signez ici" in text
