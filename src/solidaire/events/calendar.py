"""iCalendar files and add-to-calendar links, made with the `icalendar` library.

The online meeting link goes only into the `.ics` of a confirmed registration, never
into feeds or public links.
"""

from __future__ import annotations

import datetime
import zoneinfo
from urllib.parse import urlencode, urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from solidaire.core.i18n import localized
from solidaire.core.site import absolute

from .models import Event
from .zones import canonical_zone

PRODID = "-//Solidaire//Events//EN"


def _uid(event: Event) -> str:
    # From the setting, never the request: one event keeps one UID whichever address
    # its file was fetched from, so calendars replace it rather than add a copy.
    host = urlsplit(settings.SITE_URL).hostname or "solidaire"
    return f"event-{event.pk}@{host}"


def _page_url(event: Event, language: str) -> str:
    with translation.override(language if language in dict(settings.LANGUAGES)
                              else settings.LANGUAGE_CODE):
        return absolute(reverse("public:event", kwargs={"slug": event.slug}))


def _location(event: Event) -> str:
    if not event.is_in_person:
        return ""
    return ", ".join(p for p in (event.venue, event.address, event.city, event.province,
                                 event.postal_code) if p)


def _description(event: Event, language: str, *, online: bool) -> str:
    parts = [localized(event.summary, language), localized(event.body, language)]
    if online and event.online_url:
        parts.append(event.online_url)
        if event.online_details:
            parts.append(event.online_details)
    accessibility = localized(event.accessibility, language)
    if accessibility:
        parts.append(accessibility)
    parts.append(_page_url(event, language))
    return "\n\n".join(p for p in parts if p)


def sequence(event: Event) -> int:
    """SEQUENCE: seconds from the event's creation to its last change (decision 0062).

    It grows with every saved change, so a calendar that holds an older copy replaces
    it; counted from the creation, it stays far below the 32-bit limit some calendar
    programs keep it in.
    """
    return max(0, int((event.updated_at - event.created_at).total_seconds()))


def _zoned(event: Event, moment: datetime.datetime) -> datetime.datetime:
    # The canonical IANA key (America/Toronto for America/Montreal, a link to it):
    # some calendar programs know only the canonical keys.
    try:
        zone = zoneinfo.ZoneInfo(canonical_zone(event.tz.key))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = event.tz
    return moment.astimezone(zone)


def _vevent(event: Event, language: str, *, online: bool) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", _uid(event))
    vevent.add("sequence", sequence(event))
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("dtstart", _zoned(event, event.starts_at))
    vevent.add("dtend", _zoned(event, event.ends_at))
    vevent.add("summary", localized(event.title, language) or event.slug)
    vevent.add("description", _description(event, language, online=online))
    location = _location(event)
    if online and event.online_url:
        location = f"{location} — {event.online_url}" if location else event.online_url
    if location:
        vevent.add("location", location)
    vevent.add("url", _page_url(event, language))
    vevent.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    return vevent


def _calendar(name: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _finish(cal: icalendar.Calendar, events) -> str:
    starts = [e.starts_at for e in events]
    if starts:
        # Time zone rules covering the events only, not 1970–2038.
        cal.add_missing_timezones(first_date=min(starts).date() - datetime.timedelta(days=366),
                                  last_date=max(starts).date() + datetime.timedelta(days=366))
    return cal.to_ical().decode()


def event_ics(event: Event, *, language: str, registration=None) -> str:
    """One event as an `.ics` file; the online link only for a confirmed registration."""
    from .models import Registration

    online = (registration is not None
              and registration.status == Registration.Status.CONFIRMED)
    cal = _calendar()
    cal.add("method", "PUBLISH")
    cal.add_component(_vevent(event, language, online=online))
    return _finish(cal, [event])


def feed_ics(events, *, name: str, language: str) -> str:
    """A feed of many events (a chapter's, a series'); never with online links."""
    events = list(events)
    cal = _calendar(name)
    for event in events:
        cal.add_component(_vevent(event, language, online=False))
    return _finish(cal, events)


def calendar_links(event: Event, *, language: str) -> list[dict]:
    """Plain add-to-calendar links (Google Calendar, Outlook.com); no online link.

    The details are the summary, cut short, and the page's address: the whole text in
    a link would weigh more than the page the link is on.
    """
    title = localized(event.title, language) or event.slug
    summary = Truncator(localized(event.summary, language)).chars(280)
    details = "\n\n".join(p for p in (summary, _page_url(event, language)) if p)
    location = _location(event)
    utc = "%Y%m%dT%H%M%SZ"
    google = "https://calendar.google.com/calendar/render?" + urlencode({
        "action": "TEMPLATE", "text": title,
        "dates": (f"{event.starts_at.astimezone(datetime.UTC).strftime(utc)}/"
                  f"{event.ends_at.astimezone(datetime.UTC).strftime(utc)}"),
        "details": details, "location": location, "ctz": event.time_zone,
    })
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": title,
        "startdt": event.starts_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "enddt": event.ends_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "body": details, "location": location,
    })
    with translation.override(language if language in dict(settings.LANGUAGES)
                              else settings.LANGUAGE_CODE):
        return [
            {"label": str(translation.gettext("Google Calendar")), "url": google},
            {"label": str(translation.gettext("Outlook.com")), "url": outlook},
        ]
