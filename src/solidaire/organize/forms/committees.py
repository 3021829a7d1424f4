"""Forms of the committee pages: adding and editing a committee, adding and removing members."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from solidaire.membership.models import Committee, CommitteeMembership
from solidaire.people.models import Person
from solidaire.people.selectors import people_visible_to

from .base import SLUG_HELP_FROM_NAME, EditFormBase


class CommitteeForm(EditFormBase):
    slug_model = Committee
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can add a committee of the whole "
                                 "organization.")

    name = forms.CharField(label=_("Name"), max_length=150)

    def __init__(self, *args, user, instance: Committee | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_NAME)
        self._add_multilingual("description", lambda label: forms.CharField(
            label=label, max_length=2000, required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.description if instance else None)
        self._add_owner_fields(user)
        if instance is not None:
            self.initial.setdefault("name", instance.name)
            self.initial.setdefault("slug", instance.slug)

    def layout(self) -> list[dict]:
        return [
            self.fields_block("name", "slug"),
            self.language_columns("description"),
            self.fields_block("organization", "chapter"),
        ]

    def clean(self):
        cleaned = super().clean()
        self._clean_owner()
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        return {
            "name": data["name"],
            "slug": self.slug_or_auto(data["name"]),
            "description": self.multilingual("description",
                                             current.description if current else None),
            "organization": data["organization"],
            "chapter": data["chapter"],
        }


class CommitteeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person to add"), required=False, max_length=200,
        help_text=_("A name, an e-mail or a phone number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class CommitteeMemberAddForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), widget=forms.HiddenInput,
                                    label=_("Person"))
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeMembership.Role.choices,
                             initial=CommitteeMembership.Role.MEMBER)

    def __init__(self, *args, user, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_visible_to(user)
        if committee is not None:
            # Members come from the committee's organization's list (decision 0035).
            people = people.filter(organization_id=committee.organization_id)
        self.fields["person"].queryset = people


class CommitteeMemberRemoveForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), widget=forms.HiddenInput,
                                    label=_("Person"))

    def __init__(self, *args, user, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_visible_to(user).filter(
            committee_memberships__committee=committee,
        )
