"""Reads of the organizer pages. Every one starts from a scoping selector.

Who may create and edit is decided in the domain apps (decision 0056); the pages and
forms of this face import those rules from the domain's `selectors` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from solidaire.campaigns.models import Campaign
from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.access import is_coordinator
from solidaire.core.models import Activity
from solidaire.membership.models import ChapterRequest, Committee, CommitteeMembership
from solidaire.membership.selectors import chapter_requests_visible_to, committees_visible_to
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import chapter_tree, chapters_visible_to
from solidaire.people.models import Channel, EmailAddress, Person, PhoneNumber
from solidaire.people.selectors import (
    people_filter,
    people_search,
    people_visible_to,
    status_access,
)
from solidaire.people.status_cliff import people_with_permit_ending_within


@dataclass(frozen=True)
class HomeSummary:
    people: int
    chapters: int
    committees: int
    active_campaigns: int
    pending_chapter_requests: int | None
    latest_people: list[Person]


def home_summary(user) -> HomeSummary:
    """The counts on the organizer home page, all within the account's scope."""
    people = people_visible_to(user)
    pending = None
    if is_coordinator(user):
        pending = chapter_requests_visible_to(user).filter(
            status=ChapterRequest.Status.PENDING,
        ).count()
    return HomeSummary(
        people=people.count(),
        chapters=chapters_visible_to(user).count(),
        committees=committees_visible_to(user).count(),
        active_campaigns=campaigns_visible_to(user).filter(is_active=True).count(),
        pending_chapter_requests=pending,
        latest_people=list(
            people.select_related("home_chapter").order_by("-created_at", "-id")[:10]
        ),
    )


