"""Writes about committees, their members, and requests to start a chapter."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from solidaire.core.access import require, require_may_own, require_unless_system
from solidaire.core.ownership import same_organization_check
from solidaire.core.services import activity_record, audit_log
from solidaire.organizing.models import Chapter, Organization
from solidaire.organizing.services import chapter_create, fields_apply, unique_slug
from solidaire.people.models import Person
from solidaire.people.services import person_upsert
from solidaire.people.signals import person_merging

from .activities import CHAPTER_REQUESTED, COMMITTEE_JOINED, COMMITTEE_LEFT
from .models import ChapterRequest, Committee, CommitteeMembership
from .selectors import (
    chapter_request_may_decide,
    committee_may_edit,
    committee_members_may_change,
)

# What the organizer pages may change on a committee.
COMMITTEE_EDITABLE = ("name", "slug", "description", "organization", "chapter")


@transaction.atomic
def committee_create(
    *, organization: Organization, name: str, chapter: Chapter | None = None,
    slug: str = "", description: dict | None = None, actor=None,
) -> Committee:
    """Add a committee to a chapter, or to the whole organization when `chapter` is None.

    `actor=None` is the application itself (the demo data); an account must be allowed
    to run a committee there (decision 0056)."""
    require_may_own(actor, organization=organization, chapter=chapter, what="a committee",
                    system=True)
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

    Only someone on the committee's organization's list (decision 0035). `actor=None` is
    the application itself (the demo data); an account must see the committee and the
    person (`committee_members_may_change`, decision 0056)."""
    same_organization_check(committee.organization_id, person=person)
    require_unless_system(actor, lambda: committee_members_may_change(actor, committee, person),
                          "this account may not add this person to this committee")
    membership, created = CommitteeMembership.objects.get_or_create(
        committee=committee, person=person, defaults={"role": role},
    )
    if created:
        activity_record(
            person=person, kind=COMMITTEE_JOINED, obj=committee,
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
    """Take a person off a committee (the same rule as `committee_join`)."""
    require_unless_system(actor, lambda: committee_members_may_change(actor, committee, person),
                          "this account may not take this person off this committee")
    deleted, _ = CommitteeMembership.objects.filter(committee=committee, person=person).delete()
    if deleted:
        activity_record(person=person, kind=COMMITTEE_LEFT, obj=committee,
                        chapter=committee.chapter)
        audit_log(action="solidaire.committee.member.removed", actor=actor, obj=committee,
                  data={"person_id": person.pk})


@transaction.atomic
def committee_update(*, committee: Committee, actor=None, **fields) -> Committee:
    """Change a committee's name, address, description, organization or chapter."""
    organization = fields.get("organization", committee.organization)
    chapter = fields.get("chapter", committee.chapter)
    same_organization_check(organization, chapter=chapter)
    require_unless_system(actor, lambda: committee_may_edit(actor, committee),
                          "this account may not edit this committee")
    if "organization" in fields or "chapter" in fields:
        require_may_own(actor, organization=organization, chapter=chapter, what="a committee",
                        system=True)
    changed = fields_apply(committee, fields, COMMITTEE_EDITABLE)
    audit_log(action="solidaire.committee.changed", actor=actor, obj=committee,
              data={"fields": changed})
    return committee


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
    activity_record(person=result.person, kind=CHAPTER_REQUESTED, obj=request)
    return request


@transaction.atomic
def chapter_request_approve(
    *, request: ChapterRequest, parent: Chapter | None, kind: str, actor,
) -> Chapter:
    """Create the chapter a request asked for; its contact becomes its first member."""
    require(chapter_request_may_decide(actor, request),
            "only the organization's coordinators decide on a new chapter")
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
    if request.person is not None and request.person.home_chapter_id is None:
        request.person.home_chapter = chapter
        request.person.save(update_fields=["home_chapter", "updated_at"])
    audit_log(action="solidaire.chapter_request.approved", actor=actor, obj=request)
    return chapter


@transaction.atomic
def chapter_request_decline(*, request: ChapterRequest, actor) -> ChapterRequest:
    require(chapter_request_may_decide(actor, request),
            "only the organization's coordinators decide on a new chapter")
    request = ChapterRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ChapterRequest.Status.PENDING:
        raise ValueError("request already decided")
    request.status = ChapterRequest.Status.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_log(action="solidaire.chapter_request.declined", actor=actor, obj=request)
    return request


@receiver(person_merging, dispatch_uid="membership.move_committee_memberships")
def _move_committee_memberships(sender, keep: Person, remove: Person, **kwargs) -> None:
    """Keep every committee membership and chapter request of a merged-away record."""
    already = set(keep.committee_memberships.values_list("committee_id", flat=True))
    remove.committee_memberships.filter(committee_id__in=already).delete()
    remove.committee_memberships.update(person=keep)
    remove.chapter_requests.update(person=keep)
