"""Account security pages: two-factor enrolment, the lockout page, the accounts list."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import match_token, user_has_device

from solidaire.core.access import is_coordinator
from solidaire.core.accounts import accounts_visible_to
from solidaire.core.sessions import account_sessions_end, sessions_count_by_account
from solidaire.core.two_factor import (
    ENROL,
    SESSION_NEED_KEY,
    SESSION_PENDING_KEY,
    VERIFY,
    accounts_with_two_factor,
    code_matches_key,
    pending_key,
    provisioning_uri,
    second_factor_passed,
    second_factor_recent,
    secret_for_people,
    session_two_factor_need,
    two_factor_enrol,
)

from ..forms.auth import CodeForm
from .auth import next_url


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor(request):
    """Turn on two-factor login: scan the QR code (or type the secret), confirm a code."""
    user = request.user
    if user_has_device(user, confirmed=True):
        if session_two_factor_need(request) == VERIFY:
            # A second device cannot stand in for the code of the first.
            return redirect("organize:login_code")
        return render(request, "organize/security/two_factor.html", {"enrolled": True})
    key = pending_key(request.session)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if code_matches_key(key=key, code=form.cleaned_data["code"]):
            device = two_factor_enrol(user=user, key=key)
            second_factor_passed(request, device)
            request.session[SESSION_NEED_KEY] = VERIFY
            request.session.pop(SESSION_PENDING_KEY, None)
            request.session.cycle_key()
            messages.success(request, _("Two-factor login is on. From now on, logging in "
                                        "asks for a code from your app."))
            return redirect(next_url(request))
        form.add_error("code", _("This code does not match. Check that the app added the "
                                 "account shown here, then enter the code it shows now."))
    qr = segno.make(provisioning_uri(key=key, username=user.get_username()), error="m")
    return render(request, "organize/security/two_factor.html", {
        "enrolled": False,
        "form": form,
        "secret": secret_for_people(key),
        "qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False,
                                title=_("QR code to scan with your authenticator app")),
        "required": request.session.get(SESSION_NEED_KEY) == ENROL,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    })


@sensitive_post_parameters("code")
@never_cache
@login_required
def step_up(request):
    """The code again before a page that shows immigration status (or the admin) opens,
    when this session last passed it too long ago or never did; then back to that page.
    An account without a device is sent to set one up first (decision 0046)."""
    target = next_url(request)
    if second_factor_recent(request):
        return redirect(target)
    user = request.user
    if not user_has_device(user, confirmed=True):
        return render(request, "organize/security/step_up.html", {
            "enrol_url": f"{reverse('organize:two_factor')}?{urlencode({'next': target})}",
        })
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, "".join(form.cleaned_data["code"].split()))
        if device is not None:
            second_factor_passed(request, device)
            request.session.cycle_key()
            return redirect(target)
        form.add_error("code", _("This code is not right, or came too late. Enter the code "
                                 "your app shows now."))
    return render(request, "organize/security/step_up.html", {"form": form, "next": target})


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username and address have failed too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "organize/auth/locked_out.html", {"minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


@never_cache
@login_required
def account_list(request):
    """Coordinators: the accounts of their organization and how many sessions each has open."""
    if not is_coordinator(request.user):
        raise Http404
    accounts = list(accounts_visible_to(request.user)
                    .select_related("organizer_role").order_by("username"))
    counts = sessions_count_by_account()
    with_two_factor = accounts_with_two_factor(account.pk for account in accounts)
    rows = [{"account": account, "sessions": counts.get(str(account.pk), 0),
             "two_factor": account.pk in with_two_factor}
            for account in accounts]
    return render(request, "organize/accounts/list.html", {"rows": rows})


@login_required
def account_sessions_end_view(request, pk: int):
    """Coordinators: log an account out everywhere (a lost phone, a departure). POST only."""
    # Scope first: an account outside it is a 404 whatever the method.
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ended = account_sessions_end(account=account, actor=request.user)
    messages.success(request, ngettext(
        "%(name)s was logged out of %(count)d session.",
        "%(name)s was logged out of %(count)d sessions.", ended,
    ) % {"name": account.get_username(), "count": ended})
    if account.pk == request.user.pk:
        return redirect("organize:login")
    return redirect("organize:accounts")
