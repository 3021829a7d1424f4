"""Forms of logging in: the code from the authenticator app, the password reset."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from solidaire.core.outbox import email_enqueue


class CodeForm(forms.Form):
    """The second factor: at login, at enrolment and before immigration status."""

    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=12,
        help_text=_("Six digits. The code changes every 30 seconds."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


class OutboxPasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its e-mail written to the outbox in the page's language."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        email_enqueue(to=to_email, subject_template=subject_template_name,
                      body_template=email_template_name, context=context,
                      language=translation.get_language() or settings.LANGUAGE_CODE,
                      kind="password_reset")
