"""The form of a people export (the people list's and an audience's): format, columns, and
the immigration status columns for those who may see them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.people.exporting import DEFAULT_COLUMNS, Format, column_choices


class PeopleExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"), choices=Format.CHOICES, initial=Format.CSV,
        widget=forms.RadioSelect,
        help_text=_("CSV opens in any spreadsheet program and is the quickest for long "
                    "lists; XLSX is Excel's own format."),
    )
    columns = forms.MultipleChoiceField(
        label=_("Columns"), choices=column_choices, initial=DEFAULT_COLUMNS,
        widget=forms.CheckboxSelectMultiple,
    )
    # Status-access accounts with a recent code only (removed otherwise, so a posted
    # value is ignored).
    include_status = forms.BooleanField(
        label=_("Include the immigration status columns "
                "(category, permit expiry month, programmes)"),
        required=False,
    )
    confirm_status = forms.BooleanField(
        label=_("I understand this file will contain immigration status: I will "
                "keep it on an encrypted device, share it with no one who may not "
                "see status, and delete it when the work is done."),
        required=False,
    )

    def __init__(self, *args, with_status: bool, **kwargs):
        """`with_status`: the request may reveal status (`status_unlocked`)."""
        super().__init__(*args, **kwargs)
        if not with_status:
            del self.fields["include_status"]
            del self.fields["confirm_status"]

    @property
    def offers_status(self) -> bool:
        return "include_status" in self.fields

    def clean(self):
        data = super().clean()
        if data.get("include_status") and not data.get("confirm_status"):
            self.add_error("confirm_status", gettext(
                "Tick this box to confirm, or untick the immigration status columns."))
        return data

