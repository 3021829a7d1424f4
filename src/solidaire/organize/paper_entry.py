"""Typing paper sheets back in: the keyboard flow shared by petitions and events.

Decision 0020. A page types one line of a sheet at a time and is made for the keyboard:

- the sheet number and language stay between entries (in the query string after each
  save), and the cursor starts in the name field (in the sheet number when there is none);
- Enter saves; the form carries a signed one-time key, so a double Enter saves once;
- before saving, likely duplicates are looked for: a "maybe the same person" match brings
  the form back with the cursor on a "Save anyway" box;
- the last entries typed on this sheet by this account are listed under the form.

A page subclasses `PaperEntry` and says what a line is (`form_class`, `fields_template`),
how its duplicates are found (`find`), whether a match refuses the line (`refuse`), how it
is saved (`save`) and what the recent entries show (`recent_rows`). The template
`organize/paper/_entry.html` draws the shared form; the page template includes it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from solidaire.core.intake import form_token_check, form_token_new

RECENT_ENTRIES = 10
MAYBE_SAME = "maybe_same"


def entry_language(value: str | None) -> str:
    """`value` when it is a site language; else the page's language, else the default."""
    codes = dict(settings.LANGUAGES)
    if value in codes:
        return value
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in codes else settings.LANGUAGE_CODE


def focus(form: forms.Form, name: str) -> None:
    """Put the cursor in field `name` (and nowhere else)."""
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    form.fields[name].widget.attrs["autofocus"] = True


class PaperEntry:
    """One paper-entry page for one petition or event. See the module docstring."""

    form_class: type[forms.Form]
    template_name: str
    fields_template: str
    person_legend = ""
    maybe_heading = ""       # above "maybe the same person" matches
    already_heading = ""     # above matches that refuse the line
    recent_columns: tuple = ()

    def __init__(self, request, *, here: str):
        self.request = request
        self.here = here

    # What a page says -------------------------------------------------------------

    def replayed(self, key: str) -> bool:
        """Whether a line was already saved with this form key (a double Enter)."""
        raise NotImplementedError

    def find(self, data: dict) -> list:
        """Likely duplicates of the typed line; each has a `kind`."""
        return []

    def refuse(self, data: dict, matches: list) -> str | None:
        """A message when the matches forbid saving the line; None to go on."""
        return None

    def asks_save_anyway(self, data: dict, matches: list) -> bool:
        return not data.get("save_anyway") and any(m.kind == MAYBE_SAME for m in matches)

    def save(self, data: dict, key: str, matches: list) -> str | None:
        """Store the line (and add a message); a message when it could not be saved."""
        raise NotImplementedError

    def recent_rows(self, sheet: str) -> list[list]:
        """The cells of the last lines typed on this sheet by this account, newest first."""
        return []

    def extra_context(self) -> dict:
        return {}

    # The flow ---------------------------------------------------------------------

    def next_url(self, sheet: str, language: str) -> str:
        return f"{self.here}?{urlencode({'sheet': sheet, 'language': language})}"

    def handle(self):
        request = self.request
        sheet = request.GET.get("sheet", "").strip()[:20]
        language = entry_language(request.GET.get("language"))
        matches, ask_save_anyway = [], False

        if request.method == "POST":
            form = self.form_class(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                sheet, language = data["sheet_number"], data["language"]
                key = form_token_check(data["key"])
                if key is None:
                    form = self.form_class(request.POST.copy())
                    form.data["key"] = form_token_new()
                    form.is_valid()
                    form.add_error(None, _("This form was open too long. Check the entry and "
                                           "save it again."))
                elif self.replayed(key):
                    # The same form sent twice (a double Enter): it was saved the first time.
                    return redirect(self.next_url(sheet, language))
                else:
                    matches = self.find(data)
                    refused = self.refuse(data, matches)
                    if refused:
                        form.add_error(None, refused)
                    elif self.asks_save_anyway(data, matches):
                        ask_save_anyway = True
                        matches = [m for m in matches if m.kind == MAYBE_SAME]
                        focus(form, "save_anyway")
                    else:
                        error = self.save(data, key, matches)
                        if error is None:
                            return redirect(self.next_url(sheet, language))
                        form.add_error(None, error)
            if form.errors:
                first = next((name for name in form.fields if name in form.errors), None)
                if first and first != "key":
                    focus(form, first)
        else:
            form = self.form_class(initial={"key": form_token_new(), "sheet_number": sheet,
                                            "language": language})
            if not sheet:
                focus(form, "sheet_number")

        context = {
            "entry": self, "form": form, "sheet": sheet, "matches": matches,
            "ask_save_anyway": ask_save_anyway,
            "recent": self.recent_rows(sheet)[:RECENT_ENTRIES] if sheet else [],
            **self.extra_context(),
        }
        return render(request, self.template_name, context,
                      status=400 if form.errors else 200)
