"""Reads about committees and chapter requests. Organizer-facing reads go through the
scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from solidaire.core.access import is_coordinator, scope_for
from solidaire.people.selectors import person_may_edit

from .models import ChapterRequest, Committee


def committees_visible_to(user) -> QuerySet[Committee]:
    """Committees of chapters in scope, and organization-wide committees of the
    organizations the account works within."""
    scope = scope_for(user)
    if scope.everything:
        return Committee.objects.all()
    return Committee.objects.filter(
        (Q(chapter__isnull=False) & scope.chapter_q("chapter"))
        | (Q(chapter__isnull=True) & scope.organization_q("organization"))
    )


def chapter_requests_visible_to(user) -> QuerySet[ChapterRequest]:
    scope = scope_for(user)
    if scope.everything:
        return ChapterRequest.objects.all()
    return ChapterRequest.objects.filter(organization_id__in=sorted(scope.organization_ids))


# -- who may edit (decision 0056) ------------------------------------------------------------

def committees_editable_by(user) -> QuerySet[Committee]:
    """A chapter's committee for the organizers of the chapter, an organization-wide one
    for its coordinators; volunteers edit none."""
    return committees_visible_to(user).filter(scope_for(user).runs_q())


def committee_may_edit(user, committee: Committee) -> bool:
    return committees_editable_by(user).filter(pk=committee.pk).exists()


def committee_members_may_change(user, committee: Committee, person) -> bool:
    """May the account put `person` on `committee` or take them off? Not editing the
    committee: whoever sees it and sees the person (an organizer of a chapter adds
    their people to the organization's committees too); volunteers see nobody."""
    return (committees_visible_to(user).filter(pk=committee.pk).exists()
            and person_may_edit(user, person))


def may_decide_chapter_requests(user) -> bool:
    """Only coordinators decide on new chapters; to anyone else the requests do not exist."""
    return is_coordinator(user)


def chapter_requests_decided_by(user) -> QuerySet[ChapterRequest]:
    """The requests the account decides on: those asked of the organizations it
    coordinates."""
    if not may_decide_chapter_requests(user):
        return ChapterRequest.objects.none()
    return chapter_requests_visible_to(user)


def chapter_request_may_decide(user, request: ChapterRequest) -> bool:
    return chapter_requests_decided_by(user).filter(pk=request.pk).exists()
