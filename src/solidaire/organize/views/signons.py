"""Organizer pages for sign-on statements and their endorsements.

Anyone whose scope reaches a statement sees it and its public list; those who may edit
it (a chapter's organizers, the organization's coordinators for a statement of the whole
organization) also see the contact people and approve or reject endorsements.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidaire.organizing.selectors import organizations_for_new
from solidaire.people.models import EmailAddress, PhoneNumber
from solidaire.people.normalize import format_phone
from solidaire.petitions.models import Endorsement
from solidaire.petitions.selectors import (
    signon_may_edit,
    signons_editable_by,
    signons_visible_to,
)
from solidaire.petitions.signons import (
    endorsement_decide as endorsement_decide_service,
)
from solidaire.petitions.signons import (
    signon_create,
    signon_update,
    signons_with_counts,
)

from ..forms.signons import SignOnForm
from .editing import save_or_slug_error


def _with_contacts(endorsements: QuerySet[Endorsement]) -> list[Endorsement]:
    """Endorsements with their contact person's primary e-mail and phone, in three queries."""
    rows = list(endorsements.select_related("contact", "decided_by").prefetch_related(
        Prefetch("contact__emails", queryset=EmailAddress.objects.filter(is_primary=True),
                 to_attr="primary_emails"),
        Prefetch("contact__phones", queryset=PhoneNumber.objects.filter(is_primary=True),
                 to_attr="primary_phones"),
    ))
    for row in rows:
        contact = row.contact
        row.contact_email = contact.primary_emails[0].address \
            if contact and contact.primary_emails else ""
        row.contact_phone = contact.primary_phones[0].number \
            if contact and contact.primary_phones else ""
        row.contact_phone_display = format_phone(row.contact_phone) if row.contact_phone else ""
    return rows


@login_required
def signon_list(request):
    signons = signons_with_counts(
        signons_visible_to(request.user).select_related("organization", "chapter"))
    return render(request, "organize/signons/list.html", {
        "signons": signons,
        "may_add": organizations_for_new(request.user).exists(),
    })


@login_required
def signon_detail(request, slug: str):
    sign_on = get_object_or_404(
        signons_visible_to(request.user).select_related("organization", "chapter", "campaign"),
        slug=slug,
    )
    may_edit = signon_may_edit(request.user, sign_on)
    endorsements = sign_on.endorsements.order_by("name_key", "id")
    by_status = {status: [] for status in Endorsement.Status}
    # Only those who decide see the contact people (kept private, decision 0021).
    rows = _with_contacts(endorsements) if may_edit else list(
        endorsements.filter(status=Endorsement.Status.APPROVED))
    for row in rows:
        by_status[row.status].append(row)
    return render(request, "organize/signons/detail.html", {
        "sign_on": sign_on,
        "targets": list(sign_on.targets.all()),
        "may_edit": may_edit,
        "pending": by_status[Endorsement.Status.PENDING],
        "approved": by_status[Endorsement.Status.APPROVED],
        "rejected": by_status[Endorsement.Status.REJECTED],
    })


@login_required
def signon_add(request):
    if not organizations_for_new(request.user).exists():
        raise Http404("no organization to add a sign-on to")
    form = SignOnForm(request.POST or None, user=request.user,
                      initial={"chapter": request.GET.get("chapter", "")})
    if request.method == "POST" and form.is_valid():
        sign_on = save_or_slug_error(form, lambda: signon_create(
            actor=request.user, **form.service_arguments()))
        if sign_on is not None:
            messages.success(request, _("The statement %(title)s was created.")
                             % {"title": sign_on.display_title})
            return redirect("organize:signon_detail", slug=sign_on.slug)
    return render(request, "organize/signons/form.html", {"form": form, "sign_on": None})


@login_required
def signon_edit(request, slug: str):
    sign_on = get_object_or_404(
        signons_editable_by(request.user).select_related("organization", "chapter", "campaign"),
        slug=slug,
    )
    form = SignOnForm(request.POST or None, user=request.user, instance=sign_on)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: signon_update(
            sign_on=sign_on, actor=request.user, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:signon_detail", slug=saved.slug)
    return render(request, "organize/signons/form.html", {"form": form, "sign_on": sign_on})


@login_required
@require_POST
def endorsement_decide(request, slug: str, pk: int):
    sign_on = get_object_or_404(signons_editable_by(request.user), slug=slug)
    endorsement = get_object_or_404(sign_on.endorsements, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to list the endorsement or not."))
        return redirect("organize:signon_detail", slug=sign_on.slug)
    endorsement_decide_service(actor=request.user, endorsement=endorsement,
                               approve=decision == "approve")
    if decision == "approve":
        messages.success(request, _("%(name)s is now listed publicly.")
                         % {"name": endorsement.org_name})
    else:
        messages.success(request, _("%(name)s will not be listed.")
                         % {"name": endorsement.org_name})
    return redirect("organize:signon_detail", slug=sign_on.slug)
