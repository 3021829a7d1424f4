"""Export of the people list to CSV or XLSX (decision 0016).

The page takes the people list's query string, so it exports exactly what the list
shows: the same filter form, the same selector, within the account's scope.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from solidaire.core.access import scope_for
from solidaire.people import exporting
from solidaire.people.exporting import ExportTooLarge
from solidaire.people.selectors import status_unlocked

from .. import selectors
from ..forms.exports import PeopleExportForm
from ..forms.people import PeopleFilterForm
from ..status_gate import status_locked, step_up_redirect, step_up_url

FILTER_NAMES = ("q", "chapter", "language", "tag", "committee", "permit_within")


def _filters_described(form: PeopleFilterForm) -> list[tuple[str, str]]:
    """The filters in use, as (label, value) for the page."""
    data = getattr(form, "cleaned_data", {})
    shown = []
    for name in FILTER_NAMES:
        value = data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        if name == "language":
            value = dict(field.choices).get(value, value)
        shown.append((str(field.label), str(value)))
    return shown


def _filters_for_audit(form: PeopleFilterForm) -> dict:
    """The filters in use, for the audit log: names and slugs, never a status value."""
    data = getattr(form, "cleaned_data", {})
    audit = {}
    if data.get("q"):
        audit["q"] = data["q"]
    if data.get("chapter"):
        audit["chapter"] = data["chapter"].slug
    if data.get("language"):
        audit["language"] = data["language"]
    if data.get("tag"):
        audit["tag"] = data["tag"].name
    if data.get("committee"):
        audit["committee"] = data["committee"].slug
    if data.get("permit_within"):
        # That a status filter was used, not its months: with the count, the months
        # would tell how many permits end by then.
        audit["permit_filter"] = True
    return audit


def _file_response(export):
    if export.file is not None:
        response = FileResponse(export.file, as_attachment=True, filename=export.filename,
                                content_type=export.content_type)
    else:
        response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def people_export(request):
    """GET: the export form for the people list's filters; POST: the file."""
    if scope_for(request.user).is_empty:
        raise Http404  # no people pages for volunteers
    query = {name: request.GET[name] for name in FILTER_NAMES if request.GET.get(name)}
    filter_form = PeopleFilterForm(query or None, user=request.user)
    filters_valid = filter_form.is_valid() if filter_form.is_bound else True
    filters = filter_form.filters()
    if filters["permit_within"] and status_locked(request):
        return step_up_redirect(request)  # a list filtered by permit is status
    people = selectors.people_list(request.user, **filters)

    form = PeopleExportForm(request.POST or None, with_status=status_unlocked(request))
    if request.method == "POST" and filters_valid and form.is_valid():
        data = form.cleaned_data
        try:
            export = _export(request, people, data, filter_form)
        except ExportTooLarge as error:
            form.add_error("file_format", str(error))
        else:
            return _file_response(export)

    list_url = reverse("organize:people")
    query_string = urlencode(query)
    return render(request, "organize/people/export.html", {
        "form": form,
        "filter_form": filter_form,
        "filters_valid": filters_valid,
        "filters": _filters_described(filter_form),
        "count": people.count(),
        "list_url": f"{list_url}?{query_string}" if query_string else list_url,
        "status_step_up": step_up_url(request) if status_locked(request) else "",
    })


def _export(request, people, data, filter_form):
    return exporting.people_export(
        user=request.user, queryset=people, columns=data["columns"],
        file_format=data["file_format"],
        # Never for an account without status access: the form has no such field.
        include_status=bool(data.get("include_status") and data.get("confirm_status")),
        filters=_filters_for_audit(filter_form),
    )
