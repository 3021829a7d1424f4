"""Access scope: the one place that decides which rows an organizer may see.

Every organizer-facing query goes through `scope_for(user).filter(queryset, via)`,
usually wrapped by an app's `*_visible_to(user)` selector. Out-of-scope objects
are simply absent from the queryset, so views answer 404 without confirming that
they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import OrganizerRole


class NotAllowed(PermissionDenied):
    """The actor may not make this change (decision 0056).

    Raised by the services that take an actor; the faces ask the domain's
    `*_editable_by` / `*_may_*` first, so an organizer never meets it. Left uncaught it
    is Django's 403.
    """


def require(allowed: bool, message: str) -> None:
    """Refuse with `NotAllowed(message)` unless `allowed`."""
    if not allowed:
        raise NotAllowed(message)


def require_unless_system(actor, allowed: Callable[[], bool], message: str) -> None:
    """`require(allowed(), message)` for an account. `actor=None` is the application
    itself (demo data, commands run without --user, background jobs) and passes: only the
    services that say so accept it (decision 0056). `allowed` is called for an account
    only, so that the application costs no query."""
    if actor is not None:
        require(allowed(), message)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    # Organizations a coordinator sees whole (every chapter, plus unassigned people).
    organization_ids: frozenset[int] = frozenset()
    # Materialized paths of chapters seen with everything below them.
    chapter_paths: tuple[str, ...] = ()
    # Organizations the account works within, for organization-level objects
    # (the organization page, its committees and campaigns).
    affiliated_organization_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.organization_ids or self.chapter_paths)

    def chapter_q(self, via: str) -> Q:
        """Q for rows whose chapter (reached through `via`, '' for a chapter) is in scope."""
        if self.everything:
            return Q()
        prefix = f"{via}__" if via else ""
        q = Q(pk__in=[])
        if self.organization_ids:
            q |= Q(**{f"{prefix}organization_id__in": sorted(self.organization_ids)})
            if via:
                q |= Q(**{f"{via}__isnull": True})
        for path in self.chapter_paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    def filter(self, queryset: QuerySet, via: str) -> QuerySet:
        return queryset if self.everything else queryset.filter(self.chapter_q(via))

    def person_q(self, via: str = "") -> Q:
        """Q for people (reached through `via`, '' for a person) this scope sees.

        Each organization's list is its own (decision 0035): a coordinator sees the
        people of their organization, those without a chapter included; a chapter
        organizer the people of their chapters and the chapters below them.
        """
        if self.everything:
            return Q()
        prefix = f"{via}__" if via else ""
        q = Q(pk__in=[])
        if self.organization_ids:
            q |= Q(**{f"{prefix}organization_id__in": sorted(self.organization_ids)})
        for path in self.chapter_paths:
            q |= Q(**{f"{prefix}home_chapter__path__startswith": path})
        return q

    def runs_q(self) -> Q:
        """Q for rows (with `organization` and `chapter`) this scope runs, that is may
        edit: a chapter's own when the chapter is in scope, an organization-wide one for
        the organization's coordinators; volunteers run nothing (decision 0056)."""
        if self.everything:
            return Q()
        q = Q(chapter__isnull=True, organization_id__in=sorted(self.organization_ids))
        if self.organization_ids or self.chapter_paths:
            q |= Q(chapter__isnull=False) & self.chapter_q("chapter")
        return q

    def runs(self, organization_id: int | None, chapter) -> bool:
        """`runs_q` for one placement: may this scope own an item of this organization
        and chapter (None: the whole organization)? That the chapter belongs to the
        organization is the services' own check."""
        if self.everything:
            return True
        if chapter is None:
            return organization_id in self.organization_ids
        return (chapter.organization_id in self.organization_ids
                or any(chapter.path.startswith(path) for path in self.chapter_paths))

    @property
    def list_organization_ids(self) -> frozenset[int]:
        """The organizations whose lists this scope reads from (whole or in part)."""
        return self.organization_ids | self.affiliated_organization_ids

    def organization_q(self, via: str) -> Q:
        """Q for rows owned by an organization the account works within."""
        if self.everything:
            return Q()
        prefix = f"{via}__" if via else ""
        ids = sorted(self.organization_ids | self.affiliated_organization_ids)
        return Q(**{f"{prefix}pk__in": ids}) if prefix else Q(pk__in=ids)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def scope_for(user) -> Scope:
    """The scope of an account, computed once per request object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_solidaire_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._solidaire_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    role = OrganizerRole.objects.filter(user=user).first()
    if role is None:
        return EVERYTHING if user.is_superuser else NOTHING
    chapters = list(role.chapters.values_list("path", "organization_id"))
    affiliated = frozenset(org_id for _path, org_id in chapters)
    if role.role == OrganizerRole.Role.COORDINATOR:
        if role.organization_id is None:
            return EVERYTHING
        return Scope(
            organization_ids=frozenset({role.organization_id}),
            affiliated_organization_ids=affiliated | {role.organization_id},
        )
    if role.role == OrganizerRole.Role.CHAPTER_ORGANIZER:
        return Scope(
            chapter_paths=tuple(sorted(path for path, _org in chapters)),
            affiliated_organization_ids=affiliated,
        )
    # Volunteers see no people pages; later issues give them their own call lists.
    return Scope(affiliated_organization_ids=affiliated)


def may_own(user, *, organization, chapter=None) -> bool:
    """May `user` place a new item (a petition, an event, a campaign...) in this
    organization and chapter, or move one there? The same rule as editing it
    (`Scope.runs`): a chapter of their scope, the whole organization for its
    coordinators."""
    organization_id = getattr(organization, "pk", organization)
    return scope_for(user).runs(organization_id, chapter)


def require_may_own(actor, *, organization, chapter=None, what: str = "an item",
                    system: bool = False) -> None:
    """Refuse an account that may not place `what` (a petition, an event...) in this
    organization and chapter, or move it there (`may_own`, decision 0056). With `system`,
    `actor=None` is the application itself and passes (`require_unless_system`)."""
    message = f"this account may not run {what} there"
    if system:
        require_unless_system(
            actor, lambda: may_own(actor, organization=organization, chapter=chapter), message)
    else:
        require(may_own(actor, organization=organization, chapter=chapter), message)


def role_of(user) -> str | None:
    role = OrganizerRole.objects.filter(user=user).values_list("role", flat=True).first()
    if role is None and getattr(user, "is_superuser", False):
        return OrganizerRole.Role.COORDINATOR
    return role


def is_coordinator(user) -> bool:
    return user.is_authenticated and role_of(user) == OrganizerRole.Role.COORDINATOR


def volunteer_work_q(user) -> Q | None:
    """Q for items (with `organization` and `chapter`) a volunteer may work on at the door:
    typing paper sheets, checking people in.

    Those of the organizations they work within, organization-wide or of their chapters
    (and the chapters below). None when the account is not a volunteer.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    role = OrganizerRole.objects.filter(user=user).first()
    if role is None or role.role != OrganizerRole.Role.VOLUNTEER:
        return None
    chapters = Q(pk__in=[])
    for path in role.chapters.values_list("path", flat=True):
        chapters |= Q(chapter__path__startswith=path)
    return (Q(organization_id__in=sorted(scope_for(user).affiliated_organization_ids))
            & (Q(chapter__isnull=True) | chapters))
