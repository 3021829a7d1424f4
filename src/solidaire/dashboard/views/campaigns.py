"""Campaigns."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from solidaire.campaigns.selectors import campaigns_visible_to

from .. import selectors


@login_required
def campaign_list(request):
    return render(request, "dashboard/campaigns/list.html", {
        "campaigns": selectors.campaigns_list(request.user),
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
    })
