"""The organizer form of call and e-mail actions: it parses and validates, services write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.advocacy.models import Action
from solidaire.advocacy.selectors import action_targets_choices
from solidaire.campaigns.models import Level, Publication
from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.forms import ModelMultipleChoiceField
from solidaire.core.i18n import content_language_name, localized

from .base import SLUG_HELP_FROM_TITLE, EditFormBase, interface_languages

# Labels of the texts written once per interface language.
ACTION_TEXT_LABELS = {
    "title": {"fr": _("Title in French"), "en": _("Title in English")},
    "intro": {"fr": _("Introduction in French"), "en": _("Introduction in English")},
    "script": {"fr": _("Call script in French"), "en": _("Call script in English")},
    "letter_subject": {"fr": _("Letter subject in French"),
                       "en": _("Letter subject in English")},
    "letter_body": {"fr": _("Letter in French"), "en": _("Letter in English")},
}


class TargetsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        parts = [obj.name, obj.display_role, obj.riding.name if obj.riding_id else ""]
        return " — ".join(part for part in parts if part)


class ActionForm(EditFormBase):
    slug_model = Action
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can run an action of the whole "
                                 "organization.")

    kind = forms.ChoiceField(label=_("Kind"), choices=Action.Kind.choices,
                             widget=forms.RadioSelect, initial=Action.Kind.CALL)
    status = forms.ChoiceField(
        label=_("Status"), choices=Publication.choices, initial=Publication.DRAFT,
        help_text=_("A draft is not public. A closed action shows its counts but takes no "
                    "more reports."),
    )
    goal = forms.IntegerField(label=_("Goal"), min_value=0, max_value=10_000_000, initial=0,
                              help_text=_("Calls or e-mails hoped for; 0 for none."))
    targeting = forms.ChoiceField(label=_("Who is called or written to"),
                                  choices=Action.Targeting.choices, widget=forms.RadioSelect,
                                  initial=Action.Targeting.FIXED)
    riding_level = forms.ChoiceField(
        label=_("Riding level"), initial=Level.FEDERAL,
        choices=[(Level.FEDERAL, Level.FEDERAL.label), (Level.PROVINCIAL, Level.PROVINCIAL.label),
                 (Level.MUNICIPAL, Level.MUNICIPAL.label)],
        help_text=_("When targets are chosen by postal code: federal or provincial ridings."),
    )
    targets = TargetsField(
        queryset=None, label=_("Targets"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("With the supporter's own representative, these are shown when their "
                    "postal code finds no riding."),
    )
    campaign = forms.ModelChoiceField(
        queryset=None, label=_("Campaign"), required=False, to_field_name="slug",
        empty_label=_("No campaign"),
    )

    def __init__(self, *args, user, instance: Action | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self._add_text("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False), instance)
        self._add_text("intro", lambda label: forms.CharField(
            label=label, max_length=4000, required=False,
            widget=forms.Textarea(attrs={"rows": 4})), instance)
        self._add_text("script", lambda label: forms.CharField(
            label=label, max_length=4000, required=False,
            help_text=_("What to say on the phone."),
            widget=forms.Textarea(attrs={"rows": 6})), instance)
        self._add_text("letter_subject", lambda label: forms.CharField(
            label=label, max_length=200, required=False), instance)
        self._add_text("letter_body", lambda label: forms.CharField(
            label=label, max_length=10000, required=False,
            help_text=_("The letter supporters start from and may edit."),
            widget=forms.Textarea(attrs={"rows": 10})), instance)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_TITLE)
        self._add_owner_fields(user)
        self.fields["targets"].queryset = action_targets_choices()
        self.fields["campaign"].queryset = (campaigns_visible_to(user)
                                            .select_related("organization").order_by("slug"))
        if instance is not None:
            for name in ("kind", "status", "goal", "targeting", "riding_level", "slug"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("targets", list(instance.targets.values_list("pk",
                                                                                 flat=True)))
            self.initial.setdefault("campaign",
                                    instance.campaign.slug if instance.campaign_id else "")

    def _add_text(self, name: str, make_field, instance: Action | None) -> None:
        current = getattr(instance, name) if instance is not None else None
        for code in interface_languages():
            label = ACTION_TEXT_LABELS[name].get(code) or format_lazy(
                "{} ({})", name, content_language_name(code))
            field = make_field(label)
            field.widget.attrs["lang"] = code
            self.fields[f"{name}_{code}"] = field
            if current:
                self.initial.setdefault(f"{name}_{code}", current.get(code, ""))

    def layout(self) -> list[dict]:
        return [
            self.language_columns("title", "intro"),
            self.fields_block("kind", "slug", "organization", "chapter", "campaign", "status",
                              "goal"),
            {**self.fields_block("targeting", "riding_level", "targets"),
             "heading": gettext("Targets")},
            {**self.language_columns("script"), "heading": gettext("Call script")},
            {**self.language_columns("letter_subject", "letter_body"),
             "heading": gettext("Letter (e-mail actions)")},
        ]

    def clean(self):
        cleaned = super().clean()
        languages = interface_languages()
        self._require_title(gettext("Give the action a title, in at least one language."))
        if (cleaned.get("targeting") == Action.Targeting.FIXED
                and cleaned.get("status") == Publication.OPEN and "targets" in cleaned
                and not cleaned["targets"]):
            self.add_error("targets", ValidationError(
                gettext("Choose at least one target before opening the action."),
                code="targets_required",
            ))
        if cleaned.get("kind") == Action.Kind.EMAIL and cleaned.get("status") == \
                Publication.OPEN and not any(
                    (cleaned.get(f"letter_body_{code}") or "").strip() for code in languages):
            self.add_error(f"letter_body_{languages[0]}", ValidationError(
                gettext("Write the letter before opening an e-mail action."),
                code="letter_required",
            ))
        self._clean_campaign()
        self._clean_owner()
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance

        def texts(name: str) -> dict:
            return self.multilingual(name, getattr(current, name) if current else None)

        title = texts("title")
        return {
            "slug": self.slug_or_auto(localized(title, settings.LANGUAGE_CODE)),
            "title": title,
            "intro": texts("intro"),
            "script": texts("script"),
            "letter_subject": texts("letter_subject"),
            "letter_body": texts("letter_body"),
            "kind": data["kind"],
            "organization": data["organization"],
            "chapter": data["chapter"],
            "campaign": data["campaign"],
            "targeting": data["targeting"],
            "riding_level": data["riding_level"],
            "targets": list(data["targets"]),
            "status": data["status"],
            "goal": data["goal"],
        }
