"""Public sign-on pages: the statement, its endorsers, the endorsement form."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.campaigns.models import Publication
from solidaire.core.intake import form_token_check, form_token_new, rate_limited
from solidaire.petitions.models import SignOn
from solidaire.petitions.signons import (
    Outcome,
    endorsement_submit,
    public_endorsements,
    public_signon,
)

from .signon_forms import EndorsementForm


def _signon_or_404(slug: str) -> SignOn:
    sign_on = public_signon(slug)
    if sign_on is None:
        raise Http404("no such sign-on")
    return sign_on


def _render(request, sign_on: SignOn, form: EndorsementForm | None, *, problem: str = "",
            status: int = 200):
    if form is not None:
        # Every rendering carries a fresh key; a rejected POST keeps all it typed but the key.
        if form.is_bound:
            form.data = form.data.copy()
            form.data["key"] = form_token_new()
        else:
            form.initial["key"] = form_token_new()
    groups = public_endorsements(sign_on)
    return render(request, "public/signons/page.html", {
        "sign_on": sign_on,
        "targets": list(sign_on.targets.all()),
        "groups": groups,
        "endorser_count": sum(group.count for group in groups),
        "form": form,
        "problem": problem,
    }, status=status)


@csrf_exempt  # the signed form key plays the CSRF token's part (decision 0018)
@require_http_methods(["GET", "POST"])
def signon_page(request, slug: str):
    sign_on = _signon_or_404(slug)
    is_open = sign_on.status == Publication.OPEN
    if request.method != "POST":
        return _render(request, sign_on, EndorsementForm() if is_open else None)
    if not is_open:
        return _render(request, sign_on, None, status=400, problem=_(
            "This statement no longer takes endorsements."))
    form = EndorsementForm(request.POST)
    if rate_limited(request):
        return _render(request, sign_on, form, status=429, problem=_(
            "Too many forms were sent from your connection in a short time. Wait a minute, "
            "then send the form again: what you typed is kept."))
    if not form.is_valid():
        return _render(request, sign_on, form)
    key = form_token_check(form.cleaned_data["key"])
    if key is None:
        return _render(request, sign_on, form, status=400, problem=_(
            "This form was open for too long. Check what you typed, then send it again."))
    if form.is_robot:
        # A robot that filled the hidden field sees the same page as a person.
        return redirect("public:signon_thanks", slug=sign_on.slug)
    data = form.cleaned_data
    result = endorsement_submit(
        sign_on=sign_on, key=key, org_name=data["org_name"], kind=data["kind"],
        city=data["city"], website=data["org_website"], contact_name=data["contact_name"],
        contact_email=data["email"], contact_phone=data["phone"], language=data["language"],
        consent_email=data["consent_email"],
    )
    thanks = reverse("public:signon_thanks", kwargs={"slug": sign_on.slug})
    if result.outcome == Outcome.ALREADY_ENDORSED:
        thanks += "?already=1"
    return redirect(thanks)


@require_safe
def signon_thanks(request, slug: str):
    sign_on = _signon_or_404(slug)
    return render(request, "public/signons/thanks.html", {
        "sign_on": sign_on,
        "already": request.GET.get("already") == "1",
    })
