"""Forms of the call-list pages: making a list, and a caller's outcome buttons."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Campaign
from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.forms import ModelMultipleChoiceField
from solidaire.core.i18n import content_language_name
from solidaire.messaging.calls import audiences_for_calls, call_people, callers_for
from solidaire.messaging.models import Audience, CallEntry

from .base import CampaignChoiceField, interface_languages

SCRIPT_LABELS = {"fr": _("Script in French"), "en": _("Script in English")}


class AudienceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Audience) -> str:
        if obj.uses_status:
            return format_lazy("{} — {}", obj.name, _("uses immigration status"))
        return obj.name


class CallerChoiceField(ModelMultipleChoiceField):
    """Accounts by name, with their role (a volunteer or an organizer)."""

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.get_username()
        role = getattr(obj, "organizer_role", None)
        return f"{name} — {role.get_role_display()}" if role is not None else name


class CallListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150,
                           help_text=_("For example: “Call day, 12 March”."))
    audience = AudienceChoiceField(
        Audience.objects.none(), label=_("Audience"), empty_label=_("Choose an audience"),
        help_text=_("The people to call. Only those with a phone number are on the list."),
    )
    campaign = CampaignChoiceField(
        Campaign.objects.none(), label=_("Campaign"), required=False, to_field_name="slug",
        empty_label=_("No campaign"),
        help_text=_("The outcomes count for this campaign. People who said they were not "
                    "interested on an earlier list of the campaign are left out."),
    )
    callers = CallerChoiceField(
        None, label=_("Callers"), widget=forms.CheckboxSelectMultiple,
        help_text=_("The list is split evenly between them. Each sees only their part: "
                    "names and phone numbers. A list made from an audience that uses "
                    "immigration status can be given only to accounts with status access."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        audiences = audiences_for_calls(user).order_by("name", "id")
        self.fields["audience"].queryset = audiences
        self.fields["campaign"].queryset = campaigns_visible_to(user).order_by("slug")
        # The people of an audience that uses status are status data: only accounts
        # that may see status are offered as callers, and only they are accepted.
        chosen = self._chosen_audience(audiences)
        self.status_only = chosen is not None and chosen.uses_status
        callers = self.fields["callers"]
        callers.queryset = callers_for(user, status_only=self.status_only).select_related(
            "organizer_role")
        if self.status_only:
            callers.error_messages["invalid_choice"] = _(
                "This audience uses immigration status: its list can be given only to "
                "accounts with status access. Choose among those offered.")
        for code in interface_languages():
            field = forms.CharField(
                label=SCRIPT_LABELS.get(code) or format_lazy(
                    "{} ({})", SCRIPT_LABELS["en"], content_language_name(code)),
                max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("What to say. Each caller reads it in their language."),
            )
            field.widget.attrs["lang"] = code
            self.fields[f"script_{code}"] = field

    def _chosen_audience(self, audiences) -> Audience | None:
        """The audience posted (or offered first), among those the account may use."""
        if self.is_bound:
            chosen = self.data.get(self.add_prefix("audience"))
        else:
            chosen = self.initial.get("audience")
            chosen = getattr(chosen, "pk", chosen)
        try:
            return audiences.filter(pk=int(chosen)).first() if chosen else None
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        audience, campaign = data.get("audience"), data.get("campaign")
        if audience is not None and campaign is not None \
                and campaign.organization_id != audience.organization_id:
            self.add_error("campaign", ValidationError(
                gettext("%(campaign)s is a campaign of another organization than the "
                        "audience's. Choose one of %(organization)s, or none.")
                % {"campaign": campaign.display_title,
                   "organization": audience.organization.name},
                code="campaign_of_another_organization",
            ))
        if audience is not None and not self.errors and self.people_count() == 0:
            self.add_error("audience", ValidationError(
                gettext("Nobody in this audience can be called: nobody has a phone number "
                        "(or they asked not to be called)."),
                code="nobody_to_call",
            ))
        return data

    def people_count(self) -> int | None:
        """How many people the list would hold, once an audience is chosen."""
        data = getattr(self, "cleaned_data", {})
        audience = data.get("audience")
        if audience is None:
            return None
        if not hasattr(self, "_count"):
            self._count = call_people(audience.definition, self.user,
                                      campaign=data.get("campaign")).count()
        return self._count

    def script(self) -> dict:
        texts = {}
        for code in interface_languages():
            text = (self.cleaned_data.get(f"script_{code}") or "").strip()
            if text:
                texts[code] = text
        return texts

    def service_arguments(self) -> dict:
        audience = self.cleaned_data["audience"]
        return {
            "name": self.cleaned_data["name"].strip(),
            "organization": audience.organization,
            "chapter": audience.chapter,
            "campaign": self.cleaned_data.get("campaign"),
            "audience": audience,
            "script": self.script(),
            "callers": list(self.cleaned_data["callers"].order_by("pk")),
        }


class OutcomeForm(forms.Form):
    """One of the outcome buttons (or "clear", to undo a mis-tap)."""

    outcome = forms.ChoiceField(choices=[*CallEntry.Outcome.choices, ("", "")], required=False)

