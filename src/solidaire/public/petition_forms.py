"""The public signature form of a petition."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .forms import ContactFieldsMixin, HoneypotField, share_field_add


class LanguageField(forms.ChoiceField):
    """A choice of content language whose (fixed) choices every form copy shares.

    Django deep-copies each field for every form; copying fourteen lazily translated
    choices was a sixth of the cost of handling a signature.
    """

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class SignatureForm(ContactFieldsMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=150,
        help_text=_("The name you want to sign with. A legal name is not needed."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False,
        help_text=_("Give an e-mail address, a phone number, or both."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code (optional)"), max_length=10, required=False,
        help_text=_("Lets us count signatures by region and riding."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    city = forms.CharField(label=_("City (optional)"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    language = LanguageField(label=_("Preferred language"), choices=settings.CONTENT_LANGUAGES)
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_email = forms.BooleanField(
        label=_("Keep me informed about this campaign by e-mail"), required=False,
    )
    consent_sms = forms.BooleanField(
        label=_("Keep me informed by text message"), required=False,
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, email_required: bool = False, cosponsors: list[str] = (),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.email_required = email_required
        self.cosponsors = list(cosponsors)
        self.fields["language"].initial = translation.get_language()
        share_field_add(self, self.cosponsors)
        if email_required:
            self.fields["email"].required = True
            self.fields["email"].help_text = _(
                "We send you a link to confirm your signature."
            )
            self.fields["phone"].help_text = ""
            self.fields["phone"].label = _("Phone (optional)")

    def clean(self):
        cleaned = super().clean()
        contact_errors = "email" in self.errors or "phone" in self.errors
        if not (cleaned.get("email") or cleaned.get("phone")) and not contact_errors:
            raise ValidationError(
                _("Give an e-mail address or a phone number: it is how we count each "
                  "person once."), code="no_contact",
            )
        return cleaned
