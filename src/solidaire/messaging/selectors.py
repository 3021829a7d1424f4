"""Reads about audiences and call lists. Organizer-facing reads go through the scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from solidaire.core.access import scope_for
from solidaire.people.selectors import status_access

from .models import Audience


def audiences_visible_to(user) -> QuerySet[Audience]:
    """A chapter's audiences when the chapter is in scope; organization-wide ones for the
    accounts of that organization. Whoever uses an audience gets only the people in
    their own scope (the definition is evaluated for them). An audience that uses
    immigration status exists only for accounts with status access (decision 0047)."""
    scope = scope_for(user)
    if scope.is_empty:
        return Audience.objects.none()
    audiences = Audience.objects.all()
    if not scope.everything:
        audiences = audiences.filter(
            (Q(chapter__isnull=True) & scope.organization_q("organization"))
            | (Q(chapter__isnull=False) & scope.chapter_q("chapter"))
        )
    if not status_access(user):
        audiences = audiences.filter(uses_status=False)
    return audiences


def audiences_editable_by(user) -> QuerySet[Audience]:
    """As campaigns: a chapter's audience for the organizers of the chapter, an
    organization-wide one for its coordinators (decision 0056)."""
    return audiences_visible_to(user).filter(scope_for(user).runs_q())


def audience_may_edit(user, audience: Audience) -> bool:
    return audiences_editable_by(user).filter(pk=audience.pk).exists()
