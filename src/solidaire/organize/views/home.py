"""The organizer home page: counts in scope, the people added last, and the dashboard's
charts over a date range. Volunteers get their door work instead: no people numbers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from solidaire.analytics.stats import all_charts
from solidaire.core.access import scope_for
from solidaire.events.models import Event
from solidaire.events.selectors import events_for_door_work

from .. import charts as svg
from ..forms.charts import preset_links, range_from
from ..selectors import home_summary

DOOR_EVENTS = 20


@login_required
def home(request):
    user = request.user
    if scope_for(user).is_empty:
        return _volunteer_home(request)
    form, rng = range_from(request.GET)
    charts = [
        {"data": data, "svg": svg.render(data),
         "csv_url": f"{reverse('organize:chart_csv', args=[data.name])}?{rng.query()}"}
        for data in all_charts(user, rng)
    ]
    return render(request, "organize/home.html", {
        "summary": home_summary(user),
        "form": form,
        "range": rng,
        "presets": preset_links(),
        "charts": charts,
    })


def _volunteer_home(request):
    """Links to the volunteer's call lists and to check-in at the events whose door is open
    (`events_for_door_work` keeps a volunteer's to a window around each event)."""
    events = list(events_for_door_work(request.user)
                  .filter(status=Event.Status.PUBLISHED)
                  .order_by("starts_at", "id")[:DOOR_EVENTS])
    return render(request, "organize/home.html", {"volunteer": True, "door_events": events})
