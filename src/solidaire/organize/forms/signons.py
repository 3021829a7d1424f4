"""The organizer form of a sign-on statement: texts per language, owner, campaign, targets."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Publication, Target
from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.forms import ModelMultipleChoiceField
from solidaire.core.i18n import content_language_name, localized
from solidaire.petitions.models import SignOn

from .base import SLUG_HELP_FROM_TITLE, CampaignChoiceField, EditFormBase, interface_languages

STATEMENT_LABELS = {"fr": _("Statement in French"), "en": _("Statement in English")}


class TargetChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Target) -> str:
        return str(obj)


class SignOnForm(EditFormBase):
    slug_model = SignOn
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can run a statement of the whole "
                                 "organization.")

    status = forms.ChoiceField(
        label=_("Status"), choices=Publication.choices, initial=Publication.DRAFT,
        help_text=_("A draft is not public. Open: organizations can endorse it. Closed: the "
                    "statement and its endorsers stay visible, the form is gone."),
    )

    def __init__(self, *args, user, instance: SignOn | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self._add_multilingual("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False,
        ), instance.title if instance else None)
        for code in interface_languages():  # (the shared label table has no "statement")
            body = forms.CharField(
                label=STATEMENT_LABELS.get(code) or format_lazy(
                    "{} ({})", _("Statement"), content_language_name(code)),
                max_length=20000, required=False,
                help_text=_("Blank lines separate paragraphs."),
                widget=forms.Textarea(attrs={"rows": 12, "lang": code}),
            )
            self.fields[f"body_{code}"] = body
            if instance is not None:
                self.initial.setdefault(f"body_{code}", instance.body.get(code, ""))
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_TITLE)
        self._add_owner_fields(user)
        campaigns = campaigns_visible_to(user)
        targets = Target.objects.filter(is_active=True)
        if instance is not None:
            campaigns = campaigns.model.objects.filter(
                Q(pk__in=campaigns.values("pk")) | Q(pk=instance.campaign_id))
            targets = Target.objects.filter(
                Q(is_active=True) | Q(pk__in=instance.targets.values("pk")))
        self.fields["campaign"] = CampaignChoiceField(
            campaigns.order_by("-created_at"), label=_("Campaign"), required=False,
            to_field_name="slug", empty_label=_("None"),
            help_text=_("The endorsements count for this campaign."),
        )
        self.fields["targets"] = TargetChoiceField(
            targets, label=_("Addressed to"), required=False,
            help_text=_("The decision-makers the statement is addressed to. Hold Ctrl (or ⌘) "
                        "to choose several."),
        )
        if instance is not None:
            self.initial.setdefault("slug", instance.slug)
            self.initial.setdefault("status", instance.status)
            self.initial.setdefault(
                "campaign", instance.campaign.slug if instance.campaign_id else "")
            self.initial.setdefault("targets", list(instance.targets.all()))

    def layout(self) -> list[dict]:
        return [
            self.language_columns("title", "body"),
            self.fields_block("slug", "status", "organization", "chapter", "campaign",
                              "targets"),
        ]

    def clean(self):
        cleaned = super().clean()
        self._require_title(gettext("Give the statement a title, in at least one language."))
        self._clean_campaign()
        self._clean_owner()
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        title = self.multilingual("title", current.title if current else None)
        return {
            "slug": self.slug_or_auto(localized(title, settings.LANGUAGE_CODE)),
            "title": title,
            "body": self.multilingual("body", current.body if current else None),
            "organization": data["organization"],
            "chapter": data["chapter"],
            "campaign": data["campaign"],
            "status": data["status"],
            "targets": list(data["targets"]),
        }
