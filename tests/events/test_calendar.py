"""Calendar files and add-to-calendar links."""

import datetime
from urllib.parse import parse_qs, urlsplit

import icalendar
from django.utils import timezone

from solidaire.events.calendar import calendar_links, event_ics, feed_ics
from solidaire.events.models import Event, Registration

from tests.factories import EventFactory, RegistrationFactory


def vevents(text):
    return icalendar.Calendar.from_ical(text).walk("VEVENT")


def test_an_event_file_has_the_local_time_zone_and_the_text_in_the_language(db):
    event = EventFactory(time_zone="America/Vancouver")
    cal = icalendar.Calendar.from_ical(event_ics(event, language="en"))
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["summary"]) == event.title["en"]
    assert vevent["dtstart"].params["TZID"] == "America/Vancouver"
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Vancouver"]
    assert str(vevent["uid"]) == f"event-{event.pk}@127.0.0.1"
    assert "/en/events/" in str(vevent["url"])
    assert "Montréal" in str(vevent["location"])
    assert str(vevent["status"]) == "CONFIRMED"


def test_the_online_link_is_only_in_a_registered_persons_file(db):
    event = EventFactory(format=Event.Format.ONLINE, online_url="https://meet.example.org/x")
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    assert "meet.example.org" in event_ics(event, language="fr", registration=confirmed)
    assert "meet.example.org" not in event_ics(event, language="fr", registration=waiting)
    assert "meet.example.org" not in event_ics(event, language="fr")
    assert "meet.example.org" not in feed_ics([event], name="Feed", language="fr")
    assert all("meet.example.org" not in link["url"]
               for link in calendar_links(event, language="fr"))


def test_a_cancelled_event_says_so_in_calendars(db):
    event = EventFactory(status=Event.Status.CANCELLED)
    [vevent] = vevents(event_ics(event, language="fr"))
    assert str(vevent["status"]) == "CANCELLED"


def test_a_feed_holds_every_event_once(db):
    events = [EventFactory(), EventFactory(), EventFactory()]
    text = feed_ics(events, name="Montréal", language="fr")
    found = vevents(text)
    assert sorted(str(v["uid"]) for v in found) == sorted(f"event-{e.pk}@127.0.0.1"
                                                          for e in events)
    assert str(icalendar.Calendar.from_ical(text)["x-wr-calname"]) == "Montréal"


def test_an_empty_feed_is_still_a_calendar(db):
    assert vevents(feed_ics([], name="Rien", language="fr")) == []


def test_add_to_calendar_links_carry_the_times_in_utc(db):
    event = EventFactory(starts_at=datetime.datetime(2026, 12, 3, 23, 0, tzinfo=datetime.UTC),
                         ends_at=datetime.datetime(2026, 12, 4, 1, 0, tzinfo=datetime.UTC))
    google, outlook = calendar_links(event, language="en")
    assert google["label"] == "Google Calendar"
    query = parse_qs(urlsplit(google["url"]).query)
    assert query["dates"] == ["20261203T230000Z/20261204T010000Z"]
    assert query["text"] == [event.title["en"]]
    assert urlsplit(outlook["url"]).netloc == "outlook.live.com"
    query = parse_qs(urlsplit(outlook["url"]).query)
    assert query["startdt"] == ["2026-12-03T23:00:00Z"]
    assert query["subject"] == [event.title["en"]]


def test_an_edited_event_keeps_its_uid_and_gets_a_higher_sequence(db):
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(created_at=hour_ago, updated_at=hour_ago)
    event.refresh_from_db()
    [before] = vevents(event_ics(event, language="fr"))
    event.venue = "Ailleurs"
    event.save()
    [after] = vevents(event_ics(event, language="fr"))
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"]) >= 0


def test_a_montreal_event_names_the_canonical_zone_in_calendars(db):
    event = EventFactory(time_zone="America/Montreal")
    cal = icalendar.Calendar.from_ical(event_ics(event, language="fr"))
    [vevent] = cal.walk("VEVENT")
    assert vevent["dtstart"].params["TZID"] == "America/Toronto"
    assert vevent.decoded("dtstart") == event.starts_at
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Toronto"]
