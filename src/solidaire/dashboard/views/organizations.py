"""Organizations and coalitions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.organizing.selectors import (
    chapter_tree,
    chapters_visible_to,
    organizations_visible_to,
)


@login_required
def organization_list(request):
    return render(request, "dashboard/organizations/list.html", {
        "organizations": organizations_visible_to(request.user).order_by("name"),
    })


@login_required
def organization_detail(request, slug: str):
    visible = organizations_visible_to(request.user)
    organization = get_object_or_404(visible, slug=slug)
    visible_ids = set(visible.values_list("pk", flat=True))
    return render(request, "dashboard/organizations/detail.html", {
        "organization": organization,
        "visible_ids": visible_ids,
        "members": organization.members.order_by("name"),
        "coalitions": organization.coalitions.order_by("name"),
        "chapters": chapter_tree(
            chapters_visible_to(request.user).filter(organization=organization),
        ),
        "campaigns": campaigns_visible_to(request.user).filter(organization=organization)
        .select_related("chapter"),
    })
