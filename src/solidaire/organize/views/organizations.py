"""Organizations and coalitions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.organizing.models import Organization
from solidaire.organizing.selectors import (
    chapter_tree,
    chapters_visible_to,
    coalitions_run_by,
    organizations_run_by,
    organizations_visible_to,
)
from solidaire.organizing.services import coalition_member_create, organization_update

from ..forms.organizations import CoalitionMemberForm, OrganizationForm


@login_required
def organization_list(request):
    return render(request, "organize/organizations/list.html", {
        "organizations": organizations_visible_to(request.user).order_by("name"),
    })


@login_required
def organization_detail(request, slug: str):
    visible = organizations_visible_to(request.user)
    organization = get_object_or_404(visible, slug=slug)
    visible_ids = set(visible.values_list("pk", flat=True))
    may_edit = organizations_run_by(request.user).filter(pk=organization.pk).exists()
    return render(request, "organize/organizations/detail.html", {
        "organization": organization,
        "visible_ids": visible_ids,
        "members": organization.members.order_by("name"),
        "coalitions": organization.coalitions.order_by("name"),
        "chapters": chapter_tree(
            chapters_visible_to(request.user).filter(organization=organization),
        ),
        "campaigns": campaigns_visible_to(request.user).filter(organization=organization)
        .select_related("chapter"),
        "may_edit": may_edit,
        "may_add_member": may_edit and organization.kind == Organization.Kind.COALITION,
    })


@login_required
def organization_edit(request, slug: str):
    """Coordinators edit their own organization."""
    organization = get_object_or_404(organizations_run_by(request.user), slug=slug)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        organization_update(organization=Organization.objects.get(pk=organization.pk),
                            actor=request.user, **form.service_arguments())
        messages.success(request, _("The changes were saved."))
        return redirect("organize:organization_detail", slug=organization.slug)
    return render(request, "organize/organizations/form.html",
                  {"form": form, "organization": organization})


@login_required
def coalition_member_add(request, slug: str):
    """Coordinators of a coalition record a new member organization."""
    coalition = get_object_or_404(coalitions_run_by(request.user), slug=slug)
    form = CoalitionMemberForm(request.POST or None, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        member = coalition_member_create(coalition=coalition, actor=request.user,
                                         **form.service_arguments())
        messages.success(request, _("%(name)s is now a member of the coalition.")
                         % {"name": member.name})
        return redirect("organize:organization_detail", slug=coalition.slug)
    return render(request, "organize/organizations/member_form.html",
                  {"form": form, "coalition": coalition})
