"""The date range of the organizer charts, read from the query string (`from`, `to`);
the charts' numbers are `analytics.stats`' (decision 0054)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidaire.analytics.stats import DateRange, default_range
from solidaire.core.forms import IsoDateInput

MAX_DAYS = 366 * 3

PRESETS = [  # (key, label, days back from today)
    ("4w", _("Last 4 weeks"), 28),
    ("6m", _("Last 6 months"), 182),
    ("1y", _("Last year"), 365),
]


def preset_links(today: datetime.date | None = None) -> list[tuple[str, DateRange]]:
    today = today or timezone.localdate()
    return [(label, DateRange(today - datetime.timedelta(days=days) + datetime.timedelta(days=1),
                              today))
            for _key, label, days in PRESETS]


class RangeForm(forms.Form):
    """The dashboard's date range, from the query string (`from`, `to`)."""

    start = forms.DateField(label=_("From"), required=False,
                            widget=IsoDateInput())
    end = forms.DateField(label=_("To"), required=False,
                          widget=IsoDateInput())

    def add_prefix(self, field_name):
        # The query string says from= and to=, which are not Python-friendly field names.
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default = default_range()
        start = cleaned.get("start") or (cleaned.get("end") or default.end) - (
            default.end - default.start)
        end = cleaned.get("end") or max(default.end, start)
        if start > end:
            raise forms.ValidationError(
                _("The start date must be on or before the end date."), code="order")
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a range of at most three years."), code="too_long")
        cleaned["range"] = DateRange(start, end)
        return cleaned


def range_from(query) -> tuple[RangeForm, DateRange]:
    """The form (bound when the query string has dates) and the range to show: the
    default one when the dates are missing or wrong."""
    if "from" in query or "to" in query:
        form = RangeForm(query)
        if form.is_valid():
            return form, form.cleaned_data["range"]
        return form, default_range()
    rng = default_range()
    return RangeForm(initial={"start": rng.start, "end": rng.end}), rng
