"""Forms of the spreadsheet import pages: the upload, and the column choices (issue 4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.core.access import is_coordinator
from solidaire.core.filesize import file_size
from solidaire.core.tabular import EMPTY, too_big_error
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import chapters_visible_to
from solidaire.people.importing.columns import FIELDS, IGNORE, field_label
from solidaire.people.importing.services import max_bytes

from .base import ChapterChoiceField, tag_names_parse

ACCEPTED_TYPES = ",".join([
    ".csv", ".xlsx", "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
])
# Shown under the file input: the headers recognized without any choosing.
HEADER_EXAMPLES = ("Prénom, Nom, Courriel, Téléphone, Cellulaire, Code postal, Langue, "
                   "First name, Last name, E-mail, Phone, Mobile, Postal code, Language")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": EMPTY,
        },
        widget=forms.FileInput(attrs={"accept": ACCEPTED_TYPES}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A CSV file or an Excel workbook (.xlsx) of at most %(size)s, with the column "
            "headers on its first row. Headers such as %(examples)s are recognized in "
            "French and English; you choose what each column holds on the next page."
        ) % {"size": file_size(max_bytes()), "examples": HEADER_EXAMPLES}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(too_big_error(max_bytes()).message, code="too_big")
        return upload


def column_field_name(index: int) -> str:
    return f"column_{index}"


class ImportMappingForm(forms.Form):
    """What each column holds, and the chapter and tags for everyone in the file.

    One choice field per column (`column_0`, `column_1`, …), in the file's order.
    """

    chapter = ChapterChoiceField(
        Chapter.objects.none(), label=_("Chapter for everyone in the file"),
        empty_label=_("No chapter"),
        help_text=_("The chapter that organizes with the people of this file."),
    )
    tags = forms.CharField(
        label=_("Tags for everyone in the file"), max_length=500, required=False,
        help_text=_("Separate tags with commas, e.g. rally 2026, night shift."),
    )

    def __init__(self, *args, user, person_import, **kwargs):
        self.person_import = person_import
        initial = kwargs.setdefault("initial", {})
        mapping = person_import.mapping or {}
        choices = [(IGNORE, field_label(IGNORE)), *FIELDS.items()]
        columns = {}
        for index, header in enumerate(person_import.headers or []):
            name = column_field_name(index)
            initial.setdefault(name, mapping.get(str(index), IGNORE))
            columns[name] = forms.ChoiceField(
                label=header or gettext("Column %(number)s") % {"number": index + 1},
                choices=choices, required=False,
            )
        if person_import.chapter_id:
            initial.setdefault("chapter", person_import.chapter.slug)
        if person_import.tag_names:
            initial.setdefault("tags", ", ".join(person_import.tag_names))
        super().__init__(*args, **kwargs)
        # Columns first, in the file's order, then the chapter and the tags.
        self.fields = {**columns, **self.fields}
        chapter = self.fields["chapter"]
        chapter.queryset = chapters_visible_to(user).order_by("path")
        # A chapter organizer's people always belong to one of their chapters.
        chapter.required = not is_coordinator(user)
        if chapter.required:
            chapter.empty_label = _("Choose a chapter")
            if not self.is_bound and "chapter" not in initial:
                only = list(chapter.queryset[:2])
                if len(only) == 1:  # an organizer of one chapter has nothing to choose
                    self.initial["chapter"] = only[0].slug

    @property
    def column_fields(self):
        """The bound fields of the columns, in the file's order."""
        return [self[column_field_name(i)] for i in range(len(self.person_import.headers))]

    @property
    def recognized_any(self) -> bool:
        return any(self.person_import.mapping.values()) if self.person_import.mapping else False

    def clean_tags(self) -> list[str]:
        return tag_names_parse(self.cleaned_data["tags"])

    def mapping(self) -> dict[str, str]:
        """Column index (as text) -> field, for the columns not ignored."""
        chosen = {}
        for index in range(len(self.person_import.headers)):
            key = self.cleaned_data.get(column_field_name(index)) or IGNORE
            if key != IGNORE:
                chosen[str(index)] = key
        return chosen

    def service_arguments(self) -> dict:
        return {
            "mapping": self.mapping(),
            "chapter": self.cleaned_data.get("chapter"),
            "tag_names": self.cleaned_data["tags"],
        }
