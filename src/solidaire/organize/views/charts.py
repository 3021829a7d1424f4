"""The dashboard charts' data as CSV, for the same date range as the page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest

from solidaire.analytics.stats import CHARTS, chart, default_range
from solidaire.core.access import scope_for
from solidaire.people.exporting import csv_chunks

from ..forms.charts import RangeForm


@login_required
def chart_csv(request, name: str):
    if name not in CHARTS or scope_for(request.user).is_empty:
        raise Http404("no such chart")
    rng = default_range()
    if "from" in request.GET or "to" in request.GET:
        form = RangeForm(request.GET)
        if not form.is_valid():
            messages = [str(m) for errors in form.errors.values() for m in errors]
            return HttpResponseBadRequest(" ".join(messages),
                                          content_type="text/plain; charset=utf-8")
        rng = form.cleaned_data["range"]
    data = chart(name, request.user, rng)
    # The export's writer: a byte-order mark, and every cell formula-safe (decision 0045).
    response = HttpResponse(b"".join(csv_chunks(data.columns, data.rows)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{rng.start.isoformat()}-{rng.end.isoformat()}.csv"')
    response["Cache-Control"] = "no-store"
    return response
