"""The filters above the audit trail."""

from __future__ import annotations

import re

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .base import date_input

ACTION_PATTERN = re.compile(r"^[a-z0-9_.]+$")


def object_type_choices(kinds) -> list[tuple[str, str]]:
    """The "About" choices: one per (app label, model name) in `kinds`, in that order."""
    user_model = get_user_model()
    choices = [("", _("Any kind"))]
    for app_label, model_name in kinds:
        model = (user_model if (app_label, model_name) == ("auth", "user")
                 else apps.get_model(app_label, model_name))
        name = (gettext("Account") if model is user_model
                else model._meta.verbose_name.capitalize())
        choices.append((f"{app_label}.{model_name}", name))
    return choices


class AuditFilterForm(forms.Form):
    """The filters above the audit trail (a GET form). `object_types`: the kinds of object
    the page can say an entry is about (the page knows which of them have a page)."""

    action = forms.CharField(
        label=_("Action"), required=False, max_length=100,
        help_text=_("The start of an action name, e.g. solidaire.person. or solidaire.auth."),
        widget=forms.TextInput(attrs={"list": "audit-actions", "autocomplete": "off"}),
    )
    account = forms.CharField(
        label=_("Account"), required=False, max_length=150,
        help_text=_("A username: what this account did, and what was done to it."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input(),
                              help_text=_("Both days included."))
    object_type = forms.ChoiceField(label=_("About"), required=False)

    def __init__(self, *args, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = object_type_choices(object_types)

    def clean_action(self) -> str:
        action = self.cleaned_data["action"].strip()
        if action and not ACTION_PATTERN.match(action):
            raise forms.ValidationError(gettext(
                "An action name has only small letters, digits, dots and underscores, "
                "e.g. solidaire.person."))
        return action

    def clean_account(self) -> str:
        return self.cleaned_data["account"].strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", gettext("The end date comes before the start date."))
        return data

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out; the form shows its error)."""
        data = getattr(self, "cleaned_data", {})
        object_type = None
        if data.get("object_type"):
            app_label, model_name = data["object_type"].split(".")
            object_type = ContentType.objects.get_for_model(
                apps.get_model(app_label, model_name))
        return {
            "action": data.get("action") or "",
            "account": data.get("account") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "object_type": object_type,
        }