def with_primary_contacts(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """Each person with `primary_emails` and `primary_phones` (lists of at most one),
    in a constant number of queries whatever the number of rows."""
    return queryset.select_related("home_chapter").prefetch_related(
        Prefetch("emails", queryset=EmailAddress.objects.filter(is_primary=True),
                 to_attr="primary_emails"),
        Prefetch("phones", queryset=PhoneNumber.objects.filter(is_primary=True),
                 to_attr="primary_phones"),
    )


def people_list(user, *, q: str = "", chapter=None, language: str = "", tag=None,
                committee=None, permit_within: int | None = None) -> QuerySet[Person]:
    """The people list: scope, then search, then filters.

    `permit_within` (status-access accounts only, ignored for others): the people whose
    permit ends within that many months, found by decrypting in the application.
    """
    queryset = people_search(people_visible_to(user), q)
    queryset = people_filter(queryset, chapter=chapter, language=language, tag=tag,
                             committee=committee)
    if permit_within and status_access(user):
        queryset = queryset.filter(
            pk__in=people_with_permit_ending_within(queryset, months=permit_within)
        )
    return with_primary_contacts(queryset)


def person_consent(person: Person) -> list[dict]:
    """Per channel: the current consent and its history, newest first."""
    events = list(person.consent_events.select_related("recorded_by"))
    return [
        {
            "channel": channel,
            "granted": getattr(person, field_name),
            "events": [event for event in events if event.channel == channel],
        }
        for channel, field_name in (
            (Channel.EMAIL, "consent_email"),
            (Channel.SMS, "consent_sms"),
            (Channel.PHONE, "consent_phone"),
        )
    ]


def person_activities(person: Person, *, limit: int = 100) -> list[Activity]:
    return list(
        person.activities.select_related("chapter", "campaign")
        .order_by("-occurred_at", "-id")[:limit]
    )


def person_committee_memberships(user, person: Person) -> QuerySet[CommitteeMembership]:
    """The person's committees that the account may see."""
    return (
        person.committee_memberships.filter(committee__in=committees_visible_to(user))
        .select_related("committee", "committee__chapter")
        .order_by("committee__name")
    )


def merge_candidates(user, person: Person, q: str, *, limit: int = 20) -> list[Person]:
    """Other people in scope, on the same organization's list, who might be the same
    person (two lists are never merged: decision 0035)."""
    others = (people_visible_to(user).filter(organization_id=person.organization_id)
              .exclude(pk=person.pk))
    if q.strip():
        others = people_search(others, q)
    else:
        others = others.filter(chosen_name__iexact=person.chosen_name)
    return list(with_primary_contacts(others)[:limit])


def chapter_tree_with_counts(user) -> list[Chapter]:
    """Visible chapters in tree order with `people_count` (the chapter itself) and
    `people_total` (with every chapter below it)."""
    chapters = chapter_tree(chapters_visible_to(user).annotate(people_count=Count("people")))
    for chapter in chapters:
        chapter.people_total = 0
    # Path order puts every descendant after its ancestors: walk the open ancestors.
    stack: list[Chapter] = []
    for chapter in chapters:
        while stack and not chapter.path.startswith(stack[-1].path):
            stack.pop()
        stack.append(chapter)
        for ancestor in stack:
            ancestor.people_total += chapter.people_count
    return chapters


def chapter_people_count(user, chapter: Chapter) -> int:
    return people_visible_to(user).filter(home_chapter__path__startswith=chapter.path).count()


def committees_list(user) -> QuerySet[Committee]:
    return (
        committees_visible_to(user)
        .select_related("organization", "chapter")
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )


COMMITTEE_MEMBERS_SHOWN = 100


@dataclass
class CommitteeMembers:
    shown: Sequence[CommitteeMembership]  # officers first, then by name; at most a page
    visible: int  # members in the account's scope
    others: int  # members outside it (counted, never named)


def committee_members(user, committee: Committee) -> CommitteeMembers:
    """The members the account may see (a committee can have thousands: the full list
    is the people list filtered by committee), and how many others there are."""
    memberships = committee.memberships.all()
    in_scope = memberships.filter(person__in=people_visible_to(user))
    shown = list(
        in_scope.select_related("person", "person__home_chapter")
        .annotate(is_member=Q(role=CommitteeMembership.Role.MEMBER))
        .order_by("is_member", "person__chosen_name", "person_id")[:COMMITTEE_MEMBERS_SHOWN]
    )
    visible = in_scope.count() if len(shown) == COMMITTEE_MEMBERS_SHOWN else len(shown)
    return CommitteeMembers(shown=shown, visible=visible, others=memberships.count() - visible)


def committee_candidates(user, committee: Committee, q: str, *, limit: int = 20) -> list[Person]:
    """People in scope matching `q` who are not yet on the committee."""
    if not q.strip():
        return []
    people = people_search(
        people_visible_to(user).filter(organization_id=committee.organization_id), q,
    ).exclude(pk__in=committee.memberships.values("person_id"))
    return list(with_primary_contacts(people)[:limit])


def campaigns_list(user) -> QuerySet[Campaign]:
    return campaigns_visible_to(user).select_related("organization", "chapter")


def contact_owner(*, email: str = "", phone: str = "", exclude: Person | None = None,
                  organization_ids=None) -> Person | None:
    """Whoever already has this normalized e-mail or phone in the lists of
    `organization_ids` (every list when None), in scope or not.

    Only used to refuse a duplicate; callers must not show an out-of-scope owner, and
    never look beyond the account's own organizations (decision 0035).
    """
    people = Person.objects.all()
    if organization_ids is not None:
        people = people.filter(organization_id__in=sorted(organization_ids))
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    if email:
        return people.filter(emails__address=email).order_by("id").first()
    if phone:
        return people.filter(phones__number=phone).order_by("id").first()
    return None


def is_visible(user, person: Person) -> bool:
    return people_visible_to(user).filter(pk=person.pk).exists()


@dataclass(frozen=True)
class MergeSide:
    """One column of the merge comparison."""

    person: Person
    emails: list[EmailAddress]
    phones: list[PhoneNumber]
    memberships: list[CommitteeMembership]
    activity_count: int


def merge_side(user, person: Person) -> MergeSide:
    return MergeSide(
        person=person,
        emails=list(person.emails.all()),
        phones=list(person.phones.all()),
        memberships=list(person_committee_memberships(user, person)),
        activity_count=person.activities.count(),
    )

