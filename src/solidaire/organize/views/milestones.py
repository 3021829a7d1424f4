"""Campaign milestones: the dated moments organizers add to a campaign's timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.campaigns.selectors import campaigns_editable_by
from solidaire.campaigns.services import milestone_create, milestone_delete, milestone_update

from ..forms.milestones import MilestoneForm


def _campaign(request, slug: str):
    """The campaign, when the account may change it (others get a 404)."""
    return get_object_or_404(campaigns_editable_by(request.user), slug=slug)


@login_required
def milestone_add(request, slug: str):
    campaign = _campaign(request, slug)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        milestone = milestone_create(campaign=campaign, actor=request.user,
                                     **form.service_arguments())
        messages.success(request, _("The milestone %(title)s was added.")
                         % {"title": milestone.display_title})
        return redirect("organize:campaign_detail", slug=campaign.slug)
    return render(request, "organize/campaigns/milestone_form.html", {
        "form": form, "campaign": campaign, "milestone": None,
    })


@login_required
def milestone_edit(request, slug: str, pk: int):
    campaign = _campaign(request, slug)
    milestone = get_object_or_404(campaign.milestones.all(), pk=pk)
    if request.method == "POST" and "delete" in request.POST:
        title = milestone.display_title
        milestone_delete(milestone=milestone, actor=request.user)
        messages.success(request, _("The milestone %(title)s was deleted.") % {"title": title})
        return redirect("organize:campaign_detail", slug=campaign.slug)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        milestone_update(milestone=milestone, actor=request.user, **form.service_arguments())
        messages.success(request, _("The changes were saved."))
        return redirect("organize:campaign_detail", slug=campaign.slug)
    return render(request, "organize/campaigns/milestone_form.html", {
        "form": form, "campaign": campaign, "milestone": milestone,
    })
