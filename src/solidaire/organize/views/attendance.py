"""Attendance from a video-meeting participant report: upload, and what it matched.

The import runs while the organizer waits (a few seconds for thousands of
participants); see `solidaire.events.attendance`. The event is looked up through
`events_visible_to`, so another chapter's event is a 404, and volunteers have no
such page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from solidaire.core.access import scope_for
from solidaire.core.uploads import quota_message, upload_quota_spent
from solidaire.events.attendance import AttendanceFileError, attendance_import
from solidaire.events.models import Event
from solidaire.events.selectors import events_visible_to
from solidaire.people.selectors import people_visible_to

from ..forms.attendance import AttendanceUploadForm

RECENT_IMPORTS = 20


def _event(user, slug: str) -> Event:
    if scope_for(user).is_empty:
        raise Http404("no organizer scope")
    return get_object_or_404(
        events_visible_to(user).select_related("organization", "chapter"), slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def event_attendance_import(request, slug: str):
    """The upload form, and the event's previous imports under it."""
    event = _event(request.user, slug)
    posted = request.method == "POST"
    form = AttendanceUploadForm(request.POST if posted else None,
                                request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload_quota_spent(request):
                raise AttendanceFileError("quota", quota_message())
            result = attendance_import(event=event, file=upload, filename=upload.name,
                                       actor=request.user)
        except AttendanceFileError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, ngettext(
                "%(count)s person newly marked as attended.",
                "%(count)s people newly marked as attended.", result.newly_marked,
            ) % {"count": result.newly_marked})
            if result.already_marked:
                messages.info(request, ngettext(
                    "%(count)s was already marked as attended: nothing changed for them.",
                    "%(count)s were already marked as attended: nothing changed for them.",
                    result.already_marked,
                ) % {"count": result.already_marked})
            return redirect("organize:event_attendance_import_detail", slug=event.slug,
                            pk=result.pk)
    imports = event.attendance_imports.select_related("uploaded_by")[:RECENT_IMPORTS]
    return render(request, "organize/events/attendance.html", {
        "event": event, "form": form, "imports": imports,
    })


@login_required
def event_attendance_import_detail(request, slug: str, pk: int):
    """What one report matched: counts, who was matched and how, and the names nobody
    could be matched to. Only the people this account may see are links."""
    event = _event(request.user, slug)
    attendance = get_object_or_404(event.attendance_imports.select_related("uploaded_by"),
                                   pk=pk)
    user = attendance.uploaded_by
    entries = [entry for entry in attendance.people if isinstance(entry, dict)]
    ids = [entry["person"] for entry in entries if entry.get("person")]
    visible = set(people_visible_to(request.user).filter(pk__in=ids)
                  .values_list("pk", flat=True)) if ids else set()
    matched = [{**entry, "visible": entry.get("person") in visible}
               for entry in entries if entry.get("how") != "too_short"]
    brief = [entry for entry in entries if entry.get("how") == "too_short"]
    return render(request, "organize/events/attendance_detail.html", {
        "event": event, "attendance": attendance, "matched": matched, "brief": brief,
        "uploaded_by": (user.get_full_name() or user.username) if user else "—",
        "names_cut": attendance.unmatched > len(attendance.unmatched_names),
        "title": _("Attendance report: %(file)s") % {"file": attendance.filename},
    })
