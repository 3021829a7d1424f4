"""Reads about imports for organizers."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from solidaire.core.access import scope_for

from ..models import ImportProblem, PersonImport
from .cleaning import REASONS
from .reading import error_message


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
