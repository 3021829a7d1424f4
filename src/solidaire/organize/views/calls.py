"""Call lists: organizers split an audience among callers; a caller works their own part.

A volunteer sees only their own assignments, and on them only names and phone numbers
(`tel:` links): no e-mail, no address, no status, no link to a person page. The outcome
buttons are small POST forms that come back to the list (post/redirect/get), so the page
works on a phone without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from solidaire.core.access import role_of
from solidaire.core.models import OrganizerRole
from solidaire.messaging import calls
from solidaire.messaging.models import CallAssignment, CallEntry
from solidaire.people.models import PhoneNumber
from solidaire.people.selectors import people_visible_to

from ..forms.calls import CallListForm, OutcomeForm
from ..status_gate import status_locked, step_up_redirect, step_up_url

# The organizer's list of names on a call list's page stops there.
NAMES_SHOWN = 1000


def _is_volunteer(user) -> bool:
    return role_of(user) == OrganizerRole.Role.VOLUNTEER


def _may_make_lists(user) -> bool:
    return calls.is_organizer(user)


@login_required
def call_list_index(request):
    user = request.user
    own = list(calls.assignments_with_progress(calls.assignments_for(user)))
    context = {"assignments": own, "volunteer": _is_volunteer(user),
               # Lists made with status show their figures once the code is recent.
               "status_step_up": step_up_url(request) if status_locked(request) else ""}
    if not context["volunteer"]:
        context["call_lists"] = list(
            calls.call_lists_with_progress(calls.call_lists_visible_to(user))
            .select_related("campaign", "chapter", "organization")
        )
        context["may_add"] = _may_make_lists(user)
    return render(request, "organize/calls/list.html", context)


@login_required
def call_list_add(request):
    user = request.user
    if not _may_make_lists(user):
        raise Http404("this account does not make call lists")
    if request.method == "POST":
        form = CallListForm(request.POST, user=user)
        if form.status_only and status_locked(request):
            # Counting or making a list with status is reading status: the code first.
            return step_up_redirect(request, _add_page(form.data.get("audience")))
        valid = form.is_valid()
        if valid and "preview" not in request.POST:
            call_list = calls.call_list_create(actor=user, **form.service_arguments())
            messages.success(request, _("The call list %(name)s was made.")
                             % {"name": call_list.name})
            return redirect("organize:call_list_detail", pk=call_list.pk)
        count = form.people_count()
    else:
        audience = calls.audiences_for_calls(user).filter(
            pk=_int(request.GET.get("audience"))).first()
        form = CallListForm(user=user, initial={"audience": audience})
        if form.status_only and status_locked(request):
            return step_up_redirect(request)
        count = (calls.call_people(audience.definition, user).count()
                 if audience is not None else None)
    return render(request, "organize/calls/form.html", {
        "form": form, "count": count,
        "no_audience": not form.fields["audience"].queryset.exists(),
    })


def _add_page(audience) -> str:
    """The "new call list" page, with the audience chosen (where a step-up comes back)."""
    page = reverse("organize:call_list_add")
    return f"{page}?audience={_int(audience)}" if _int(audience) is not None else page


def _status_locked_list(request, call_list) -> bool:
    """A list made with status, and this session's code is not recent."""
    return call_list.uses_status and status_locked(request)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def call_list_detail(request, pk: int):
    user = request.user
    call_list = get_object_or_404(
        calls.call_lists_visible_to(user).select_related("campaign", "chapter", "organization",
                                                         "audience", "created_by"),
        pk=pk,
    )
    if _status_locked_list(request, call_list):
        return step_up_redirect(request)
    assignments = list(calls.assignments_with_progress(
        call_list.assignments.select_related("caller")).order_by("id"))
    in_scope = (CallEntry.objects.filter(assignment__call_list=call_list,
                                         person__in=people_visible_to(user).values("pk"))
                .select_related("person", "assignment__caller")
                .order_by("assignment_id", "position", "id"))
    entries = list(in_scope[:NAMES_SHOWN + 1])
    progress = calls.call_list_progress(call_list)
    return render(request, "organize/calls/detail.html", {
        "call_list": call_list,
        "assignments": assignments,
        "progress": progress,
        "entries": entries[:NAMES_SHOWN],
        "more_entries": len(entries) > NAMES_SHOWN,
        "editable": calls.call_lists_editable_by(user).filter(pk=call_list.pk).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def call_list_delete(request, pk: int):
    """GET: what deleting the list does, and the button; POST: delete it. A list from
    which calls were recorded is kept: the page says why (decision 0061)."""
    call_list = get_object_or_404(calls.call_lists_editable_by(request.user)
                                  .select_related("campaign", "audience"), pk=pk)
    if _status_locked_list(request, call_list):
        return step_up_redirect(request, reverse("organize:call_list_delete",
                                                 args=[call_list.pk]))
    progress = calls.call_list_progress(call_list)
    if request.method == "POST":
        try:
            calls.call_list_delete(call_list=call_list, actor=request.user)
        except calls.CallsRecorded:
            messages.error(request, _("Calls were recorded on this list: it is kept."))
            return redirect("organize:call_list_detail", pk=call_list.pk)
        messages.success(request, _("The call list %(name)s was deleted.")
                         % {"name": call_list.name})
        return redirect("organize:call_lists")
    return render(request, "organize/calls/delete.html", {
        "call_list": call_list, "progress": progress,
        "callers": call_list.assignments.count(),
    })


def _assignment(request, pk: int) -> CallAssignment:
    assignment = calls.assignment_openable_by(request.user, pk)
    if assignment is None:
        raise Http404("not this account's assignment")
    return assignment


def _entries(request, assignment: CallAssignment):
    """The caller's whole list; an organizer looking on sees the people of their scope."""
    return calls.assignment_entries_for(request.user, assignment)


@login_required
def assignment_detail(request, pk: int):
    assignment = _assignment(request, pk)
    if _status_locked_list(request, assignment.call_list):
        return step_up_redirect(request)
    # A number waiting for confirmation is not called (decision 0036).
    phones = PhoneNumber.objects.filter(pending=False).order_by("-is_primary", "id").only(
        "id", "person_id", "number", "kind", "is_primary")
    entries = list(
        _entries(request, assignment)
        .select_related("person")
        .only("id", "position", "outcome", "called_at", "assignment_id", "person_id",
              "person__chosen_name")
        .prefetch_related(Prefetch("person__phones", queryset=phones))
        .order_by("position", "id")
    )
    done = sum(1 for entry in entries if entry.outcome)
    return render(request, "organize/calls/assignment.html", {
        "assignment": assignment,
        "call_list": assignment.call_list,
        "entries": entries,
        "done": done,
        "outcomes": CallEntry.Outcome.choices,
        "is_caller": assignment.caller_id == request.user.pk,
    })


@require_POST
@login_required
def entry_outcome(request, pk: int, entry_pk: int):
    assignment = _assignment(request, pk)
    if _status_locked_list(request, assignment.call_list):
        return step_up_redirect(request, reverse("organize:assignment_detail",
                                                 args=[assignment.pk]))
    entry = get_object_or_404(_entries(request, assignment), pk=entry_pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: choose one of the buttons."))
    else:
        calls.entry_outcome_record(entry=entry, outcome=form.cleaned_data["outcome"],
                                   actor=request.user)
    return redirect(reverse("organize:assignment_detail", args=[assignment.pk])
                    + f"#entry-{entry.pk}")
