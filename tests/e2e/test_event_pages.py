"""Public event pages in a real browser: WCAG 2.1 AA (axe-core), and registering with
JavaScript off on a small phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from solidaire.events.models import Event, Registration

from tests.e2e.conftest import axe_violations
from tests.factories import EventFactory, RegistrationFactory, SeriesFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def events(world):
    series = SeriesFactory(organization=world.centre, slug="status-week",
                           title={"fr": "Semaine Statut pour tous", "en": "Status for all week"},
                           summary={"fr": "Partout au pays.", "en": "All across the country."})
    start = timezone.now() + datetime.timedelta(days=5)
    event = EventFactory(organization=world.centre, chapter=world.montreal, series=series,
                         slug="info-session", kind=Event.Kind.INFO_SESSION,
                         format=Event.Format.HYBRID, capacity=100,
                         online_url="https://meet.example.org/room",
                         title={"fr": "Séance d'information", "en": "Information session"},
                         accessibility={"fr": "Accès sans marches", "en": "Step-free access"},
                         languages=["fr", "es"], interpretation=["en"], starts_at=start,
                         ends_at=start + datetime.timedelta(hours=2))
    event.cosponsors.add(world.other)
    EventFactory(organization=world.centre, series=series, slug="toronto-rally",
                 kind=Event.Kind.RALLY, city="Toronto", province="ON")
    EventFactory(organization=world.centre, series=series, slug="webinar",
                 format=Event.Format.ONLINE, venue="", address="", city="", province="")
    registration = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    return {"event": event, "registration": registration}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["events/", "events/?region=QC&kind=info_session",
                                  "events/info-session/", "events/series/status-week/",
                                  "registration"])
def test_event_pages_meet_wcag_21_aa(page, live_server, events, path, lang):
    if path == "registration":
        path = f"events/r/{events['registration'].manage_token}/"
    response = page.goto(f"{live_server.url}/{lang}/{path}")
    assert response.status == 200
    assert axe_violations(page) == []


def test_the_registration_form_with_errors_meets_wcag_21_aa(page, live_server, events):
    page.goto(f"{live_server.url}/en/events/info-session/")
    page.get_by_label("Your name").fill("Amina")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Give an e-mail address or a phone number").first).to_be_visible()
    assert axe_violations(page) == []


def test_registering_without_javascript_keeps_what_was_typed_then_shows_the_registration(
        page_without_js, live_server, events):
    page = page_without_js
    page.goto(f"{live_server.url}/en/events/info-session/")
    assert "room" not in page.content()
    page.get_by_label("Your name").fill("Amina Diallo")
    page.get_by_role("textbox", name="E-mail").fill("amina@example")
    page.get_by_label("Postal code (optional)").fill("H2X 1Y4")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Enter a valid email address.").first).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Amina Diallo")
    expect(page.get_by_label("Postal code (optional)")).to_have_value("H2X 1Y4")
    assert axe_violations(page) == []
    assert not Registration.objects.filter(person__chosen_name="Amina Diallo").exists()

    page.get_by_role("textbox", name="E-mail").fill("amina@example.org")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r".*/en/events/r/"))
    expect(page.get_by_text("You are registered.")).to_be_visible()
    expect(page.get_by_role("link", name="https://meet.example.org/room")).to_be_visible()
    assert axe_violations(page) == []
    registration = Registration.objects.get(person__chosen_name="Amina Diallo")
    assert registration.status == Registration.Status.CONFIRMED

    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("Your registration is cancelled.")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_filtering_the_list_without_javascript(page_without_js, live_server, events):
    page = page_without_js
    page.goto(f"{live_server.url}/en/events/")
    page.get_by_label("Region").select_option("ON")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r".*region=ON"))
    expect(page.get_by_role("link", name="All events")).to_be_visible()
    expect(page.locator(".event-item")).to_have_count(1)
    assert axe_violations(page) == []
