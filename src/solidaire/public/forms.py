"""Forms of the public site. They parse and check input; services do the writing."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from solidaire.organizing.models import Chapter, Organization
from solidaire.people.normalize import normalize_email, normalize_phone, normalize_postal_code


class HoneypotField(forms.CharField):
    """A field people never see (the page hides it); robots that fill every field fill it."""

    honeypot = True

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        super().__init__(**kwargs)


class ContactFieldsMixin:
    """Cleaning shared by the public forms: a blank e-mail, phone or postal code stays
    blank; anything else is normalized as the person record stores it, and a malformed
    value gets the normalizer's message in the reader's language."""

    def clean_email(self) -> str:
        value = (self.cleaned_data.get("email") or "").strip()
        return normalize_email(value) if value else ""

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(value) if value else ""

    def clean_postal_code(self) -> str:
        value = (self.cleaned_data.get("postal_code") or "").strip()
        return normalize_postal_code(value) if value else ""

    @property
    def is_robot(self) -> bool:
        """The hidden field was filled: a robot (it is answered as a person would be)."""
        return bool(self.cleaned_data.get("website"))


def share_field_add(form: forms.Form, cosponsors: list[str]) -> None:
    """The box a person ticks to share their details with the co-sponsors named (as
    Action Network's co-sponsor opt-in): unticked, they are on no list but the
    organizer's (decision 0035). Placed just before the hidden fields' end."""
    if not cosponsors:
        return
    names = ", ".join(cosponsors)
    form.fields["share_with_cosponsors"] = forms.BooleanField(
        label=_("Share my name, e-mail and phone with the co-sponsors: %(names)s")
        % {"names": names},
        help_text=_("They may then contact you about their own work. Leave it unticked "
                    "and only the organizers of this page receive your details."),
        required=False,
    )


class ChapterStartForm(ContactFieldsMixin, forms.Form):
    """The "start a chapter" request: who asks, where, and how to reach them."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None,
        help_text=_("The organization the new chapter would belong to."),
    )
    chapter_name = forms.CharField(
        label=_("Proposed chapter name"), max_length=150,
        help_text=_("For example: Laval, Université Laval or Warehouse workers of Saint-Laurent."),
    )
    city = forms.CharField(label=_("City or campus"), max_length=150)
    contact_name = forms.CharField(
        label=_("Your name"), max_length=150,
        help_text=_("The name you want us to use. A legal name is not needed."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False,
        help_text=_("Give an e-mail address, a phone number, or both."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False,
        help_text=_("With the area code, e.g. 514 555-0123."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.CONTENT_LANGUAGES,
        help_text=_("The language a coordinator should use to contact you."),
    )
    message = forms.CharField(
        label=_("Message (optional)"), max_length=2000, required=False,
        help_text=_("Anything we should know: who you organize with, what you need."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, host: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Organizations that have chapters, and the host even before it has any.
        organizations = Organization.objects.filter(
            Q(pk__in=Chapter.objects.values("organization_id")) | Q(is_host=True)
        ).order_by("name")
        field = self.fields["organization"]
        field.queryset = organizations
        if host is not None:
            field.initial = host.pk
        if len(field.choices) <= 1:
            field.widget = forms.HiddenInput()
        self.fields["language"].initial = translation.get_language()

    def clean(self):
        cleaned = super().clean()
        reachable = cleaned.get("email") or cleaned.get("phone")
        contact_errors = "email" in self.errors or "phone" in self.errors
        if not reachable and not contact_errors:
            raise forms.ValidationError(
                _("Give an e-mail address or a phone number so that a coordinator can reach you."),
                code="no_contact",
            )
        return cleaned
