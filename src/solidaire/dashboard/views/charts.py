"""The dashboard charts' data as CSV, for the same date range as the page."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest

from solidaire.core.access import scope_for
from solidaire.people.exporting import cell_safe

from ..stats import CHARTS, RangeForm, chart, default_range


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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{rng.start.isoformat()}-{rng.end.isoformat()}.csv"')
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # a byte-order mark, so spreadsheet programs read accents right
    writer = csv.writer(response)
    writer.writerow([cell_safe(c) for c in data.columns])
    for row in data.rows:
        writer.writerow([cell_safe(c) for c in row])
    return response
