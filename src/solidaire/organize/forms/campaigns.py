"""The form that adds and edits a campaign, its demands and its public story."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Campaign
from solidaire.core.i18n import localized

from .base import DATE_HELP, SLUG_HELP_FROM_TITLE, EditFormBase, date_input, interface_languages


class CampaignForm(EditFormBase):
    slug_model = Campaign
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can run a campaign of the whole "
                                 "organization.")

    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=date_input(),
                                help_text=DATE_HELP)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=date_input(),
                              help_text=_("Optional. For example 2026-12-31."))
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("Active campaigns are shown on the public pages."),
    )
    story_published = forms.BooleanField(
        label=_("Publish the public story"), required=False,
        help_text=_("A public \"how we won\" page with the demands, the public milestones "
                    "and the toolkit, in French and English."),
    )

    def __init__(self, *args, user, instance: Campaign | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.demands_before = ([d.text for d in instance.demands.order_by("position", "id")]
                               if instance is not None else [])
        self._add_multilingual("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False,
        ), instance.title if instance else None)
        self._add_multilingual("summary", lambda label: forms.CharField(
            label=label, max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.summary if instance else None)
        self._add_multilingual("demands", lambda label: forms.CharField(
            label=label, required=False, strip=False,  # an empty first line is meaningful
            help_text=_("One demand per line, in the same order in each language. Leave a "
                        "line empty where a demand is not written in this language."),
            widget=forms.Textarea(attrs={"rows": 8}),
        ), {code: "\n".join(text.get(code, "") for text in self.demands_before)
            for code in interface_languages()} if instance else None)
        self._add_multilingual("story_intro", lambda label: forms.CharField(
            label=label, max_length=3000, required=False,
            help_text=_("A few sentences opening the public story."),
            widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.story_intro if instance else None)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_TITLE)
        self._add_owner_fields(user)
        if instance is not None:
            for name in ("starts_on", "ends_on", "is_active", "story_published"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("slug", instance.slug)

    def layout(self) -> list[dict]:
        return [
            self.language_columns("title", "summary"),
            self.fields_block("slug", "organization", "chapter", "starts_on", "ends_on",
                              "is_active"),
            {**self.language_columns("demands"), "heading": gettext("Demands")},
            {**self.language_columns("story_intro"), "heading": gettext("Public story")},
            self.fields_block("story_published"),
        ]

    def _demand_lines(self, code: str) -> tuple[list[str], int]:
        """The lines up to the last one with text, and how many lines there are in all
        (empty lines at the end stand for demands not written in this language)."""
        text = (self.cleaned_data.get(f"demands_{code}") or "").replace("\r\n", "\n")
        lines = [line.strip() for line in text.split("\n")]
        total = len(lines)
        while lines and not lines[-1]:
            lines.pop()
        return lines, total

    def clean(self):
        cleaned = super().clean()
        languages = interface_languages()
        self._require_title(gettext("Give the campaign a title, in at least one language."))
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", ValidationError(
                gettext("The campaign cannot end before it starts: choose an end date on or "
                        "after the start date."), code="ends_before_start",
            ))
        lines, totals = {}, {}
        for code in languages:
            lines[code], totals[code] = self._demand_lines(code)
        longest = max(len(found) for found in lines.values())
        for code, found in lines.items():
            if found and len(found) < longest and totals[code] < longest:
                self.add_error(f"demands_{code}", ValidationError(
                    ngettext(
                        "This list has %(count)d line, but another language has %(longest)d. "
                        "Write one demand per line, in the same order in each language.",
                        "This list has %(count)d lines, but another language has "
                        "%(longest)d. Write one demand per line, in the same order in each "
                        "language.", len(found),
                    ) % {"count": len(found), "longest": longest},
                    code="demand_lines_mismatch",
                ))
        self.demand_rows = [
            {code: found[i] for code, found in lines.items() if i < len(found) and found[i]}
            for i in range(longest)
        ]
        self._clean_owner()
        return cleaned

    def demands(self) -> list[dict]:
        """The demands as typed, each keeping its texts in other languages (matched by an
        unchanged text, or by position when the number of demands did not change)."""
        languages = interface_languages()
        before = list(self.demands_before)
        rows = [row for row in self.demand_rows if row]
        unused = list(range(len(before)))
        result = []
        for position, row in enumerate(rows):
            match = next((i for i in unused if any(
                row.get(code) and before[i].get(code) == row[code] for code in languages)), None)
            if match is None and len(before) == len(rows) and position in unused:
                match = position
            extra = {}
            if match is not None:
                unused.remove(match)
                extra = {k: v for k, v in before[match].items() if k not in languages}
            result.append({**extra, **row})
        return result

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        title = self.multilingual("title", current.title if current else None)
        return {
            "slug": self.slug_or_auto(localized(title, settings.LANGUAGE_CODE)),
            "title": title,
            "summary": self.multilingual("summary", current.summary if current else None),
            "organization": data["organization"],
            "chapter": data["chapter"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "is_active": data["is_active"],
            "story_published": data["story_published"],
            "story_intro": self.multilingual("story_intro",
                                             current.story_intro if current else None),
            "demands": self.demands(),
        }
