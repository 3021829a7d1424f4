"""Reads about organizations and chapters. Organizer-facing reads go through the scope
(committees and chapter requests: membership.selectors)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from solidaire.core.access import scope_for

from .models import Chapter, Organization


def chapters_visible_to(user) -> QuerySet[Chapter]:
    return scope_for(user).filter(Chapter.objects.all(), "")


def organizations_visible_to(user) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_for(user).organization_q(""))


def organization_for_new_people(user) -> Organization | None:
    """Whose list a person an organizer adds without a chapter goes on: the
    coordinator's organization; for an account that sees every organization, the one
    that runs the site (decision 0035); None on a site with no organization yet."""
    scope = scope_for(user)
    ids = sorted(scope.organization_ids or scope.affiliated_organization_ids)
    if ids and not scope.everything:
        return Organization.objects.get(pk=ids[0])
    return Organization.objects.order_by("-is_host", "id").first()


# -- who may edit (decision 0056) ------------------------------------------------------------
# Coordinators run whole organizations; chapter organizers run the chapters of their scope
# (and what belongs to them); volunteers run nothing. Each starts from the scoping
# selector of its kind, so an editable object is always a visible one.

def organizations_run_by(user) -> QuerySet[Organization]:
    """Organizations the account coordinates as a whole: it may edit them, their
    organization-wide items (committees, campaigns, series...), and add chapters at the
    top of their tree."""
    scope = scope_for(user)
    visible = organizations_visible_to(user)
    return visible if scope.everything else visible.filter(pk__in=sorted(scope.organization_ids))


def organization_may_edit(user, organization: Organization) -> bool:
    return organizations_run_by(user).filter(pk=organization.pk).exists()


def organizations_for_new(user) -> QuerySet[Organization]:
    """Organizations the account may add an item (a committee, a campaign, a petition...)
    to: the ones it coordinates, and those of the chapters in its scope (for those
    chapters only: `core.access.may_own` decides the chapter)."""
    scope = scope_for(user)
    visible = organizations_visible_to(user)
    if scope.everything:
        return visible
    return visible.filter(
        Q(pk__in=sorted(scope.organization_ids))
        | Q(pk__in=chapters_visible_to(user).values("organization_id"))
    )


def organization_may_create(user) -> bool:
    """Only an account that runs the whole site (a coordinator of every organization, a
    superuser) records a new organization; a coalition's coordinators record their
    allies as members (`coalition_may_edit`)."""
    return scope_for(user).everything


def coalitions_run_by(user) -> QuerySet[Organization]:
    return organizations_run_by(user).filter(kind=Organization.Kind.COALITION)


def coalition_may_edit(user, coalition: Organization) -> bool:
    """May the account add member organizations to `coalition`?"""
    return coalitions_run_by(user).filter(pk=coalition.pk).exists()


def chapters_editable_by(user) -> QuerySet[Chapter]:
    """Every chapter in scope: a chapter organizer edits their chapters and those below
    them, and adds chapters below them; volunteers see no chapters."""
    return chapters_visible_to(user)


def chapter_may_edit(user, chapter: Chapter) -> bool:
    return chapters_editable_by(user).filter(pk=chapter.pk).exists()


def chapter_parent_choices(user, chapter: Chapter) -> QuerySet[Chapter] | None:
    """Where the account may move a chapter: chapters of its scope in the same
    organization, never the chapter itself or one below it.

    None when the chapter may not move at all: its parent is outside the scope (the
    top of a chapter organizer's scope stays where the coordinators put it), or it is
    at the top of the tree and the account does not coordinate the organization.
    """
    editable = chapters_editable_by(user)
    parent = Chapter.objects.get_parent(chapter)
    if parent is None:
        movable = organizations_run_by(user).filter(pk=chapter.organization_id).exists()
    else:
        movable = editable.filter(pk=parent.pk).exists()
    if not movable:
        return None
    return (editable.filter(organization_id=chapter.organization_id)
            .exclude(path__startswith=chapter.path).order_by("path"))


def chapter_may_move(user, chapter: Chapter, parent: Chapter | None) -> bool:
    """May the account put `chapter` under `parent` (None: at the top of the tree)?"""
    choices = chapter_parent_choices(user, chapter)
    if choices is None:
        return False
    if parent is None:
        return organizations_run_by(user).filter(pk=chapter.organization_id).exists()
    return choices.filter(pk=parent.pk).exists()


def chapter_tree(queryset: QuerySet[Chapter]) -> list[Chapter]:
    """Chapters in tree order (path order), each with `indent` for display."""
    chapters = list(queryset.select_related("organization").order_by("path"))
    top = min((c.depth for c in chapters), default=1)
    for chapter in chapters:
        chapter.indent = chapter.depth - top
    return chapters


def public_chapters() -> QuerySet[Chapter]:
    return Chapter.objects.filter(is_public=True).select_related("organization").order_by("path")


def public_chapter(slug: str) -> Chapter | None:
    """A chapter listed publicly, by its address; an unlisted one has no public page."""
    return (Chapter.objects.filter(slug=slug, is_public=True).select_related("organization")
            .first())


def public_reach_q(chapter: Chapter | None = None, field: str = "chapter") -> Q:
    """What may be listed publicly, for everyone (no chapter) or for one chapter's people.

    Never the items of an unlisted chapter: listing them would name it. For a chapter:
    its organization's items for the whole organization, and those of the chapter, of
    the chapters above it and of those below it (people of Montréal also answer the
    Québec chapter's calls and go to Côte-des-Neiges' assemblies).
    """
    listed = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__is_public": True})
    if chapter is None:
        return listed
    step = Chapter.steplen
    above = [chapter.path[:end] for end in range(step, len(chapter.path), step)]
    return listed & (
        Q(**{f"{field}__isnull": True, "organization_id": chapter.organization_id})
        | Q(**{f"{field}__path__startswith": chapter.path})
        | Q(**{f"{field}__path__in": above})
    )


def host_organization() -> Organization | None:
    return Organization.objects.filter(is_host=True).first() or Organization.objects.first()
