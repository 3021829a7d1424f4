"""The audience builder: a GET form whose fields make an audience definition
(solidaire.messaging.audiences), and the form that saves it under a name."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.access import scope_for
from solidaire.core.activity_kinds import kind_choices
from solidaire.core.forms import ModelMultipleChoiceField
from solidaire.core.i18n import localized
from solidaire.membership.selectors import committees_visible_to
from solidaire.messaging.audiences import definition_clean, definition_uses_status
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import chapters_visible_to
from solidaire.people.models import Tag
from solidaire.people.selectors import status_access

from .base import ChapterChoiceField, CheckboxList, date_input

# Rows of "did" and "did not" the page offers (the definition allows any number).
ACTIVITY_ROWS = 2
CONSENT_CHOICES = [("email", _("E-mail")), ("sms", _("SMS")), ("phone", _("Phone calls"))]


class ChapterMultipleChoiceField(ModelMultipleChoiceField):
    # The tree shows in the indentation of each row (CheckboxList), not in the name.
    def label_from_instance(self, obj) -> str:
        return obj.name


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return localized(obj.title) or obj.slug


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=date_input())


def _month_field(label) -> forms.CharField:
    return forms.RegexField(label=label, required=False, regex=r"^\d{4}-\d{2}$",
                            widget=forms.TextInput(attrs={"type": "month",
                                                          "placeholder": "YYYY-MM"}),
                            error_messages={"invalid": _("Enter a month as YYYY-MM.")})


class AudienceFilterForm(forms.Form):
    """The filters; `definition()` writes them as an audience definition."""

    chapters = ChapterMultipleChoiceField(
        queryset=None, label=_("Chapters"), required=False,
        widget=CheckboxList, help_text=_("Each with the chapters below it."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, choices=settings.CONTENT_LANGUAGES,
        widget=CheckboxList, help_text=_("Preferred or spoken."),
    )
    tags = ModelMultipleChoiceField(queryset=None, label=_("Tags"), required=False,
                                    widget=CheckboxList, help_text=_("Any of them."))
    committees = ModelMultipleChoiceField(
        queryset=None, label=_("Committees"), required=False, widget=CheckboxList,
        help_text=_("A member of any of them."),
    )
    consent = forms.MultipleChoiceField(
        label=_("Consented to"), required=False, choices=CONSENT_CHOICES,
        widget=CheckboxList,
    )
    actions_min = forms.IntegerField(label=_("At least this many actions"), required=False,
                                     min_value=0)
    actions_max = forms.IntegerField(label=_("At most this many actions"), required=False,
                                     min_value=0)
    actions_since = _date_field(_("Actions from"))
    actions_until = _date_field(_("Actions until"))
    last_after = _date_field(_("Last activity on or after"))
    last_before = _date_field(_("Last activity before"))
    # Status-access accounts only (removed for others, so a value is ignored).
    permit_from = _month_field(_("Permit ends from (month)"))
    permit_to = _month_field(_("Permit ends until (month)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapters"].queryset = chapters_visible_to(user).order_by("path")
        self.fields["tags"].queryset = Tag.objects.order_by("name")
        self.fields["committees"].queryset = committees_visible_to(user).order_by("name")
        if not status_access(user):
            del self.fields["permit_from"]
            del self.fields["permit_to"]
        kinds = [("", _("Anything")), *kind_choices()]
        campaigns = campaigns_visible_to(user).order_by("-starts_on", "slug")
        for prefix, label in (("did", _("Did")), ("did_not", _("Did not"))):
            for i in range(1, ACTIVITY_ROWS + 1):
                self.fields[f"{prefix}_{i}_kind"] = forms.ChoiceField(
                    label=label, choices=kinds, required=False)
                self.fields[f"{prefix}_{i}_campaign"] = CampaignChoiceField(
                    campaigns, label=_("In the campaign"), required=False,
                    empty_label=_("Any campaign"))
                self.fields[f"{prefix}_{i}_since"] = _date_field(_("From"))
                self.fields[f"{prefix}_{i}_until"] = _date_field(_("Until"))

    @property
    def offers_permit(self) -> bool:
        return "permit_from" in self.fields

    def activity_rows(self, prefix: str) -> list[list]:
        """The bound fields of each "did" (or "did not") row, for the template."""
        return [[self[f"{prefix}_{i}_{part}"] for part in ("kind", "campaign", "since", "until")]
                for i in range(1, ACTIVITY_ROWS + 1)]

    @property
    def did_rows(self):
        return self.activity_rows("did")

    @property
    def did_not_rows(self):
        return self.activity_rows("did_not")

    @staticmethod
    def _day(value) -> str:
        return value.isoformat() if value else ""

    def _definition_from(self, data: dict) -> dict:
        definition: dict = {}
        if data.get("chapters"):
            definition["chapters"] = [c.pk for c in data["chapters"]]
        if data.get("languages"):
            definition["languages"] = list(data["languages"])
        if data.get("tags"):
            definition["tags"] = [t.pk for t in data["tags"]]
        if data.get("committees"):
            definition["committees"] = [c.pk for c in data["committees"]]
        if data.get("consent"):
            definition["consent"] = list(data["consent"])
        for prefix in ("did", "did_not"):
            rows = []
            for i in range(1, ACTIVITY_ROWS + 1):
                kind = data.get(f"{prefix}_{i}_kind") or ""
                campaign = data.get(f"{prefix}_{i}_campaign")
                since = self._day(data.get(f"{prefix}_{i}_since"))
                until = self._day(data.get(f"{prefix}_{i}_until"))
                if kind or campaign or since or until:
                    rows.append({"kind": kind, "campaign": campaign.pk if campaign else None,
                                 "object_type": "", "object_id": None,
                                 "since": since, "until": until})
            if rows:
                definition[prefix] = rows
        if data.get("actions_min") is not None or data.get("actions_max") is not None:
            definition["actions"] = {
                "min": data.get("actions_min"), "max": data.get("actions_max"),
                "since": self._day(data.get("actions_since")),
                "until": self._day(data.get("actions_until")),
            }
        if data.get("last_after") or data.get("last_before"):
            definition["last_activity"] = {"after": self._day(data.get("last_after")),
                                           "before": self._day(data.get("last_before"))}
        if data.get("permit_from") or data.get("permit_to"):
            definition["permit_expiry"] = {"from": data.get("permit_from") or "",
                                           "to": data.get("permit_to") or ""}
        return definition

    def clean(self):
        data = super().clean()
        try:
            self.cleaned_definition = definition_clean(self._definition_from(data))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return data

    def definition(self) -> dict:
        """The definition of the valid form (call after is_valid())."""
        return self.cleaned_definition


def filter_data(definition: dict) -> QueryDict:
    """The builder's GET parameters for a saved definition (what the edit page starts from)."""
    data = QueryDict(mutable=True)
    for key in ("chapters", "languages", "tags", "committees", "consent"):
        data.setlist(key, [str(value) for value in definition.get(key, [])])
    for prefix in ("did", "did_not"):
        for i, row in enumerate(definition.get(prefix, [])[:ACTIVITY_ROWS], start=1):
            for part in ("kind", "campaign", "since", "until"):
                if row.get(part) not in (None, ""):
                    data[f"{prefix}_{i}_{part}"] = str(row[part])
    actions = definition.get("actions") or {}
    for part in ("min", "max", "since", "until"):
        if actions.get(part) not in (None, ""):
            data[f"actions_{part}"] = str(actions[part])
    last = definition.get("last_activity") or {}
    for part in ("after", "before"):
        if last.get(part):
            data[f"last_{part}"] = last[part]
    permit = definition.get("permit_expiry") or {}
    for part in ("from", "to"):
        if permit.get(part):
            data[f"permit_{part}"] = permit[part]
    return data


class AudienceSaveForm(forms.Form):
    """"Save as": a name, who it is shared with, and the definition counted on the page."""

    name = forms.CharField(label=_("Name of the audience"), max_length=150)
    chapter = ChapterChoiceField(
        Chapter.objects.none(), label=_("Shared with"), required=False,
        empty_label=_("The whole organization"),
        help_text=_("The organizers of this chapter (and of the chapters above it) see it."),
    )
    definition = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, with_chapter: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not with_chapter:
            del self.fields["chapter"]
            return
        self.fields["chapter"].queryset = chapters_visible_to(user).order_by("path")
        scope = scope_for(user)
        if not (scope.everything or scope.organization_ids):
            # Chapter organizers share with one of their chapters, never the whole org.
            self.fields["chapter"].required = True
            self.fields["chapter"].empty_label = None

    def clean_definition(self):
        try:
            definition = definition_clean(json.loads(self.cleaned_data["definition"]))
        except json.JSONDecodeError:
            raise forms.ValidationError(_("The filters could not be read: count again.")) \
                from None
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if definition_uses_status(definition) and not status_access(self.user):
            raise forms.ValidationError(_("Only accounts with status access can filter by "
                                          "permit expiry."))
        return definition
