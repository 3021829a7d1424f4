"""Form fields shared by the apps above `core`."""

from __future__ import annotations

from django import forms

# The widest id a database column holds (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, answering "not one of the choices" for an id no column can hold.

    Django looks the chosen ids up with `pk__in`; on SQLite an id past 64 bits (typed
    into an address, or a forged form) raises OverflowError there, a server error,
    where a form error is due. Such ids are refused before the query.
    """

    def _check_values(self, value):
        for item in value or ():
            text = str(item).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > LARGEST_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs
