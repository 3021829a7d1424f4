"""Public event forms: registering for an event, and filtering the lists of events."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from solidaire.core.forms import IsoDateInput
from solidaire.events.models import Event, Province

from .forms import ContactFieldsMixin, HoneypotField, share_field_add
from .petition_forms import LanguageField

ONLINE = "online"


class RegistrationForm(ContactFieldsMixin, forms.Form):
    chosen_name = forms.CharField(
        label=_("Your name"), max_length=150,
        help_text=_("The name you want us to use. A legal name is not needed."),
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
        help_text=_("Lets a chapter near you invite you to what happens there."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    language = LanguageField(label=_("Preferred language"), choices=settings.CONTENT_LANGUAGES,
                             help_text=_("The language of your confirmation and reminders."))
    consent_email = forms.BooleanField(
        label=_("Keep me informed by e-mail"), required=False,
    )
    consent_sms = forms.BooleanField(
        label=_("Keep me informed by text message"), required=False,
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    # The private link's key, for events shared by link only.
    k = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, cosponsors: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()
        share_field_add(self, list(cosponsors))

    def clean(self):
        cleaned = super().clean()
        contact_errors = "email" in self.errors or "phone" in self.errors
        if not (cleaned.get("email") or cleaned.get("phone")) and not contact_errors:
            raise ValidationError(
                _("Give an e-mail address or a phone number: it is how we send you your "
                  "confirmation and reminders."), code="no_contact",
            )
        return cleaned


class EventFilterForm(forms.Form):
    """The filters of the events list and of a series page, sent by GET (no JavaScript)."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    date = forms.DateField(label=_("From"), required=False,
                           widget=IsoDateInput())

    def __init__(self, *args, cities: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("Anywhere")), *Province.choices, (ONLINE, _("Online")),
        ]
        self.fields["city"].choices = [("", _("Any city")), *((c, c) for c in cities)]
        self.fields["kind"].choices = [("", _("Any kind")), *Event.Kind.choices]
        self.fields["language"].choices = [("", _("Any language")),
                                           *settings.CONTENT_LANGUAGES]

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
