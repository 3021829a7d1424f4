"""Reads about organizing. Organizer-facing reads go through the scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from solidaire.core.access import scope_for

from .models import Chapter, ChapterRequest, Committee, Organization


def chapters_visible_to(user) -> QuerySet[Chapter]:
    return scope_for(user).filter(Chapter.objects.all(), "")


def organizations_visible_to(user) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_for(user).organization_q(""))


def organization_for_new_people(user) -> Organization:
    """Whose list a person an organizer adds without a chapter goes on: the
    coordinator's organization; for an account that sees every organization, the one
    that runs the site (decision 0035)."""
    scope = scope_for(user)
    ids = sorted(scope.organization_ids or scope.affiliated_organization_ids)
    if ids and not scope.everything:
        return Organization.objects.get(pk=ids[0])
    return Organization.objects.order_by("-is_host", "id").first()


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


def chapter_tree(queryset: QuerySet[Chapter]) -> list[Chapter]:
    """Chapters in tree order (path order), each with `indent` for display."""
    chapters = list(queryset.select_related("organization").order_by("path"))
    top = min((c.depth for c in chapters), default=1)
    for chapter in chapters:
        chapter.indent = chapter.depth - top
    return chapters


def public_chapters() -> QuerySet[Chapter]:
    return Chapter.objects.filter(is_public=True).select_related("organization").order_by("path")


def host_organization() -> Organization | None:
    return Organization.objects.filter(is_host=True).first() or Organization.objects.first()
