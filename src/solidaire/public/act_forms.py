"""Forms of the public call and e-mail action pages. They check input; services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solidaire.advocacy.models import CallReport
from solidaire.core.intake import form_token_check, form_token_new
from solidaire.people.normalize import normalize_postal_code

from .forms import ContactFieldsMixin, HoneypotField

CONSENT_LABEL = _("Keep me informed about this campaign (you can stop at any time)")


class ErrorsDescribedMixin:
    """A field with an error points at it (aria-describedby, aria-invalid) for screen
    readers; its help text stays described too."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields or self.fields[name].widget.is_hidden:
                continue
            field, auto_id = self.fields[name], self[name].auto_id
            described = ([f"{auto_id}_helptext"] if field.help_text else []) + [
                f"{auto_id}_error"]
            field.widget.attrs.update({"aria-describedby": " ".join(described),
                                       "aria-invalid": "true"})


def shown_ids(raw: str) -> list[int]:
    """Target ids written in the hidden `shown` field ("3,7"); junk is ignored."""
    return [int(part) for part in raw.split(",")[:20] if part.strip().isdigit()]


class IntakeFormBase(ErrorsDescribedMixin, forms.Form):
    """The form key and the honeypot every public form carries."""

    key = forms.CharField(widget=forms.HiddenInput, required=False)
    # The targets the page showed (ids), so a form shown again shows the same ones.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)
    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["key"] = form_token_new()

    def clean_shown(self) -> list[int]:
        return shown_ids(self.cleaned_data.get("shown") or "")

    def clean_key(self) -> str:
        # The idempotency key inside the signed form key; "" when forged or too old.
        return form_token_check(self.cleaned_data.get("key") or "") or ""

    def clean(self):
        cleaned = super().clean()
        self.key_expired = "key" in cleaned and not cleaned["key"]
        if self.key_expired:
            self.add_error(None, ValidationError(
                _("This page was open for a long time. Check what you typed and send it "
                  "again."), code="key_expired",
            ))
        return cleaned

    def renew_key(self) -> None:
        """A fresh key for a form shown again after an error (the old one may be stale)."""
        data = self.data.copy()
        data["key"] = form_token_new()
        self.data = data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class PostalCodeForm(ErrorsDescribedMixin, forms.Form):
    """Find the supporter's representative: the code is POSTed, never put in the URL."""

    postal_code = forms.CharField(
        label=_("Your postal code"), max_length=10,
        help_text=_("For example H2X 1Y4. It is used to find your representative and is not "
                    "kept."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    website = HoneypotField(label=_("Leave this field empty"))

    def clean_postal_code(self) -> str:
        return normalize_postal_code(self.cleaned_data["postal_code"])


class TargetField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        role = obj.display_role
        return f"{obj.name} — {role}" if role else obj.name


class CallReportForm(IntakeFormBase, ContactFieldsMixin):
    """After the call: how it went, and optionally who called."""

    target = TargetField(queryset=None, label=_("Whom did you call?"), empty_label=None,
                         widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=_("How did it go?"), choices=CallReport.Outcome.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What did they say? (optional)"), max_length=2000, required=False,
        help_text=_("Only the organizers read it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    chosen_name = forms.CharField(
        label=_("Your name (optional)"), max_length=150, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("E-mail (optional)"), max_length=254, required=False,
        help_text=_("Leave an e-mail or a phone if you want us to keep you informed. Your "
                    "call counts either way."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"), max_length=30, required=False,
        help_text=_("With the area code, e.g. 514 555-0123."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label=CONSENT_LABEL, required=False)

    field_order = ["target", "outcome", "note", "chosen_name", "email", "phone", "consent"]

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = targets
        choices = list(targets[:2])
        if len(choices) == 1:  # nothing to choose: the one target, whatever was posted
            field.widget = forms.HiddenInput()
            self.initial.setdefault("target", choices[0].pk)
            if self.is_bound and not self.data.get("target"):
                self.data = self.data.copy()
                self.data["target"] = str(choices[0].pk)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent") and not (cleaned.get("email") or cleaned.get("phone")) \
                and "email" not in self.errors and "phone" not in self.errors:
            self.add_error("email", ValidationError(
                _("To keep you informed we need an e-mail or a phone number."),
                code="consent_without_contact",
            ))
        return cleaned


class LetterForm(IntakeFormBase, ContactFieldsMixin):
    """The supporter's letter, pre-filled with the action's, and who sends it."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Your letter"), max_length=10000,
                           help_text=_("You may change it: your own words count most."),
                           widget=forms.Textarea(attrs={"rows": 12}))
    chosen_name = forms.CharField(label=_("Your name"), max_length=150,
                                  widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.CharField(
        label=_("Your e-mail"), max_length=254,
        help_text=_("Replies from the office come to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code (optional)"), max_length=10, required=False,
        help_text=_("For example H2X 1Y4. Offices pay more attention to their own voters."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    consent = forms.BooleanField(label=CONSENT_LABEL, required=False)

    field_order = ["subject", "body", "chosen_name", "email", "postal_code",
                   "consent"]

    def clean_body(self) -> str:
        # Browsers send CRLF; the e-mail and the record keep plain newlines.
        return self.cleaned_data["body"].replace("\r\n", "\n")
