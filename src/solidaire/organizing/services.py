"""Writes about organizations, coalitions and the chapter tree (committees and chapter
requests: membership.services)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from solidaire.core.access import require_unless_system
from solidaire.core.changes import changed_fields_apply
from solidaire.core.ownership import same_organization_check
from solidaire.core.phones import normalize_phone
from solidaire.core.services import audit_log

from .models import Chapter, CoalitionMembership, Organization
from .selectors import (
    chapter_may_edit,
    chapter_may_move,
    coalition_may_edit,
    organization_may_create,
    organization_may_edit,
)

# `actor=None` is the application itself (the demo data, the admin's own checks); an
# account must be allowed by the rules in selectors.py (decision 0056).


def unique_slug(model, text: str, *, max_length: int = 80) -> str:
    base = slugify(text)[: max_length - 5] or "x"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def chapter_create(
    *,
    organization: Organization,
    name: str,
    kind: str,
    parent: Chapter | None = None,
    slug: str = "",
    actor=None,
    **fields,
) -> Chapter:
    """Add a chapter under `parent` (or as a root of the tree)."""
    if parent is None:
        require_unless_system(actor, lambda: organization_may_edit(actor, organization),
                              "only the organization's coordinators add a chapter at the top")
    else:
        require_unless_system(actor, lambda: chapter_may_edit(actor, parent),
                              "this account may not add a chapter there")
    values = {
        "organization": organization, "name": name.strip(), "kind": kind,
        "slug": slug or unique_slug(Chapter, name), **fields,
    }
    if parent is not None:
        chapter = Chapter.objects.add_child(parent, create_kwargs=values)
    else:
        chapter = Chapter.objects.add_root(create_kwargs=values)
    audit_log(action="solidaire.chapter.created", actor=actor, obj=chapter)
    return chapter


@transaction.atomic
def organization_create(
    *, name: str, kind: str, slug: str = "", actor=None, **fields,
) -> Organization:
    """Record an organization (a centre, a union, a coalition, an ally).

    An account that runs the whole site records one (`organization_may_create`); a
    coalition's coordinators record their allies through `coalition_member_create`."""
    require_unless_system(actor, lambda: organization_may_create(actor),
                          "only an account that runs the whole site adds an organization")
    return _organization_create(name=name, kind=kind, slug=slug, actor=actor, **fields)


def _organization_create(*, name: str, kind: str, slug: str = "", actor=None,
                         **fields) -> Organization:
    organization = Organization.objects.create(
        name=name.strip(), kind=kind, slug=slug or unique_slug(Organization, name), **fields,
    )
    audit_log(action="solidaire.organization.created", actor=actor, obj=organization)
    return organization


@transaction.atomic
def coalition_member_add(
    *, coalition: Organization, member: Organization, is_founding: bool = False,
    joined_on=None, actor=None,
) -> CoalitionMembership:
    """Make `member` part of `coalition` (kept as is when it already is)."""
    require_unless_system(actor, lambda: coalition_may_edit(actor, coalition),
                          "only the coalition's coordinators add members")
    membership, _created = CoalitionMembership.objects.get_or_create(
        coalition=coalition, member=member,
        defaults={"is_founding": is_founding, "joined_on": joined_on},
    )
    audit_log(action="solidaire.coalition.member.added", actor=actor, obj=coalition,
              data={"member_id": member.pk})
    return membership


# -- organizers editing the structure --------------------------------------------------------

# What the organizer pages may change on each kind of row (never a key or a host flag).
CHAPTER_EDITABLE = ("name", "slug", "kind", "city", "languages", "contact_email",
                    "contact_phone", "is_public")
ORGANIZATION_EDITABLE = ("name", "short_name", "kind", "description", "city", "province",
                         "website", "email", "phone", "status_retention_months")
# `parent` left at KEEP: the chapter stays where it is in the tree.
KEEP = object()


def fields_apply(obj, fields: dict, editable: tuple[str, ...]) -> list[str]:
    """`core.changes.changed_fields_apply`, the name trimmed first: the names of the
    changed fields. Shared with membership.services (committees are edited the same way)."""
    if isinstance(fields.get("name"), str):
        fields["name"] = fields["name"].strip()
    return changed_fields_apply(obj, fields, editable=editable)


