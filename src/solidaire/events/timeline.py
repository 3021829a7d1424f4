"""The events' part of a campaign's timeline: each event held, with its attendance.

Registered in EventsConfig.ready (see solidaire.campaigns.timeline).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import ngettext

from solidaire.campaigns.timeline import ORDER_EVENT, TimelineItem

from .models import Event
from .selectors import events_visible_to


def event_timeline(campaign, *, public: bool, user=None):
    """Events of the campaign (directly or through their series) that have started.

    Organizers see every event `user` may see (as the organizer event list) that was
    not a draft or cancelled; the public story only published events with public
    visibility (members-only and private-link events are left out)."""
    events = Event.objects.all() if public else events_visible_to(user)
    events = events.filter(
        Q(campaign=campaign) | Q(series__campaign=campaign), starts_at__lte=timezone.now(),
    )
    if public:
        events = events.filter(status=Event.Status.PUBLISHED,
                               visibility=Event.Visibility.PUBLIC)
    else:
        events = events.exclude(status__in=[Event.Status.DRAFT, Event.Status.CANCELLED])
    events = events.annotate(
        attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False)),
    ).order_by("starts_at", "id")
    items = []
    for event in events:
        detail = ngettext("%(count)s attended", "%(count)s attended", event.attended) % {
            "count": number_format(event.attended, force_grouping=True)
        } if event.attended else ""
        url = reverse("public:event" if public else "organize:event_detail", args=[event.slug])
        items.append(TimelineItem(
            date=event.starts_at.astimezone(event.tz).date(), kind="event.held",
            title=event.display_title, detail=detail, url=url,
            label=event.get_kind_display(), icon="event", order=ORDER_EVENT,
        ))
    return items
