"""Organizer pages for petitions: list, add, edit, figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.organizing.selectors import organizations_for_new
from solidaire.petitions import stats
from solidaire.petitions.editing import (
    petition_create,
    petition_update,
    signature_remove,
    signature_restore,
)
from solidaire.petitions.models import Petition, Signature
from solidaire.petitions.selectors import (
    petition_may_edit,
    petitions_editable_by,
    petitions_visible_to,
)

from ..forms.petitions import PetitionFilterForm, PetitionForm, SignatureActionForm
from .editing import save_or_slug_error


@login_required
def petition_list(request):
    form = PetitionFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    petitions = stats.petitions_list(petitions_visible_to(request.user), **form.filters())
    return render(request, "organize/petitions/list.html", {
        "form": form,
        "petitions": petitions,
        "may_add": organizations_for_new(request.user).exists(),
    })


@login_required
def petition_add(request):
    if not organizations_for_new(request.user).exists():
        raise Http404("no organization to add a petition to")
    form = PetitionForm(request.POST or None, user=request.user,
                        initial={"chapter": request.GET.get("chapter", "")})
    if request.method == "POST" and form.is_valid():
        petition = save_or_slug_error(form, lambda: petition_create(
            actor=request.user, **form.service_arguments()))
        if petition is not None:
            messages.success(request, _("The petition %(title)s was created.")
                             % {"title": petition.display_title})
            return redirect("organize:petition_detail", slug=petition.slug)
    return render(request, "organize/petitions/form.html", {"form": form, "petition": None})


@login_required
def petition_edit(request, slug: str):
    petition = get_object_or_404(
        petitions_editable_by(request.user).select_related("organization", "chapter",
                                                           "campaign"),
        slug=slug,
    )
    form = PetitionForm(request.POST or None, user=request.user, instance=petition)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: petition_update(
            petition=petition, actor=request.user, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:petition_detail", slug=saved.slug)
    return render(request, "organize/petitions/form.html", {"form": form, "petition": petition})


@login_required
def petition_detail(request, slug: str):
    petition = get_object_or_404(
        petitions_visible_to(request.user).select_related("organization", "chapter",
                                                          "campaign"),
        slug=slug,
    )
    may_edit = petition_may_edit(request.user, petition)
    if request.method == "POST":
        return _signature_action(request, petition, may_edit=may_edit)
    figures = stats.petition_figures(petition)
    targets = list(petition.targets.order_by("name", "id"))
    deliveries = list(petition.deliveries.select_related("target"))
    for target in targets:
        target.petition_deliveries = [d for d in deliveries if d.target_id == target.pk]
    Status = Signature.Status
    return render(request, "organize/petitions/detail.html", {
        "petition": petition,
        "may_edit": may_edit,
        "figures": figures,
        "percent": figures.percent_of(petition.goal),
        "status_rows": [
            (_("Counted"), figures.by_status[Status.COUNTED]),
            (_("Waiting for e-mail confirmation"), figures.by_status[Status.UNCONFIRMED]),
            (_("Received, being recorded"), figures.by_status[Status.PENDING]),
            (_("Same person signed already"), figures.by_status[Status.DUPLICATE]),
            (_("Removed by an organizer"), figures.by_status[Status.REMOVED]),
        ],
        "source_rows": [
            (Signature.Source.ONLINE.label, figures.by_source[Signature.Source.ONLINE]),
            (Signature.Source.PAPER.label, figures.by_source[Signature.Source.PAPER]),
        ],
        "days": stats.signatures_per_day(petition),
        "targets": targets,
        "deliveries": deliveries,
        "recent": stats.recent_signatures(request.user, petition),
        "recent_shown": stats.RECENT_SHOWN,
    })


def _signature_action(request, petition: Petition, *, may_edit: bool):
    """The "Remove (spam)" and "Restore" buttons of the recent signatures."""
    if not may_edit:
        raise Http404("this account does not edit this petition")
    form = SignatureActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: the request was incomplete."))
        return redirect("organize:petition_detail", slug=petition.slug)
    signature = get_object_or_404(Signature.objects.only("id", "petition_id"),
                                  petition=petition, pk=form.cleaned_data["signature"])
    if form.cleaned_data["action"] == "remove":
        signature_remove(actor=request.user, signature=signature)
        messages.success(request, _("The signature was removed: it no longer counts."))
    else:
        signature = signature_restore(actor=request.user, signature=signature)
        messages.success(request, _("The signature was restored."))
    return redirect("organize:petition_detail", slug=petition.slug)
