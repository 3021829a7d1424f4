"""Forms of the target pages: the list filters, a target with its offices, the CSV import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Level, Riding, Target
from solidaire.campaigns.selectors import riding_named, ridings_for_choice, target_same
from solidaire.campaigns.services import MAX_OFFICES
from solidaire.campaigns.targets_csv import MAX_TARGETS_FILE_BYTES, SOCIAL_NETWORKS
from solidaire.core.uploads import upload_limit
from solidaire.people.normalize import format_phone, normalize_email, normalize_phone

from .base import PHONE_HELP, EditFormBase, interface_languages


class TargetFilterForm(forms.Form):
    """The search box and filters above the target list (a GET form)."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        help_text=_("A name, an organization, or a riding's name or number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("Any kind")), *Target.Kind.choices])
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("Any level")), *Level.choices])

    def filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "kind", "level")}


class RidingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Riding) -> str:
        code = f" ({obj.code})" if obj.code else ""
        return f"{obj.name}{code} · {obj.get_level_display()}"


ROLE_LABELS = {"fr": _("Role in French"), "en": _("Role in English")}
SOCIAL_LABELS = {
    "twitter": _("X (Twitter)"),
    "facebook": _("Facebook"),
    "instagram": _("Instagram"),
    "bluesky": _("Bluesky"),
    "website": _("Website"),
}


class TargetForm(EditFormBase):
    """A target's details; its offices are the `OfficeFormSet` beside it."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Target.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    riding = RidingChoiceField(
        Riding.objects.none(), label=_("Riding"), required=False,
        empty_label=_("No riding"),
        help_text=_("The electoral district the target represents, if any."),
    )
    riding_name = forms.CharField(
        label=_("Or type a riding's name"), max_length=150, required=False,
        help_text=_("When the riding is not in the list: it is added at the level chosen "
                    "above."),
    )
    body = forms.CharField(label=_("Organization"), max_length=150, required=False,
                           help_text=_("Party, department, employer or agency."))
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False,
                            widget=forms.TextInput(attrs={"type": "email"}))
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, choices=settings.CONTENT_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the target's office answers in."),
    )
    notes = forms.CharField(
        label=_("Notes for organizers"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown on public pages."),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("Inactive targets (after an election, a cabinet change) are no longer "
                    "offered to actions."),
    )

    field_order = ["kind", "name"]

    def __init__(self, *args, instance: Target | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["riding"].queryset = ridings_for_choice()
        for code in interface_languages():
            field = forms.CharField(label=ROLE_LABELS.get(code, code), max_length=200,
                                    required=False,
                                    help_text=_("e.g. Minister of Immigration."))
            field.widget.attrs["lang"] = code
            self.fields[f"role_{code}"] = field
        for network in SOCIAL_NETWORKS:
            self.fields[f"social_{network}"] = forms.CharField(
                label=SOCIAL_LABELS[network], max_length=200, required=False,
                help_text=_("A public handle or address.") if network != "website" else "",
            )
        self.order_fields(["kind", "name", *[f"role_{c}" for c in interface_languages()]])
        if instance is not None:
            for name in ("kind", "name", "level", "body", "email", "languages", "notes",
                         "is_active"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("riding", instance.riding_id)
            for code in interface_languages():
                self.initial.setdefault(f"role_{code}", instance.role.get(code, ""))
            for network in SOCIAL_NETWORKS:
                self.initial.setdefault(f"social_{network}", instance.social.get(network, ""))

    def layout(self) -> list[dict]:
        return [
            self.fields_block("kind", "name"),
            {"columns": [[self[f"role_{code}"]] for code in interface_languages()]},
            self.fields_block("level", "riding", "riding_name", "body", "email", "languages"),
            self.fields_block(*[f"social_{n}" for n in SOCIAL_NETWORKS],
                              heading=gettext("Public social media")),
            self.fields_block("notes", "is_active"),
        ]

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        return normalize_email(value) if value else ""

    def clean_riding_name(self) -> str:
        return " ".join(self.cleaned_data["riding_name"].split())

    def clean(self):
        cleaned = super().clean()
        riding, typed = cleaned.get("riding"), cleaned.get("riding_name")
        if riding is not None and typed and typed.casefold() != riding.name.casefold():
            self.add_error("riding_name", ValidationError(
                gettext("Choose a riding in the list or type one, not both."),
                code="riding_twice",
            ))
        elif riding is not None and cleaned.get("level") and riding.level != cleaned["level"]:
            self.add_error("riding", ValidationError(
                gettext("%(riding)s is a riding of the level “%(level)s”: choose that level "
                        "or another riding.")
                % {"riding": riding.name, "level": riding.get_level_display()},
                code="riding_level",
            ))
        elif cleaned.get("name") and cleaned.get("kind") and cleaned.get("level"):
            if riding is None and typed:
                riding = riding_named(typed, level=cleaned["level"])
                if riding is None:
                    return cleaned  # a new riding: nobody represents it yet
            same = target_same(name=cleaned["name"], kind=cleaned["kind"], riding=riding,
                               exclude=self.instance)
            if same is not None:
                self.add_error("name", ValidationError(
                    gettext("A target of this kind with this name and riding is already "
                            "recorded."), code="target_exists",
                ))
        return cleaned

    def service_arguments(self) -> dict:
        """The target's fields; a typed riding is `riding_name` (found or created)."""
        data = self.cleaned_data
        current = self.instance
        offered = {code for code, _name in settings.CONTENT_LANGUAGES}
        kept = [code for code in (current.languages if current else []) if code not in offered]
        known = set(SOCIAL_NETWORKS)
        social = {k: v for k, v in (current.social if current else {}).items()
                  if k not in known}
        social.update({n: data[f"social_{n}"].strip() for n in SOCIAL_NETWORKS
                       if data[f"social_{n}"].strip()})
        return {
            "kind": data["kind"],
            "name": data["name"],
            "role": self.multilingual("role", current.role if current else None),
            "level": data["level"],
            "riding": data["riding"],
            "riding_name": "" if data["riding"] else data["riding_name"],
            "body": data["body"].strip(),
            "email": data["email"],
            "languages": kept + [code for code, _name in settings.CONTENT_LANGUAGES
                                 if code in data["languages"]],
            "social": social,
            "notes": data["notes"].strip(),
            "is_active": data["is_active"],
        }


