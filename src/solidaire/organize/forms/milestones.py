"""The form to add or change a campaign milestone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Milestone

from .base import DATE_HELP, EditFormBase, date_input


class MilestoneForm(EditFormBase):
    kind = forms.ChoiceField(label=_("Kind"), choices=Milestone.Kind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=date_input(), help_text=DATE_HELP)
    outlet = forms.CharField(
        label=_("Outlet"), max_length=150, required=False,
        help_text=_("For media coverage: the newspaper, station or site."),
    )
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https",
                         help_text=_("For example the article or the letter online."))
    is_public = forms.BooleanField(
        label=_("On the public story"), required=False, initial=True,
        help_text=_("Untick for a milestone organizers only should see (e.g. a private "
                    "meeting)."),
    )

    def __init__(self, *args, instance: Milestone | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self._add_multilingual("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False,
        ), instance.title if instance else None)
        self._add_multilingual("description", lambda label: forms.CharField(
            label=label, max_length=2000, required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ), instance.description if instance else None)
        if instance is not None:
            for name in ("kind", "happened_on", "outlet", "url", "is_public"):
                self.initial.setdefault(name, getattr(instance, name))

    def layout(self) -> list[dict]:
        return [
            self.fields_block("kind", "happened_on"),
            self.language_columns("title", "description"),
            self.fields_block("outlet", "url", "is_public"),
        ]

    def clean(self):
        cleaned = super().clean()
        self._require_title(gettext("Give the milestone a title, in at least one language."))
        return cleaned

    def service_arguments(self) -> dict:
        current = self.instance
        return {
            "kind": self.cleaned_data["kind"],
            "happened_on": self.cleaned_data["happened_on"],
            "title": self.multilingual("title", current.title if current else None),
            "description": self.multilingual("description",
                                             current.description if current else None),
            "outlet": self.cleaned_data["outlet"].strip(),
            "url": self.cleaned_data["url"],
            "is_public": self.cleaned_data["is_public"],
        }
