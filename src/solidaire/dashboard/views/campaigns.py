"""Campaigns: the list, a campaign, and creating and editing them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.campaigns.services import campaign_create, campaign_update

from .. import selectors
from ..forms import CampaignForm
from .editing import save_or_slug_error


@login_required
def campaign_list(request):
    return render(request, "dashboard/campaigns/list.html", {
        "campaigns": selectors.campaigns_list(request.user),
        "may_add": selectors.organizations_for_new(request.user).exists(),
    })


@login_required
def campaign_detail(request, slug: str):
    campaign = get_object_or_404(
        campaigns_visible_to(request.user).select_related("organization", "chapter"),
        slug=slug,
    )
    return render(request, "dashboard/campaigns/detail.html", {
        "campaign": campaign,
        "demands": campaign.demands.order_by("position", "id"),
        "may_edit": selectors.campaigns_editable_by(request.user).filter(pk=campaign.pk)
        .exists(),
    })


@login_required
def campaign_add(request):
    if not selectors.organizations_for_new(request.user).exists():
        raise Http404("no organization to add a campaign to")
    form = CampaignForm(request.POST or None, user=request.user,
                        initial={"chapter": request.GET.get("chapter", "")})
    if request.method == "POST" and form.is_valid():
        campaign = save_or_slug_error(form, lambda: campaign_create(
            actor=request.user, **form.service_arguments()))
        if campaign is not None:
            messages.success(request, _("The campaign %(title)s was created.")
                             % {"title": campaign.display_title})
            return redirect("dashboard:campaign_detail", slug=campaign.slug)
    return render(request, "dashboard/campaigns/form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request, slug: str):
    campaign = get_object_or_404(
        selectors.campaigns_editable_by(request.user).select_related("organization", "chapter"),
        slug=slug,
    )
    form = CampaignForm(request.POST or None, user=request.user, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: campaign_update(
            campaign=campaign, actor=request.user, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("dashboard:campaign_detail", slug=saved.slug)
    return render(request, "dashboard/campaigns/form.html", {"form": form, "campaign": campaign})
