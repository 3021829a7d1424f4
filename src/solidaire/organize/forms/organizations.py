"""Forms of the organization pages: an organization's details, a new member of a coalition."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.organizing.models import Organization
from solidaire.people.normalize import format_phone, normalize_phone

from .base import DATE_HELP, PHONE_HELP, EditFormBase, contact_input, date_input


class OrganizationForm(EditFormBase):
    """An organization's details; also used to record a new member of a coalition."""

    slug_model = Organization

    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False,
                                 help_text=_("An acronym, e.g. CTI."))
    kind = forms.ChoiceField(label=_("Kind of organization"),
                             choices=Organization.Kind.choices)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    province = forms.CharField(label=_("Province or territory"), max_length=60,
                               required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False,
                             assume_scheme="https",
                             help_text=_("For example https://example.org"))
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False,
                             widget=contact_input("email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=contact_input("tel"), help_text=PHONE_HELP)
    status_retention_months = forms.IntegerField(
        label=_("Erase the immigration status after this many months without activity"),
        required=False, min_value=1, max_value=600,
        help_text=_("A daily job erases the status of people of this organization who have "
                    "done nothing for that long. Leave empty to keep statuses until someone "
                    "erases them."),
    )

    details = ("name", "short_name", "kind", "city", "province", "website", "email")

    def __init__(self, *args, instance: Organization | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self._add_multilingual("description", lambda label: forms.CharField(
            label=label, max_length=4000, required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.description if instance else None)
        if instance is not None:
            for name in self.details:
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("phone", format_phone(instance.phone)
                                    if instance.phone else "")
            self.initial.setdefault("status_retention_months",
                                    instance.status_retention_months)

    def layout(self) -> list[dict]:
        return [
            self.fields_block("name", "short_name", "kind"),
            self.language_columns("description"),
            self.fields_block("city", "province", "website", "email", "phone", "is_founding",
                              "joined_on"),
            self.fields_block("status_retention_months", heading=gettext("Data retention")),
        ]

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name].strip() if isinstance(data[name], str) else data[name]
               for name in self.details},
            "phone": data["phone"],
            "description": self.multilingual(
                "description", self.instance.description if self.instance else None),
            **({"status_retention_months": data["status_retention_months"]}
               if "status_retention_months" in self.fields else {}),
        }


class CoalitionMemberForm(OrganizationForm):
    """A new organization, recorded as a member of a coalition the account coordinates."""

    is_founding = forms.BooleanField(label=_("Founding member"), required=False)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=date_input(),
                                help_text=DATE_HELP)

    def __init__(self, *args, coalition: Organization, **kwargs):
        self.coalition = coalition
        super().__init__(*args, **kwargs)
        # A new member's retention is set by its own coordinators, on its edit page.
        del self.fields["status_retention_months"]
        self.initial.setdefault("kind", Organization.Kind.COMMUNITY_GROUP)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if self.coalition.members.filter(name__iexact=name).exists():
            raise ValidationError(
                gettext("%(name)s is already a member of this coalition."),
                code="already_member", params={"name": name},
            )
        return name

    def service_arguments(self) -> dict:
        return {
            **super().service_arguments(),
            "is_founding": self.cleaned_data["is_founding"],
            "joined_on": self.cleaned_data["joined_on"],
        }
