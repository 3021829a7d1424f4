"""Campaigns: the list, a campaign, and creating and editing them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from solidaire.advocacy.selectors import actions_list
from solidaire.campaigns.models import Target
from solidaire.campaigns.selectors import campaigns_editable_by, campaigns_visible_to
from solidaire.campaigns.services import campaign_create, campaign_update
from solidaire.campaigns.timeline import campaign_timeline
from solidaire.events.models import Registration
from solidaire.events.selectors import events_visible_to
from solidaire.organizing.selectors import organizations_for_new
from solidaire.petitions.selectors import petitions_visible_to
from solidaire.petitions.stats import with_signature_counts

from .. import selectors
from ..forms.campaigns import CampaignForm
from .editing import save_or_slug_error


@login_required
def campaign_list(request):
    return render(request, "organize/campaigns/list.html", {
        "campaigns": selectors.campaigns_list(request.user),
        "may_add": organizations_for_new(request.user).exists(),
    })


@login_required
def campaign_detail(request, slug: str):
    """The campaign room: demands, targets, everything linked and the timeline."""
    campaign = get_object_or_404(
        campaigns_visible_to(request.user).select_related("organization", "chapter"),
        slug=slug,
    )
    user = request.user
    petitions = list(with_signature_counts(petitions_visible_to(user).filter(campaign=campaign))
                     .select_related("chapter").order_by("-created_at", "-id"))
    actions = list(actions_list(user).filter(campaign=campaign).order_by("-created_at", "-id"))
    events = list(
        events_visible_to(user).filter(Q(campaign=campaign) | Q(series__campaign=campaign))
        .annotate(registered=Count("registrations", filter=Q(
                      registrations__status=Registration.Status.CONFIRMED)),
                  attended=Count("registrations", filter=Q(
                      registrations__attended_at__isnull=False)))
        .select_related("chapter").order_by("-starts_at", "-id")
    )
    targets = list(
        Target.objects.filter(Q(petitions__campaign=campaign) | Q(actions__campaign=campaign))
        .distinct().order_by("name", "id")
    )
    may_edit = campaigns_editable_by(user).filter(pk=campaign.pk).exists()
    return render(request, "organize/campaigns/detail.html", {
        "campaign": campaign,
        "demands": campaign.demands.order_by("position", "id"),
        "may_edit": may_edit,
        "petitions": petitions,
        "actions": actions,
        "events": events,
        "targets": targets,
        "timeline": campaign_timeline(campaign, public=False, user=user),
        "now": timezone.now(),
    })


@login_required
def campaign_add(request):
    if not organizations_for_new(request.user).exists():
        raise Http404("no organization to add a campaign to")
    form = CampaignForm(request.POST or None, user=request.user,
                        initial={"chapter": request.GET.get("chapter", "")})
    if request.method == "POST" and form.is_valid():
        campaign = save_or_slug_error(form, lambda: campaign_create(
            actor=request.user, **form.service_arguments()))
        if campaign is not None:
            messages.success(request, _("The campaign %(title)s was created.")
                             % {"title": campaign.display_title})
            return redirect("organize:campaign_detail", slug=campaign.slug)
    return render(request, "organize/campaigns/form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request, slug: str):
    campaign = get_object_or_404(
        campaigns_editable_by(request.user).select_related("organization", "chapter"),
        slug=slug,
    )
    form = CampaignForm(request.POST or None, user=request.user, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: campaign_update(
            campaign=campaign, actor=request.user, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:campaign_detail", slug=saved.slug)
    return render(request, "organize/campaigns/form.html", {"form": form, "campaign": campaign})
