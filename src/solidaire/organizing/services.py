"""Writes about organizations, chapters, committees and chapter requests."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import slugify

from solidaire.core.models import ActivityKind
from solidaire.core.services import activity_record, audit_log
from solidaire.people.models import Person
from solidaire.people.normalize import normalize_phone
from solidaire.people.services import person_upsert
from solidaire.people.signals import person_merging

from .models import (
    Chapter,
    ChapterRequest,
    CoalitionMembership,
    Committee,
    CommitteeMembership,
    Organization,
)


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
    """Record an organization (a centre, a union, a coalition, an ally)."""
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
    membership, _created = CoalitionMembership.objects.get_or_create(
        coalition=coalition, member=member,
        defaults={"is_founding": is_founding, "joined_on": joined_on},
    )
    audit_log(action="solidaire.coalition.member.added", actor=actor, obj=coalition,
              data={"member_id": member.pk})
    return membership


@transaction.atomic
def committee_create(
    *, organization: Organization, name: str, chapter: Chapter | None = None,
    slug: str = "", description: dict | None = None, actor=None,
) -> Committee:
    """Add a committee to a chapter, or to the whole organization when `chapter` is None."""
    committee = Committee.objects.create(
        organization=organization, chapter=chapter, name=name.strip(),
        slug=slug or unique_slug(Committee, name), description=description or {},
    )
    audit_log(action="solidaire.committee.created", actor=actor, obj=committee)
    return committee


@transaction.atomic
def committee_join(
    *, committee: Committee, person: Person, role: str = CommitteeMembership.Role.MEMBER,
    actor=None,
) -> CommitteeMembership:
    """Add a person to a committee (or change their role there); writes the ledger.

    Only someone on the committee's organization's list (decision 0035)."""
    if person.organization_id != committee.organization_id:
        raise ValueError("a committee's members are on its organization's list")
    membership, created = CommitteeMembership.objects.get_or_create(
        committee=committee, person=person, defaults={"role": role},
    )
    if created:
        activity_record(
            person=person, kind=ActivityKind.COMMITTEE_JOINED, obj=committee,
            chapter=committee.chapter, occurred_at=membership.joined_at,
        )
    elif membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    audit_log(action="solidaire.committee.member.added", actor=actor, obj=committee,
              data={"person_id": person.pk, "role": role})
    return membership


@transaction.atomic
def committee_leave(*, committee: Committee, person: Person, actor=None) -> None:
    deleted, _ = CommitteeMembership.objects.filter(committee=committee, person=person).delete()
    if deleted:
        activity_record(person=person, kind=ActivityKind.COMMITTEE_LEFT, obj=committee,
                        chapter=committee.chapter)
        audit_log(action="solidaire.committee.member.removed", actor=actor, obj=committee,
                  data={"person_id": person.pk})


@transaction.atomic
def chapter_request_submit(
    *,
    organization: Organization,
    chapter_name: str,
    city: str,
    contact_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "fr",
    message: str = "",
) -> ChapterRequest:
    """A visitor asks to start a chapter; it waits for a coordinator."""
    result = person_upsert(
        organization=organization, chosen_name=contact_name, email=contact_email,
        phone=contact_phone, preferred_language=language, source="web",
        source_detail="start a chapter",
    )
    request = ChapterRequest.objects.create(
        organization=organization, chapter_name=chapter_name.strip(), city=city.strip(),
        contact_name=contact_name.strip(), contact_email=contact_email.strip().lower(),
        contact_phone=result.person.phones.values_list("number", flat=True).first() or "",
        language=language, message=message.strip(), person=result.person,
    )
    activity_record(person=result.person, kind=ActivityKind.CHAPTER_REQUESTED, obj=request)
    return request


@transaction.atomic
def chapter_request_approve(
    *, request: ChapterRequest, parent: Chapter | None, kind: str, actor,
) -> Chapter:
    """Create the chapter a request asked for; its contact becomes its first member."""
    request = ChapterRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ChapterRequest.Status.PENDING:
        raise ValueError("request already decided")
    chapter = chapter_create(
        organization=request.organization, name=request.chapter_name, kind=kind,
        parent=parent, city=request.city, languages=[request.language],
        contact_email=request.contact_email, contact_phone=request.contact_phone, actor=actor,
    )
    request.status = ChapterRequest.Status.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.chapter = chapter
    request.save(update_fields=["status", "decided_by", "decided_at", "chapter", "updated_at"])
    if request.person_id and request.person.home_chapter_id is None:
        request.person.home_chapter = chapter
        request.person.save(update_fields=["home_chapter", "updated_at"])
    audit_log(action="solidaire.chapter_request.approved", actor=actor, obj=request)
    return chapter


@transaction.atomic
def chapter_request_decline(*, request: ChapterRequest, actor) -> ChapterRequest:
    request = ChapterRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ChapterRequest.Status.PENDING:
        raise ValueError("request already decided")
    request.status = ChapterRequest.Status.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_log(action="solidaire.chapter_request.declined", actor=actor, obj=request)
    return request


@receiver(person_merging, dispatch_uid="organizing.move_committee_memberships")
def _move_committee_memberships(sender, keep: Person, remove: Person, **kwargs) -> None:
    """Keep every committee membership of a merged-away record."""
    already = set(keep.committee_memberships.values_list("committee_id", flat=True))
    remove.committee_memberships.filter(committee_id__in=already).delete()
    remove.committee_memberships.update(person=keep)
    remove.chapter_requests.update(person=keep)


# -- organizers editing the structure --------------------------------------------------------

# What the organizer pages may change on each kind of row (never a key or a host flag).
CHAPTER_EDITABLE = ("name", "slug", "kind", "city", "languages", "contact_email",
                    "contact_phone", "is_public")
COMMITTEE_EDITABLE = ("name", "slug", "description", "organization", "chapter")
ORGANIZATION_EDITABLE = ("name", "short_name", "kind", "description", "city", "province",
                         "website", "email", "phone", "status_retention_months")
# `parent` left at KEEP: the chapter stays where it is in the tree.
KEEP = object()


def _fields_apply(obj, fields: dict, editable: tuple[str, ...]) -> list[str]:
    """Set the fields that differ and save only those; the names of the changed fields."""
    unknown = set(fields) - set(editable)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")
    if isinstance(fields.get("name"), str):
        fields["name"] = fields["name"].strip()
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save(update_fields=[*changed, "updated_at"])
    return sorted(changed)


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
        if parent.organization_id != chapter.organization_id:
            raise ValueError("a chapter stays in its organization")
        if parent.path.startswith(chapter.path):
            raise ValueError("a chapter cannot be moved below itself")
    if (old_parent.pk if old_parent else None) == (parent.pk if parent else None):
        return chapter
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
    if "contact_phone" in fields:
        fields["contact_phone"] = _contact_phone(fields["contact_phone"])
    if "contact_email" in fields:
        fields["contact_email"] = fields["contact_email"].strip().lower()
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    changed = _fields_apply(chapter, fields, CHAPTER_EDITABLE)
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
def committee_update(*, committee: Committee, actor=None, **fields) -> Committee:
    """Change a committee's name, address, description, organization or chapter."""
    organization = fields.get("organization", committee.organization)
    chapter = fields.get("chapter", committee.chapter)
    if chapter is not None and chapter.organization_id != organization.pk:
        raise ValueError("the chapter belongs to another organization")
    changed = _fields_apply(committee, fields, COMMITTEE_EDITABLE)
    audit_log(action="solidaire.committee.changed", actor=actor, obj=committee,
              data={"fields": changed})
    return committee


@transaction.atomic
def organization_update(*, organization: Organization, actor=None, **fields) -> Organization:
    """Change an organization's details (its address and host flag are not changed here)."""
    if "phone" in fields:
        fields["phone"] = _contact_phone(fields["phone"])
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    changed = _fields_apply(organization, fields, ORGANIZATION_EDITABLE)
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
    if "phone" in fields:
        fields["phone"] = _contact_phone(fields["phone"])
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    member = organization_create(name=name, kind=kind, actor=actor, **fields)
    coalition_member_add(coalition=coalition, member=member, is_founding=is_founding,
                         joined_on=joined_on, actor=actor)
    return member
