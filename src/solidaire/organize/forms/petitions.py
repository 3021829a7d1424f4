"""Forms of the organizer pages about petitions: the list's filters, adding and editing."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Campaign, Publication, Target
from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.forms import ModelMultipleChoiceField
from solidaire.core.i18n import content_language_name, localized
from solidaire.organizing.models import Organization
from solidaire.petitions.models import Petition

from .base import (
    SLUG_HELP_FROM_TITLE,
    CampaignChoiceField,
    EditFormBase,
    OrganizationsField,
    cosponsor_choices,
    interface_languages,
)

PETITION_LABELS = {
    "title": {"fr": _("Title in French"), "en": _("Title in English")},
    "summary": {"fr": _("Summary in French"), "en": _("Summary in English")},
    "body": {"fr": _("Text in French"), "en": _("Text in English")},
}


class TargetChoiceField(ModelMultipleChoiceField):
    """Targets by name, with their role so that two people of the same name differ."""

    def label_from_instance(self, obj: Target) -> str:
        role = obj.display_role
        return f"{obj.name} — {role}" if role else obj.name


class PetitionFilterForm(forms.Form):
    """The filters above the petition list (a GET form)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    campaign = CampaignChoiceField(
        Campaign.objects.none(), label=_("Campaign"), required=False, to_field_name="slug",
        empty_label=_("Any campaign"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Publication.choices]
        self.fields["campaign"].queryset = campaigns_visible_to(user).order_by("slug")

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out; the form shows its error)."""
        data = getattr(self, "cleaned_data", {})
        return {"status": data.get("status") or "", "campaign": data.get("campaign")}


class PetitionForm(EditFormBase):
    slug_model = Petition
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can run a petition of the whole "
                                 "organization.")

    campaign = CampaignChoiceField(
        Campaign.objects.none(), label=_("Campaign"), required=False, to_field_name="slug",
        empty_label=_("No campaign"),
        help_text=_("The campaign this petition belongs to, if any."),
    )
    targets = TargetChoiceField(
        Target.objects.none(), label=_("Addressed to"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The people the petition is delivered to."),
    )
    cosponsors = OrganizationsField(
        Organization.objects.none(), label=_("Co-sponsoring organizations"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Named on the petition. Signers who tick the box to share their details "
                    "are added to each co-sponsor's list; nobody else is."),
    )
    goal = forms.IntegerField(
        label=_("Goal"), min_value=1, max_value=10_000_000, initial=1000,
        help_text=_("How many signatures you aim for. The page shows the count against it."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Publication.choices, initial=Publication.DRAFT,
        help_text=_("A draft is seen only by organizers. A closed petition is shown but "
                    "takes no more signatures."),
    )
    double_opt_in = forms.BooleanField(
        label=_("Confirm by e-mail"), required=False,
        help_text=_("A signature counts only once the signer clicks the link in the "
                    "e-mail. Paper signatures count at once."),
    )
    show_signers = forms.BooleanField(
        label=_("Public list of signers"), required=False,
        help_text=_("Shows each signer's first name and city, nothing else."),
    )
    next_step_url = forms.URLField(
        label=_("Next step address"), required=False, max_length=200,
        assume_scheme="https",
        help_text=_("Shown after signing, e.g. https://example.org/call. Empty: the "
                    "campaign's open call or e-mail action."),
    )

    def __init__(self, *args, user, instance: Petition | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self._add_multilingual("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False,
        ), instance.title if instance else None)
        self._add_multilingual("summary", lambda label: forms.CharField(
            label=label, max_length=1000, required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One or two sentences, shown first and printed on paper sheets."),
        ), instance.summary if instance else None)
        self._add_multilingual("body", lambda label: forms.CharField(
            label=label, max_length=20_000, required=False,
            widget=forms.Textarea(attrs={"rows": 10}),
            help_text=_("The full text. Leave a blank line between paragraphs."),
        ), instance.body if instance else None)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_TITLE)
        self._add_owner_fields(user)
        campaigns = campaigns_visible_to(user)
        if instance is not None and instance.campaign_id:
            # A campaign out of the account's sight stays as it is (see clean_campaign).
            campaigns = campaigns | Campaign.objects.filter(pk=instance.campaign_id)
        self.fields["campaign"].queryset = campaigns.order_by("slug")
        targets = Target.objects.filter(is_active=True)
        if instance is not None:
            # A target made inactive since stays ticked until someone unticks it.
            targets = targets | Target.objects.filter(pk__in=instance.targets.values("pk"))
        self.fields["targets"].queryset = targets.order_by("name", "id")
        self.fields["cosponsors"].queryset = cosponsor_choices(user, instance)
        if instance is not None:
            self.initial.setdefault("cosponsors",
                                    list(instance.cosponsors.values_list("pk", flat=True)))
            for name in ("goal", "status", "double_opt_in", "show_signers", "next_step_url",
                         "slug"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("campaign",
                                    instance.campaign.slug if instance.campaign_id else "")
            self.initial.setdefault("targets", list(instance.targets.values_list("pk",
                                                                                 flat=True)))

    def _add_multilingual(self, name: str, make_field, current: dict | None) -> None:
        # As EditFormBase's, with this form's own labels (the text is the petition's "body").
        for code in interface_languages():
            field = make_field(PETITION_LABELS[name].get(code) or format_lazy(
                "{} ({})", PETITION_LABELS[name]["en"], content_language_name(code)))
            field.widget.attrs["lang"] = code  # the text typed there is in that language
            self.fields[f"{name}_{code}"] = field
            if current:
                self.initial.setdefault(f"{name}_{code}", current.get(code, ""))

    def layout(self) -> list[dict]:
        return [
            self.language_columns("title", "summary", "body"),
            self.fields_block("slug", "organization", "chapter", "campaign", "cosponsors"),
            self.fields_block("targets", "goal", "status", "double_opt_in", "show_signers",
                              "next_step_url", heading=gettext("Signing")),
        ]

    def clean(self):
        cleaned = super().clean()
        self._require_title(gettext("Give the petition a title, in at least one language."))
        self._clean_owner()
        self._clean_campaign()
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        title = self.multilingual("title", current.title if current else None)
        return {
            "slug": self.slug_or_auto(localized(title, settings.LANGUAGE_CODE)),
            "title": title,
            "summary": self.multilingual("summary", current.summary if current else None),
            "body": self.multilingual("body", current.body if current else None),
            "organization": data["organization"],
            "chapter": data["chapter"],
            "campaign": data["campaign"],
            "targets": list(data["targets"]),
            "cosponsors": list(data["cosponsors"]),
            "goal": data["goal"],
            "status": data["status"],
            "double_opt_in": data["double_opt_in"],
            "show_signers": data["show_signers"],
            "next_step_url": data["next_step_url"],
        }


class SignatureActionForm(forms.Form):
    """The "Remove (spam)" and "Restore" buttons of a recent signature."""

    action = forms.ChoiceField(choices=[("remove", "remove"), ("restore", "restore")])
    signature = forms.IntegerField(min_value=1)
