"""The walk-in form of the check-in page: a name, and a way to reach the person if they wish."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solidaire.people.normalize import normalize_email, normalize_phone


class WalkInForm(forms.Form):
    """Someone who came without registering. Only the name is required."""

    key = forms.CharField(widget=forms.HiddenInput)
    chosen_name = forms.CharField(
        label=_("Name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off",
                                      "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail (optional)"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.CONTENT_LANGUAGES)
    consent_sms = forms.BooleanField(label=_("Agrees to get text messages"), required=False)
    consent_email = forms.BooleanField(label=_("Agrees to get e-mails"), required=False)

    def clean_chosen_name(self):
        name = " ".join(self.cleaned_data["chosen_name"].split())
        if not name:
            raise forms.ValidationError(_("Write the person's name."))
        return name

    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        if not value:
            return ""
        return normalize_email(value)

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        return normalize_phone(value)

    def clean(self):
        data = super().clean()
        # Consent needs a way to reach the person.
        if data.get("consent_sms") and not data.get("phone"):
            data["consent_sms"] = False
        if data.get("consent_email") and not data.get("email"):
            data["consent_email"] = False
        return data
