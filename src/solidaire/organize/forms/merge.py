"""Forms of merging two records of the same person."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.people.models import Person


class MergeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the other record"), required=False, max_length=200,
        help_text=_("A name, an e-mail or a phone number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(label=_("Record to keep"), coerce=int,
                                  widget=forms.RadioSelect)

    def __init__(self, *args, first: Person, second: Person, **kwargs):
        self.people = {first.pk: first, second.pk: second}
        older = min(first, second, key=lambda p: (p.created_at, p.pk))
        kwargs.setdefault("initial", {"keep": older.pk})
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (p.pk, gettext("Keep %(name)s (record #%(id)s)") % {"name": p.chosen_name,
                                                                  "id": p.pk})
            for p in (first, second)
        ]

    def keep_and_remove(self) -> tuple[Person, Person]:
        keep = self.people[self.cleaned_data["keep"]]
        remove = next(p for pk, p in self.people.items() if pk != keep.pk)
        return keep, remove
