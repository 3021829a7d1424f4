"""Calendar files and feeds: what a calendar app subscribed to a chapter or a series gets."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from solidaire.events.models import Event

from tests.factories import EventFactory, SeriesFactory

CALENDAR = "text/calendar; charset=utf-8"


def summaries(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.fixture
def events(world):
    week = SeriesFactory(organization=world.centre, slug="status-week")

    def make(slug, *, days=7, **fields):
        start = timezone.now() + datetime.timedelta(days=days)
        fields.setdefault("organization", world.centre)
        return EventFactory(slug=slug, title={"fr": f"fr {slug}", "en": slug}, starts_at=start,
                            ends_at=start + datetime.timedelta(hours=2), **fields)

    make("mtl-rally", chapter=world.montreal, series=week,
         online_url="https://meet.example.org/secret-room", format=Event.Format.HYBRID)
    make("cdn-meeting", chapter=world.cdn)
    make("bsl-assembly", chapter=world.bsl, series=week)
    make("toronto-meeting", chapter=world.toronto, organization=world.other)
    make("last-week", chapter=world.montreal, days=-7)
    make("long-ago", chapter=world.montreal, days=-60)
    make("draft", chapter=world.montreal, status=Event.Status.DRAFT)
    make("members", chapter=world.montreal, visibility=Event.Visibility.MEMBERS)
    make("private", chapter=world.montreal, visibility=Event.Visibility.PRIVATE)
    return world


def test_the_events_feed_has_listed_events_upcoming_and_of_the_last_30_days(client, events):
    assert summaries(client.get("/en/events/feed.ics")) == {
        "mtl-rally", "cdn-meeting", "bsl-assembly", "toronto-meeting", "last-week"}


def test_the_feed_is_in_the_readers_language(client, events):
    assert "fr mtl-rally" in summaries(client.get("/fr/events/feed.ics"))


def test_a_feed_never_carries_the_online_link(client, events):
    assert b"secret-room" not in client.get("/en/events/feed.ics").content


def test_a_chapter_feed_has_the_events_of_the_chapter_and_of_the_chapters_below_it(
        client, events):
    assert summaries(client.get(f"/en/events/chapter/{events.montreal.slug}/feed.ics")) == {
        "mtl-rally", "cdn-meeting", "last-week"}
    assert summaries(client.get(f"/en/events/chapter/{events.quebec.slug}/feed.ics")) == {
        "mtl-rally", "cdn-meeting", "bsl-assembly", "last-week"}
    assert summaries(client.get(f"/en/events/chapter/{events.cdn.slug}/feed.ics")) == {
        "cdn-meeting"}
    assert client.get("/en/events/chapter/nowhere/feed.ics").status_code == 404


def test_a_series_feed_has_the_events_of_the_series(client, events):
    assert summaries(client.get("/en/events/series/status-week/feed.ics")) == {
        "mtl-rally", "bsl-assembly"}
    assert client.get("/en/events/series/no-such-week/feed.ics").status_code == 404


def test_an_events_calendar_file_is_a_download_without_the_online_link(client, events):
    response = client.get("/en/events/mtl-rally/event.ics")
    assert summaries(response) == {"mtl-rally"}
    assert response["Content-Disposition"] == 'attachment; filename="mtl-rally.ics"'
    assert b"secret-room" not in response.content


def test_a_private_events_calendar_file_needs_its_key(client, events):
    private = Event.objects.get(slug="private")
    assert client.get("/en/events/private/event.ics").status_code == 404
    response = client.get(f"/en/events/private/event.ics?k={private.private_key}")
    assert summaries(response) == {"private"}


def test_a_members_only_or_draft_event_has_no_public_calendar_file(client, events):
    assert client.get("/en/events/members/event.ics").status_code == 404
    assert client.get("/en/events/draft/event.ics").status_code == 404


def test_the_event_page_offers_the_calendar_file_and_add_to_calendar_links(client, events):
    html = client.get("/en/events/mtl-rally/").content.decode()
    assert 'href="/en/events/mtl-rally/event.ics"' in html
    assert "calendar.google.com" in html
    assert "secret-room" not in html
