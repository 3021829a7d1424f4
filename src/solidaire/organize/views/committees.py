"""Committees and their members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.membership.models import Committee
from solidaire.membership.selectors import committees_editable_by, committees_visible_to
from solidaire.membership.services import (
    committee_create,
    committee_join,
    committee_leave,
    committee_update,
)
from solidaire.organizing.selectors import organizations_for_new

from .. import selectors
from ..forms.committees import (
    CommitteeForm,
    CommitteeMemberAddForm,
    CommitteeMemberRemoveForm,
    CommitteeSearchForm,
)
from .editing import save_or_slug_error


@login_required
def committee_list(request):
    return render(request, "organize/committees/list.html", {
        "committees": selectors.committees_list(request.user),
        "may_add": organizations_for_new(request.user).exists(),
    })


@login_required
def committee_detail(request, slug: str):
    committee = get_object_or_404(
        committees_visible_to(request.user).select_related("organization", "chapter"),
        slug=slug,
    )
    # The search stays in the query string so a failed add shows the same candidates.
    search = CommitteeSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    add_form = CommitteeMemberAddForm(user=request.user, committee=committee)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "add":
        add_form = CommitteeMemberAddForm(request.POST, user=request.user,
                                          committee=committee)
        if add_form.is_valid():
            person = add_form.cleaned_data["person"]
            committee_join(committee=committee, person=person,
                           role=add_form.cleaned_data["role"], actor=request.user)
            messages.success(request, _("%(name)s was added to the committee.")
                             % {"name": person.chosen_name})
            return redirect("organize:committee_detail", slug=committee.slug)
    elif action == "remove":
        remove_form = CommitteeMemberRemoveForm(request.POST, user=request.user,
                                                committee=committee)
        if remove_form.is_valid():
            person = remove_form.cleaned_data["person"]
            committee_leave(committee=committee, person=person, actor=request.user)
            messages.success(request, _("%(name)s was removed from the committee.")
                             % {"name": person.chosen_name})
        else:
            messages.error(request, _("That person is not a member you can remove."))
        return redirect("organize:committee_detail", slug=committee.slug)
    members = selectors.committee_members(request.user, committee)
    return render(request, "organize/committees/detail.html", {
        "committee": committee,
        "members": members.shown,
        "members_in_scope": members.visible,
        "other_members": members.others,
        "search": search,
        "q": q,
        "candidates": selectors.committee_candidates(request.user, committee, q),
        "add_form": add_form,
        "roles": add_form.fields["role"].choices,
        "may_edit": committees_editable_by(request.user).filter(pk=committee.pk)
        .exists(),
    })


@login_required
def committee_add(request):
    if not organizations_for_new(request.user).exists():
        raise Http404("no organization to add a committee to")
    form = CommitteeForm(request.POST or None, user=request.user,
                         initial={"chapter": request.GET.get("chapter", "")})
    if request.method == "POST" and form.is_valid():
        committee = save_or_slug_error(form, lambda: committee_create(
            actor=request.user, **form.service_arguments()))
        if committee is not None:
            messages.success(request, _("The committee %(name)s was created.")
                             % {"name": committee.name})
            return redirect("organize:committee_detail", slug=committee.slug)
    return render(request, "organize/committees/form.html", {"form": form, "committee": None})


@login_required
def committee_edit(request, slug: str):
    committee = get_object_or_404(
        committees_editable_by(request.user).select_related("organization",
                                                                      "chapter"),
        slug=slug,
    )
    form = CommitteeForm(request.POST or None, user=request.user, instance=committee)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: committee_update(
            committee=Committee.objects.get(pk=committee.pk), actor=request.user,
            **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:committee_detail", slug=saved.slug)
    return render(request, "organize/committees/form.html",
                  {"form": form, "committee": committee})
