"""Forms of the duplicate finder: the minimum confidence shown, the bulk merge."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from solidaire.people.duplicates import CONFIDENT_SCORE

BULK_MERGE_LOWEST = 70  # bulk merge below this confidence would merge mere namesakes


class MinimumScoreForm(forms.Form):
    min_score = forms.IntegerField(
        label=_("Minimum confidence"), min_value=0, max_value=100, required=False,
        help_text=_("From 0 to 100."),
    )


class BulkMergeForm(forms.Form):
    min_score = forms.IntegerField(
        label=_("Minimum confidence"), min_value=BULK_MERGE_LOWEST, max_value=100,
        initial=CONFIDENT_SCORE,
        help_text=_("Pairs scoring at least this much are merged (%(lowest)s to 100).")
        % {"lowest": BULK_MERGE_LOWEST},
    )
    confirm = forms.BooleanField(
        label=_("I have checked a few of these pairs and want to merge them all"),
        required=False,
    )
