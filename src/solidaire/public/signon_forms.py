"""The public endorsement form of a sign-on statement. It parses; the service writes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from solidaire.petitions.models import Endorsement

from .forms import ContactFieldsMixin, HoneypotField


class EndorsementForm(ContactFieldsMixin, forms.Form):
    """An organization endorses a statement; its contact person stays private."""

    org_name = forms.CharField(
        label=_("Organization name"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text=_("As it should appear in the list of endorsers."),
    )
    kind = forms.ChoiceField(
        label=_("Type of organization"),
        choices=[("", _("Choose a type")), *Endorsement.Kind.choices],
    )
    city = forms.CharField(label=_("City"), max_length=100)
    org_website = forms.URLField(
        label=_("Website (optional)"), required=False, max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    contact_name = forms.CharField(
        label=_("Your name"), max_length=150,
        help_text=_("Never shown publicly: a coordinator may contact you about the endorsement."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Your e-mail"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"), max_length=30, required=False,
        help_text=_("With the area code, e.g. 514 555-0123."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.CONTENT_LANGUAGES,
        help_text=_("The language we write to you in."),
    )
    consent_email = forms.BooleanField(
        label=_("Keep me informed by e-mail about this campaign"), required=False,
        help_text=_("Optional. You can unsubscribe at any time."),
    )
    website = HoneypotField(label=_("Leave this field empty"))
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"

    def clean_org_name(self) -> str:
        return " ".join(self.cleaned_data["org_name"].split())

    def clean_city(self) -> str:
        return " ".join(self.cleaned_data["city"].split())


    # Sections of the page: (legend, field names); the key and the honeypot go outside.
    SECTIONS = (
        (_("Your organization"), ("org_name", "kind", "city", "org_website")),
        (_("Contact person (kept private)"),
         ("contact_name", "email", "phone", "language", "consent_email")),
    )

    def sections(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]
