"""Where an event is, as every page, e-mail and calendar file names it: only the parts
that exist, never an empty one between commas."""

import pytest
from django.utils import translation

from solidaire.events.calendar import event_ics
from solidaire.events.models import Event
from solidaire.events.services import _place

from tests.factories import EventFactory


@pytest.fixture
def no_venue(world):
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="no-venue",
                        venue="", address="", city="Montréal", province="QC")


def test_an_event_without_a_venue_reads_as_its_city_and_province_in_each_language(no_venue):
    with translation.override("en"):
        assert no_venue.place == "Montréal (Quebec)"
    with translation.override("fr"):
        assert no_venue.place == "Montréal (Québec)"


def test_a_place_without_a_city_names_the_province_alone_and_an_online_event_has_none(world):
    event = EventFactory(organization=world.centre, venue="", address="", city="",
                         province="QC")
    with translation.override("en"):
        assert event.place == "Quebec"
    online = EventFactory(organization=world.centre, format=Event.Format.ONLINE,
                          online_url="https://meet.example.org/a")
    assert online.place == ""


def test_the_email_and_the_calendar_file_of_an_event_without_a_venue_start_with_the_city(
        no_venue):
    assert _place(no_venue) == "Montréal"
    ics = event_ics(no_venue, language="en").replace("\r\n ", "")
    location = next(line for line in ics.splitlines() if line.startswith("LOCATION"))
    assert location == "LOCATION:Montréal\\, QC"


def test_the_public_page_of_an_event_without_a_city_names_no_empty_parenthesis(client, world):
    EventFactory(organization=world.centre, slug="province-only", venue="Salle", address="",
                 city="", province="QC")
    html = client.get("/en/events/province-only/").content.decode()
    assert "Salle<br>Quebec" in html and "> (Quebec)" not in html
