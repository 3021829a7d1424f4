"""Forms for typing paper signatures and recording a delivery."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidaire.core.forms import IsoDateInput
from solidaire.people.normalize import normalize_email, normalize_phone, normalize_postal_code


class PaperLineForm(forms.Form):
    """What every typed line of a paper sheet has (organize/paper_entry.py).

    The sheet number and language stay between entries; `save_anyway` is shown only when
    the line may repeat someone already there.
    """

    key = forms.CharField(widget=forms.HiddenInput)
    sheet_number = forms.CharField(
        label=_("Sheet number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "size": 8}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 8}),
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    save_anyway = forms.BooleanField(
        label=_("Save anyway: this is a different person"), required=False,
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_sheet_number(self):
        return self.cleaned_data["sheet_number"].strip()

    def clean_postal_code(self):
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        return normalize_email(value) if value else ""

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""


class PaperSignatureForm(PaperLineForm):
    """One line of a petition's signature sheet."""

    field_order = ["key", "sheet_number", "language", "name", "postal_code", "city", "email",
                   "phone", "keep_informed", "save_anyway"]

    language = forms.ChoiceField(
        label=_("Language of the signers"), choices=settings.LANGUAGES,
        help_text=_("Their confirmation and news will be in this language."),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    keep_informed = forms.BooleanField(
        label=_("Keep me informed (box ticked on the sheet)"), required=False,
    )

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())


class EventSignInForm(PaperLineForm):
    """One line of an event's sign-in sheet: someone who came."""

    field_order = ["key", "sheet_number", "language", "name", "phone", "email", "postal_code",
                   "consent_sms", "consent_email", "save_anyway"]

    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES,
        help_text=_("Kept for the next line: change it when a line says another language."),
    )
    consent_sms = forms.BooleanField(label=_("May we contact you? SMS (box ticked)"),
                                     required=False)
    consent_email = forms.BooleanField(label=_("May we contact you? E-mail (box ticked)"),
                                       required=False)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=IsoDateInput(),
    )
    signature_count = forms.IntegerField(label=_("Signatures delivered"), min_value=0)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. who received it, what they said. Shown to organizers only."),
    )

    def __init__(self, *args, count: int = 0, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate(),
                                      "signature_count": count})
        super().__init__(*args, **kwargs)

    def clean_delivered_on(self):
        value = self.cleaned_data["delivered_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
