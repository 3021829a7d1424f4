"""Importing a spreadsheet of people: upload, column choices, progress, report, undo (issue 4).

The engine lives in `solidaire.people.importing`; these views parse the organizer's
input, call one of its services, and render. Every import is looked up through
`imports_visible_to`, so another organizer's import is a 404.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from solidaire.core.access import scope_for
from solidaire.core.tabular import ImportFileError
from solidaire.core.uploads import quota_message, upload_quota_spent
from solidaire.people.exporting import csv_chunks, xlsx_file
from solidaire.people.importing.selectors import (
    earlier_import_of_same_file,
    import_column_notes,
    import_failure_text,
    import_problem_rows,
    imports_visible_to,
)
from solidaire.people.importing.services import (
    person_import_configure,
    person_import_create,
    person_import_preview,
    person_import_report_downloaded,
    person_import_start,
    person_import_undo_possible,
    person_import_undo_request,
)
from solidaire.people.models import PersonImport

from ..forms.imports import ImportMappingForm, ImportUploadForm

RECENT_IMPORTS = 20
State = PersonImport.State


def _people_scope_or_404(request) -> None:
    """Volunteers (no people in their scope) have no import pages at all."""
    if scope_for(request.user).is_empty:
        raise Http404("no people scope")


def _import_or_404(request, pk: int) -> PersonImport:
    _people_scope_or_404(request)
    return get_object_or_404(
        imports_visible_to(request.user).select_related("chapter", "created_by", "undone_by"),
        pk=pk,
    )


@contextmanager
def _upload_on_disk(upload) -> Iterator[Path]:
    """The uploaded file as a path. Django keeps a large upload in a temporary file
    already (above FILE_UPLOAD_MAX_MEMORY_SIZE); a small one is written out in chunks,
    under a plain name (the reader goes by the file's bytes, never by its name)."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.TemporaryDirectory(prefix="solidaire-upload-") as directory:
        path = Path(directory) / "upload"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        yield path


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    """The upload form, and the organizer's recent imports under it."""
    _people_scope_or_404(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload_quota_spent(request):
            form.add_error("file", quota_message())
        else:
            try:
                with _upload_on_disk(upload) as path:
                    person_import = person_import_create(
                        path=path, original_name=upload.name, actor=request.user,
                    )
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("organize:import_detail", pk=person_import.pk)
    imports = imports_visible_to(request.user).select_related("created_by")[:RECENT_IMPORTS]
    return render(request, "organize/people/import.html", {
        "form": form, "imports": imports,
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, pk: int):
    """The page of one import: what it is waiting for, how far it is, or what it did."""
    person_import = _import_or_404(request, pk)
    if person_import.state == State.MAPPING:
        return _mapping_page(request, person_import)
    if request.method == "POST":
        # "Try again" on a failed import: the engine resumes after the last saved chunk.
        if person_import.state == State.FAILED:
            try:
                person_import_start(person_import=person_import, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The import starts again where it stopped."))
        return redirect("organize:import_detail", pk=person_import.pk)
    return render(request, "organize/people/import_status.html", _status_context(person_import))


@login_required
def import_progress(request, pk: int):
    """The changing part of an import's page, as an HTML fragment: import-progress.js
    asks for it every few seconds while the import runs, in place of a meta refresh
    (which reloads the page under the reader's feet, WCAG 2.2.1)."""
    person_import = _import_or_404(request, pk)
    return render(request, "organize/people/import_status_body.html",
                  _status_context(person_import))


def _status_context(person_import: PersonImport) -> dict:
    return {
        "person_import": person_import,
        "in_progress": person_import.state in (State.QUEUED, State.RUNNING),
        # While the background job works, the page offers a "Refresh" link and its
        # script follows the progress.
        "running": person_import.state in (State.QUEUED, State.RUNNING, State.UNDOING),
        "undo_possible": person_import_undo_possible(person_import),
        "failure_text": import_failure_text(person_import),
    }


def _mapping_page(request, person_import: PersonImport):
    form = ImportMappingForm(request.POST or None, user=request.user,
                             person_import=person_import)
    if request.method == "POST" and form.is_valid():
        try:
            person_import = person_import_configure(
                person_import=person_import, actor=request.user, **form.service_arguments(),
            )
            person_import_start(person_import=person_import, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("organize:import_detail", pk=person_import.pk)
    preview, file_problem = [], ""
    try:
        preview = person_import_preview(person_import)
    except OSError:  # the stored file was cleared (an upload left waiting for a week)
        file_problem = _("The uploaded file is no longer on the server. Upload it again.")
    earlier = earlier_import_of_same_file(person_import)
    # After a refused submission, what the organizer chose; before, the guess.
    notes = import_column_notes(person_import, form.mapping() if form.is_bound else None)
    return render(request, "organize/people/import_mapping.html", {
        "person_import": person_import, "form": form, "preview": preview, "notes": notes,
        "file_problem": file_problem, "earlier": earlier,
        "earlier_visible": earlier is not None
        and imports_visible_to(request.user).filter(pk=earlier.pk).exists(),
    })


# -- the problem report ----------------------------------------------------------------------

# Written by the export's own writers, so every cell is formula-safe (decision 0045).

def _report_header() -> list[str]:
    return [_("Row"), _("Column"), _("Reason"), _("Value")]


def _report_rows(person_import: PersonImport) -> Iterator[list]:
    """The report's rows (row, column, reason, value), in the active language."""
    for row, column, reason, value in import_problem_rows(person_import):
        yield [row, str(column), str(reason), str(value)]


def _csv_chunks(person_import: PersonImport, language: str) -> Iterator[bytes]:
    # The response streams after the view returns: keep the organizer's language.
    with translation.override(language):
        yield from csv_chunks(_report_header(), _report_rows(person_import))


def _xlsx_file(person_import: PersonImport):
    # Not a `with`: the response streams the file and closes it when sent.
    return xlsx_file(_report_header(), _report_rows(person_import), title=_("Problems"))


@login_required
def import_problems(request, pk: int):
    """The error report: one line per problem (row, column, reason, value)."""
    person_import = _import_or_404(request, pk)  # out of scope: 404 whatever the method
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    name = f"import-{person_import.pk}-problems"
    person_import_report_downloaded(person_import=person_import, actor=request.user,
                                    file_format=request.GET.get("format") or "csv")
    if request.GET.get("format") == "xlsx":
        response = FileResponse(
            _xlsx_file(person_import), as_attachment=True, filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            _csv_chunks(person_import, translation.get_language()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# -- undo ------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def import_undo(request, pk: int):
    """Confirm, then undo in the background: people the import added are removed, values
    it changed restored (a big import takes longer than a page may wait)."""
    person_import = _import_or_404(request, pk)
    if not person_import_undo_possible(person_import):
        messages.error(request, _("This import can no longer be undone."))
        return redirect("organize:import_detail", pk=person_import.pk)
    if request.method == "POST":
        try:
            person_import_undo_request(person_import=person_import, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The import is being undone."))
        return redirect("organize:import_detail", pk=person_import.pk)
    return render(request, "organize/people/import_undo.html", {"person_import": person_import})
