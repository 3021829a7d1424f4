"""Organizer pages for call and e-mail actions: the list, an action and its counts, and
creating and editing them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.advocacy.selectors import (
    action_counts,
    action_may_edit,
    actions_editable_by,
    actions_list,
    actions_visible_to,
    recent_call_notes,
)
from solidaire.advocacy.services import action_create, action_update
from solidaire.organizing.selectors import organizations_for_new
from solidaire.people.selectors import people_visible_to

from ..forms.actions import ActionForm
from .editing import save_or_slug_error


@login_required
def action_list(request):
    return render(request, "organize/actions/list.html", {
        "actions": actions_list(request.user),
        "may_add": organizations_for_new(request.user).exists(),
    })


@login_required
def action_detail(request, slug: str):
    action = get_object_or_404(
        actions_visible_to(request.user).select_related("organization", "chapter", "campaign"),
        slug=slug,
    )
    counts = action_counts(action)
    return render(request, "organize/actions/detail.html", {
        "action": action,
        "counts": counts,
        "targets": list(action.targets.select_related("riding").order_by("name")),
        "notes": recent_call_notes(action, people_visible_to(request.user)),
        "may_edit": action_may_edit(request.user, action),
    })


@login_required
def action_add(request):
    if not organizations_for_new(request.user).exists():
        raise Http404("no organization to add an action to")
    form = ActionForm(request.POST or None, user=request.user,
                      initial={"chapter": request.GET.get("chapter", "")})
    if request.method == "POST" and form.is_valid():
        action = save_or_slug_error(form, lambda: action_create(
            actor=request.user, **form.service_arguments()))
        if action is not None:
            messages.success(request, _("The action %(title)s was created.")
                             % {"title": action.display_title})
            return redirect("organize:action_detail", slug=action.slug)
    return render(request, "organize/actions/form.html", {"form": form, "action": None})


@login_required
def action_edit(request, slug: str):
    action = get_object_or_404(
        actions_editable_by(request.user).select_related("organization", "chapter", "campaign"),
        slug=slug,
    )
    form = ActionForm(request.POST or None, user=request.user, instance=action)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: action_update(
            action=action, actor=request.user, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:action_detail", slug=saved.slug)
    return render(request, "organize/actions/form.html", {"form": form, "action": action})
