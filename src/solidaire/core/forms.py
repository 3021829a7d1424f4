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


class IsoDateInput(forms.DateInput):
    """A native date picker, its value always written YYYY-MM-DD.

    `<input type="date">` reads only ISO dates; Django's DateInput otherwise writes the
    language's format ("09/06/2026" in French), which the browser shows as an empty
    field, so a form submitted with the other date changed loses this one. A browser
    without a date picker shows a text box: ISO is typed by hand there, and every
    language's DATE_INPUT_FORMATS accepts it.
    """

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")
