"""Reads about imports for organizers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from solidaire.core.access import scope_for
from solidaire.core.tabular import error_message

from ..models import ImportProblem, Person, PersonImport
from .cleaning import REASONS
from .columns import FORMATS, detect_format, important_unmapped


def imports_visible_to(user) -> QuerySet[PersonImport]:
    """An organizer's own imports; a coordinator also sees their organization's."""
    if not getattr(user, "is_authenticated", False):
        return PersonImport.objects.none()
    scope = scope_for(user)
    if scope.is_empty:
        return PersonImport.objects.none()
    if scope.everything:
        return PersonImport.objects.all()
    q = Q(created_by=user)
    if scope.organization_ids:
        q |= Q(organization_id__in=sorted(scope.organization_ids))
    return PersonImport.objects.filter(q)


def imports_may_create(user) -> bool:
    """Organizers import people (into the chapters of their scope); volunteers do not."""
    return not scope_for(user).is_empty


def import_may_manage(user, person_import: PersonImport) -> bool:
    """May the account choose an import's columns, start it, read its problem report or
    undo it? Whoever sees it (`imports_visible_to`, decision 0056)."""
    return imports_visible_to(user).filter(pk=person_import.pk).exists()


def earlier_import_of_same_file(person_import: PersonImport) -> PersonImport | None:
    """The latest import of a file with the same content (same fingerprint) that went
    through in the same organization, and was not undone; None if there is none.

    The organization's, not only the account's: two organizers of one list importing the
    same sign-up sheet is what this catches. Files of other organizations never count."""
    if not person_import.sha256:
        return None
    # An upload by an account of no organization (a superuser) is compared with the
    # other such uploads, as `organization_id=None` did (IS NULL).
    same_list = (Q(organization_id=person_import.organization_id)
                 if person_import.organization_id is not None
                 else Q(organization_id__isnull=True))
    return (PersonImport.objects
            .filter(same_list, sha256=person_import.sha256, state=PersonImport.State.DONE)
            .exclude(pk=person_import.pk).select_related("created_by")
            .order_by("-finished_at", "-id").first())


def import_problem_rows(person_import: PersonImport) -> Iterator[tuple[int, str, str, str]]:
    """(row, column, reason in the active language, value) for the error report."""
    problems = (ImportProblem.objects.filter(person_import=person_import)
                .order_by("row", "id").values_list("row", "column", "code", "value"))
    for row, column, code, value in problems.iterator(chunk_size=5000):
        yield row, column, str(REASONS.get(code, code)), value


def import_failure_text(person_import: PersonImport) -> str:
    """Why an import stopped, in the reader's language."""
    if not person_import.failure:
        return ""
    if person_import.failure == "file_missing":
        return _("The uploaded file is no longer on the server. Upload it again.")
    code = person_import.failure.removeprefix("file:")
    if code != person_import.failure and (message := error_message(code)):
        return message
    return _("The import stopped on an error (%(error)s). Start it again: it continues "
             "where it stopped.") % {"error": person_import.failure}


@dataclass
class ColumnNotes:
    """What the column-choice page tells before an import runs."""

    format: str = ""  # a key of FORMATS: the tool the file was exported from
    unmapped: list[str] = field(default_factory=list)  # important headers left out
    language_default: str | None = None  # the code everyone added gets, when no column gives one

    @property
    def format_label(self):
        return FORMATS.get(self.format, "")

    @property
    def language_default_name(self) -> str:
        """The default language's name, to use within a sentence (French writes it in
        lower case: « la langue par défaut (français) »)."""
        if not self.language_default:
            return ""
        name = str(dict(settings.CONTENT_LANGUAGES).get(self.language_default,
                                                        self.language_default))
        return name.lower() if (get_language() or "").startswith("fr") else name


def import_column_notes(person_import: PersonImport, mapping: dict | None = None) -> ColumnNotes:
    """The tool recognized, the important columns `mapping` (by default the import's own)
    leaves out, and the language people added get when no column gives one."""
    headers = person_import.headers or []
    mapping = (person_import.mapping or {}) if mapping is None else mapping
    language = None
    if "preferred_language" not in mapping.values():
        # New people get the field's default (existing people keep theirs).
        language = Person._meta.get_field("preferred_language").default
    return ColumnNotes(format=detect_format(headers),
                       unmapped=important_unmapped(headers, mapping),
                       language_default=language)
