"""Logging in and out of the organizer pages, the second-factor step, password reset."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, match_token

from solidaire.core.two_factor import (
    ENROL,
    SESSION_NEED_KEY,
    VERIFY,
    second_factor_passed,
    session_two_factor_need,
    two_factor_need,
)

from ..forms.auth import CodeForm, OutboxPasswordResetForm


class LoginView(auth_views.LoginView):
    template_name = "organize/auth/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        """After the password: the code page or enrolment when the account needs them."""
        url = super().get_success_url()
        need = session_two_factor_need(self.request)
        if need == VERIFY:
            return f"{reverse('organize:login_code')}?{urlencode({'next': url})}"
        if need == ENROL:
            return f"{reverse('organize:two_factor')}?{urlencode({'next': url})}"
        return url


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link cannot log anyone out."""


def next_url(request, default: str = "organize:home") -> str:
    """The ?next= page when it is on this site, the organizer home otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(default)


@sensitive_post_parameters("code")
@never_cache
@login_required
def login_code(request):
    """Second login step for an account with a TOTP device: the code from the app."""
    need = session_two_factor_need(request)
    if need != VERIFY:
        return redirect(next_url(request))
    if not any(True for _device in devices_for_user(request.user)):
        # The device was removed since the password step: look again at what is needed.
        request.session[SESSION_NEED_KEY] = two_factor_need(request.user)
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, "".join(form.cleaned_data["code"].split()))
        if device is not None:
            second_factor_passed(request, device)
            request.session.cycle_key()
            return redirect(next_url(request))
        form.add_error("code", _("This code is not right, or came too late. Enter the code "
                                 "your app shows now."))
    return render(request, "organize/auth/login_code.html",
                  {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "organize/auth/password_reset_form.html"
    email_template_name = "organize/auth/email/password_reset.txt"
    subject_template_name = "organize/auth/email/password_reset_subject.txt"
    success_url = reverse_lazy("organize:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "organize/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password, then the login page: the second factor is still asked there."""

    template_name = "organize/auth/password_reset_confirm.html"
    post_reset_login = False
    success_url = reverse_lazy("organize:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "organize/auth/password_reset_complete.html"
