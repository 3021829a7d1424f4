"""A campaign's toolkit: the resources with their download counts; add, change, delete.

Anyone who sees the campaign sees its toolkit; those who may edit the campaign add,
change and delete resources. Out of scope is a 404, as everywhere.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.campaigns.selectors import campaigns_editable_by, campaigns_visible_to
from solidaire.campaigns.toolkit import (
    campaign_resources,
    resource_create,
    resource_delete,
    resource_update,
)
from solidaire.core.uploads import quota_message, upload_quota_spent

from ..forms.toolkit import ResourceForm


def _quota_spent(request, form: ResourceForm) -> bool:
    """A file (not a link) counts against the account's hourly uploads."""
    if form.cleaned_data.get("file") and upload_quota_spent(request):
        form.add_error("file", quota_message())
        return True
    return False


def _editable_campaign(user, slug: str):
    return get_object_or_404(campaigns_editable_by(user), slug=slug)


@login_required
def resource_list(request, slug: str):
    campaign = get_object_or_404(campaigns_visible_to(request.user), slug=slug)
    resources = list(campaign_resources(campaign))
    return render(request, "organize/campaigns/resources.html", {
        "campaign": campaign,
        "resources": resources,
        "total_downloads": sum(r.download_count for r in resources),
        "may_edit": campaigns_editable_by(request.user).filter(pk=campaign.pk)
        .exists(),
    })


@login_required
def resource_add(request, slug: str):
    campaign = _editable_campaign(request.user, slug)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and not _quota_spent(request, form):
        resource = resource_create(campaign=campaign, actor=request.user,
                                   **form.service_arguments())
        messages.success(request, _("%(title)s was added to the toolkit.")
                         % {"title": resource.title})
        return redirect("organize:resources", slug=campaign.slug)
    return render(request, "organize/campaigns/resource_form.html", {
        "campaign": campaign, "form": form, "resource": None,
    })


@login_required
def resource_edit(request, slug: str, pk: int):
    campaign = _editable_campaign(request.user, slug)
    resource = get_object_or_404(campaign_resources(campaign), pk=pk)
    if request.method == "POST" and "delete" in request.POST:
        title = resource.title
        resource_delete(resource=resource, actor=request.user)
        messages.success(request, _("%(title)s was removed from the toolkit.") % {"title": title})
        return redirect("organize:resources", slug=campaign.slug)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid() and not _quota_spent(request, form):
        resource_update(resource=resource, actor=request.user, **form.service_arguments())
        messages.success(request, _("The changes were saved."))
        return redirect("organize:resources", slug=campaign.slug)
    return render(request, "organize/campaigns/resource_form.html", {
        "campaign": campaign, "form": form, "resource": resource,
    })