class OfficeForm(forms.Form):
    label = forms.CharField(label=_("Office"), max_length=100, required=False,
                            help_text=_("e.g. Constituency office, Ottawa office."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"type": "tel"}),
                            help_text=PHONE_HELP)
    hours = forms.CharField(label=_("Office hours"), max_length=150, required=False,
                            help_text=_("e.g. Monday to Friday, 9 a.m. to 5 p.m."))
    address = forms.CharField(label=_("Address"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def office(self) -> dict:
        return {name: (self.cleaned_data.get(name) or "").strip()
                for name in ("label", "phone", "hours", "address")}


class BaseOfficeFormSet(forms.BaseFormSet):
    def offices(self) -> list[dict]:
        """The offices typed, in order; an office with every field empty is dropped."""
        return [office for office in (form.office() for form in self.forms
                                      if form.is_valid())
                if any(office.values())]


def office_formset(data=None, *, target: Target | None = None) -> BaseOfficeFormSet:
    """Three office forms: the target's offices first, empty ones after."""
    initial = []
    if target is not None:
        initial = [{"label": o.label, "phone": format_phone(o.phone) if o.phone else "",
                    "hours": o.hours, "address": o.address} for o in target.offices.all()]
    formset_class = forms.formset_factory(
        OfficeForm, formset=BaseOfficeFormSet, extra=max(0, MAX_OFFICES - len(initial)),
        max_num=MAX_OFFICES, absolute_max=MAX_OFFICES, validate_max=True,
    )
    return formset_class(data, initial=initial or None, prefix="offices")


class TargetImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Saved from a spreadsheet as CSV (comma or semicolon), with a first row "
                    "naming the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    update = forms.BooleanField(
        label=_("Update the targets already recorded"), required=False, initial=True,
        help_text=_("A target with the same name, kind and riding is updated with the "
                    "file's non-empty cells; otherwise it is left as it is."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = upload_limit(MAX_TARGETS_FILE_BYTES)
        if upload.size > limit:
            raise ValidationError(
                gettext("This file is too large: a list of targets fits in %(size)s MB. "
                        "Split it and import each part.")
                % {"size": max(limit // (1024 * 1024), 1)},
                code="too_large",
            )
        return upload