def _contact_phone(value: str) -> str:
    return normalize_phone(value) if value else ""


@transaction.atomic
def chapter_move(*, chapter: Chapter, parent: Chapter | None, actor=None) -> Chapter:
    """Put a chapter (and everything below it) under `parent`, or at the top of the tree.

    The parent must belong to the same organization and cannot be the chapter itself
    or one of the chapters below it. Siblings stay in name order.
    """
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    old_parent = Chapter.objects.get_parent(chapter)
    if parent is not None:
        parent = Chapter.objects.get(pk=parent.pk)
        same_organization_check(chapter.organization_id, parent=parent)
        if parent.path.startswith(chapter.path):
            raise ValueError("a chapter cannot be moved below itself")
    if (old_parent.pk if old_parent else None) == (parent.pk if parent else None):
        return chapter
    require_unless_system(actor, lambda: chapter_may_move(actor, chapter, parent),
                          "this account may not move this chapter there")
    if parent is not None:
        Chapter.objects.move(chapter, parent, pos="sorted-child")
    else:
        Chapter.objects.move(chapter, Chapter.objects.get_first_root_node(),
                             pos="sorted-sibling")
    chapter = Chapter.objects.get(pk=chapter.pk)
    audit_log(action="solidaire.chapter.moved", actor=actor, obj=chapter, data={
        "from_parent_id": old_parent.pk if old_parent else None,
        "to_parent_id": parent.pk if parent else None,
    })
    return chapter


@transaction.atomic
def chapter_update(*, chapter: Chapter, actor=None, parent=KEEP, **fields) -> Chapter:
    """Change a chapter's details; with `parent`, also move it in the tree (chapter_move).

    The contact phone is stored in E.164; the organization of a chapter never changes.
    """
    require_unless_system(actor, lambda: chapter_may_edit(actor, chapter),
                          "this account may not edit this chapter")
    if "contact_phone" in fields:
        fields["contact_phone"] = _contact_phone(fields["contact_phone"])
    if "contact_email" in fields:
        fields["contact_email"] = fields["contact_email"].strip().lower()
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    changed = fields_apply(chapter, fields, CHAPTER_EDITABLE)
    if parent is not KEEP:
        chapter = chapter_move(chapter=chapter, parent=parent, actor=actor)
    if "name" in changed:
        # The tree keeps siblings in name order: put the renamed chapter back in its place.
        chapter = Chapter.objects.get(pk=chapter.pk)
        current_parent = Chapter.objects.get_parent(chapter)
        if current_parent is not None:
            Chapter.objects.move(chapter, current_parent, pos="sorted-child")
        else:
            Chapter.objects.move(chapter, Chapter.objects.get_first_root_node(),
                                 pos="sorted-sibling")
        chapter = Chapter.objects.get(pk=chapter.pk)
    audit_log(action="solidaire.chapter.changed", actor=actor, obj=chapter,
              data={"fields": changed})
    return chapter


@transaction.atomic
def organization_update(*, organization: Organization, actor=None, **fields) -> Organization:
    """Change an organization's details (its address and host flag are not changed here)."""
    require_unless_system(actor, lambda: organization_may_edit(actor, organization),
                          "only the organization's coordinators edit it")
    if "phone" in fields:
        fields["phone"] = _contact_phone(fields["phone"])
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    changed = fields_apply(organization, fields, ORGANIZATION_EDITABLE)
    audit_log(action="solidaire.organization.changed", actor=actor, obj=organization,
              data={"fields": changed})
    return organization


@transaction.atomic
def coalition_member_create(
    *, coalition: Organization, name: str, kind: str, is_founding: bool = False,
    joined_on=None, actor=None, **fields,
) -> Organization:
    """Record a new organization (an ally) and make it a member of `coalition`."""
    if coalition.kind != Organization.Kind.COALITION:
        raise ValueError("only a coalition has member organizations")
    require_unless_system(actor, lambda: coalition_may_edit(actor, coalition),
                          "only the coalition's coordinators add members")
    if "phone" in fields:
        fields["phone"] = _contact_phone(fields["phone"])
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    member = _organization_create(name=name, kind=kind, actor=actor, **fields)
    coalition_member_add(coalition=coalition, member=member, is_founding=is_founding,
                         joined_on=joined_on, actor=actor)
    return member
