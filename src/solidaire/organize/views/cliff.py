"""The permit-expiry cliff: permits ending in each of the next 12 months, for
status-access accounts with people in scope only (others, volunteers included, get
404), counted over the people in scope, once the session's code is recent."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from solidaire.core.access import scope_for
from solidaire.core.services import audit_log
from solidaire.organizing.selectors import chapters_visible_to
from solidaire.people.models import StatusCategory
from solidaire.people.selectors import people_visible_to, status_access, status_unlocked
from solidaire.people.status_cliff import permit_cliff

from ..status_gate import step_up_redirect

# The chart's drawing box (SVG user units).
CHART_WIDTH, CHART_HEIGHT = 720, 260
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT = 24, 210, 8


def _bars(months: list[str], counts: list[int]) -> list[dict]:
    top = max(counts) or 1
    slot = (CHART_WIDTH - PLOT_LEFT) / len(counts)
    bars = []
    for i, (label, count) in enumerate(zip(months, counts, strict=True)):
        height = round((PLOT_BOTTOM - PLOT_TOP) * count / top, 1)
        x = round(PLOT_LEFT + i * slot + slot * 0.15, 1)
        bars.append({
            "x": x, "width": round(slot * 0.7, 1), "y": round(PLOT_BOTTOM - height, 1),
            "height": height, "count": count, "label": label,
            "text_x": round(x + slot * 0.35, 1), "count_y": round(PLOT_BOTTOM - height - 6, 1),
        })
    return bars


@login_required
def permit_cliff_page(request):
    # Status access is an organizer's flag: a volunteer holding it still has no people
    # pages (nobody in scope), so no page to count their permits on either.
    if not status_access(request.user) or scope_for(request.user).is_empty:
        raise Http404
    if not status_unlocked(request):
        return step_up_redirect(request)
    cliff = permit_cliff(people_visible_to(request.user))
    audit_log(action="solidaire.person.status.cliff.viewed", actor=request.user)

    people_url = reverse("organize:people")
    months = [
        {"label": formats.date_format(month, "YEAR_MONTH_FORMAT"),
         "short": formats.date_format(month, "M Y"),
         "count": count,
         "url": f"{people_url}?{urlencode({'permit_within': i + 1})}"}
        for i, (month, count) in enumerate(zip(cliff.months, cliff.by_month, strict=True))
    ]
    names = dict(chapters_visible_to(request.user)
                 .filter(pk__in=[pk for pk in cliff.by_chapter if pk is not None])
                 .values_list("pk", "name"))
    chapters = sorted(
        ({"name": names.get(pk) or (_("No chapter") if pk is None else _("Another chapter")),
          "counts": counts, "total": sum(counts)}
         for pk, counts in cliff.by_chapter.items()),
        key=lambda row: (-row["total"], row["name"]),
    )
    labels = dict(StatusCategory.choices)
    categories = sorted(
        ({"name": str(labels.get(key) or _("No category")), "counts": counts,
          "total": sum(counts)} for key, counts in cliff.by_category.items()),
        key=lambda row: (-row["total"], row["name"]),
    )
    return render(request, "organize/people/cliff.html", {
        "cliff": cliff, "months": months, "chapters": chapters, "categories": categories,
        "bars": _bars([m["short"] for m in months], cliff.by_month),
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, "axis_y": PLOT_BOTTOM,
                  "label_y": PLOT_BOTTOM + 20},
    })
