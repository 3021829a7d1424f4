"""Call lists: an audience split into volunteers' assignments, and what came of each call.

Who is on a list (decision 0028): the audience's people, evaluated for the account that
makes the list, who have at least one phone number; left out are people who withdrew
their consent to phone calls, and people who said "not interested" on an earlier list of
the same campaign. The people are split in contiguous blocks (alphabetical), as evenly as
possible: block sizes differ by one at most.

Each outcome writes one ledger row (`activities.CALL_*`, object = the call list,
campaign = the list's campaign); changing the outcome replaces that row, so an entry
never has more than one.

A volunteer sees only their own assignments (`assignments_for`); organizers see the call
lists of their scope (`call_lists_visible_to`). A list made from an audience that uses
immigration status is status data: it is given to, and seen by, accounts with status
access only (decision 0047).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from solidaire.core.access import require, role_of, scope_for
from solidaire.core.models import Activity, OrganizerRole
from solidaire.core.services import activity_record, audit_log
from solidaire.core.signals import ledger_changed_send
from solidaire.people.models import Channel, ConsentEvent, Person, PhoneNumber
from solidaire.people.selectors import people_visible_to, status_access

from . import activities
from .audiences import audience_people, definition_clean, definition_uses_status
from .models import Audience, CallAssignment, CallEntry, CallList
from .selectors import audiences_visible_to

Outcome = CallEntry.Outcome

OUTCOME_KINDS = {
    Outcome.REACHED: activities.CALL_REACHED,
    Outcome.MESSAGE: activities.CALL_MESSAGE,
    Outcome.WRONG_NUMBER: activities.CALL_WRONG_NUMBER,
    Outcome.CALL_BACK: activities.CALL_BACK,
    Outcome.NOT_INTERESTED: activities.CALL_NOT_INTERESTED,
}
CALL_KINDS = tuple(OUTCOME_KINDS.values())
BATCH = 2000


# Reads ------------------------------------------------------------------------------------


def is_organizer(user) -> bool:
    """An account that sees people (volunteers do not: only their own assignments)."""
    return (getattr(user, "is_authenticated", False)
            and role_of(user) != OrganizerRole.Role.VOLUNTEER
            and not scope_for(user).is_empty)


def call_lists_visible_to(user) -> QuerySet[CallList]:
    """As audiences: a chapter's lists when the chapter is in scope, organization-wide
    ones for the organizers of that organization. Their pages show only the names of
    people in the account's own scope. Volunteers see none (`assignments_for`)."""
    if not is_organizer(user):
        return CallList.objects.none()
    scope = scope_for(user)
    call_lists = CallList.objects.all()
    if not scope.everything:
        call_lists = call_lists.filter(
            (Q(chapter__isnull=True) & scope.organization_q("organization"))
            | (Q(chapter__isnull=False) & scope.chapter_q("chapter"))
        )
    return _without_status_unless(user, call_lists, "uses_status")


def call_lists_editable_by(user) -> QuerySet[CallList]:
    """As audiences: a chapter's list for the organizers of the chapter, an
    organization-wide one for its coordinators. Editing a list is deleting it (decision
    0061): what is on it is fixed when it is made. The owned-item rule (decision 0056)."""
    return call_lists_visible_to(user).filter(scope_for(user).runs_q())


def _without_status_unless(user, queryset: QuerySet, field: str) -> QuerySet:
    """`queryset` without call lists made from a status audience, unless the account has
    status access (decision 0047): such a list is status data."""
    return queryset if status_access(user) else queryset.filter(**{field: False})


def audiences_for_calls(user) -> QuerySet[Audience]:
    """Audiences an organizer may turn into a call list."""
    if not is_organizer(user):
        return Audience.objects.none()
    return audiences_visible_to(user)


def assignments_for(user) -> QuerySet[CallAssignment]:
    """The account's own assignments, newest list first."""
    if not getattr(user, "is_authenticated", False):
        return CallAssignment.objects.none()
    own = _without_status_unless(user, CallAssignment.objects.filter(caller=user),
                                 "call_list__uses_status")
    return (own.select_related("call_list", "call_list__campaign")
            .order_by("-call_list__created_at", "-id"))


def assignment_openable_by(user, pk: int) -> CallAssignment | None:
    """The assignment if `user` is its caller or sees its call list; None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    visible = call_lists_visible_to(user).values("pk")
    openable = _without_status_unless(
        user, CallAssignment.objects.filter(Q(caller=user) | Q(call_list__in=visible)),
        "call_list__uses_status")
    return (openable.select_related("call_list", "call_list__campaign", "caller")
            .filter(pk=pk).first())


def call_list_may_make(user, *, organization, chapter=None,
                       audience: Audience | None = None) -> bool:
    """Organizers make call lists (volunteers call, they do not make lists), from an
    audience they may use, for an organization or chapter whose lists they see
    (decision 0056)."""
    if not is_organizer(user):
        return False
    if audience is not None and not audiences_for_calls(user).filter(pk=audience.pk).exists():
        return False
    scope = scope_for(user)
    if chapter is not None:  # a chapter of the scope
        return scope.runs(chapter.organization_id, chapter)
    return scope.everything or organization.pk in scope.list_organization_ids


def assignment_entries_for(user, assignment: CallAssignment) -> QuerySet[CallEntry]:
    """The entries of an assignment (opened with `assignment_openable_by`) that the
    account sees and records outcomes on: the caller, their whole part; an organizer
    looking on, the people of their own scope."""
    entries = assignment.entries.all()
    if assignment.caller_id != user.pk:
        entries = entries.filter(person__in=people_visible_to(user).values("pk"))
    return entries


def entry_may_record(user, entry: CallEntry) -> bool:
    assignment = assignment_openable_by(user, entry.assignment_id)
    return (assignment is not None
            and assignment_entries_for(user, assignment).filter(pk=entry.pk).exists())


def callers_for(user, *, status_only: bool = False) -> QuerySet:
    """Accounts an organizer may give an assignment to: the volunteers and organizers
    whose chapters are in the organizer's scope, the coordinators of the organizations it
    coordinates, and the organizer. `status_only`: only those with status access, for a
    list made from an audience that uses status (decision 0047)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if not is_organizer(user):
        return User.objects.none()
    scope = scope_for(user)
    roles = OrganizerRole.objects.all()
    if not scope.everything:
        from solidaire.organizing.models import Chapter

        chapters = scope.filter(Chapter.objects.all(), "")
        roles = roles.filter(Q(chapters__in=chapters)
                             | Q(organization_id__in=sorted(scope.organization_ids)))
    callers = (User.objects.filter(is_active=True)
               .filter(Q(pk__in=roles.values("user_id")) | Q(pk=user.pk)))
    if status_only:
        callers = callers.filter(pk__in=OrganizerRole.objects.filter(status_access=True)
                                 .values("user_id"))
    return callers.order_by("first_name", "last_name", "username")


def call_people(definition: dict, user, *, campaign=None) -> QuerySet[Person]:
    """Who a call list made from `definition` by `user` would hold (see the module doc)."""
    people = audience_people(definition, user)
    withdrew = Exists(ConsentEvent.objects.filter(person=OuterRef("pk"),
                                                  channel=Channel.PHONE))
    # Someone whose only number waits for confirmation is not called (decision 0036).
    people = (people.filter(Exists(PhoneNumber.objects.filter(person=OuterRef("pk"),
                                                              pending=False)))
              .filter(Q(consent_phone=True) | ~withdrew))
    if campaign is not None:
        people = people.exclude(Exists(CallEntry.objects.filter(
            person=OuterRef("pk"), outcome=Outcome.NOT_INTERESTED,
            assignment__call_list__campaign=campaign,
        )))
    return people


def call_list_progress(call_list: CallList) -> dict:
    """Totals of a call list: people, called, and a count per outcome."""
    rows = (CallEntry.objects.filter(assignment__call_list=call_list)
            .values("outcome").annotate(n=Count("id")))
    by_outcome = {row["outcome"]: row["n"] for row in rows}
    total = sum(by_outcome.values())
    return {
        "total": total,
        "called": total - by_outcome.get("", 0),
        "outcomes": [(value, label, by_outcome.get(value, 0)) for value, label in
                     Outcome.choices],
    }


def call_lists_with_progress(queryset: QuerySet[CallList]) -> QuerySet[CallList]:
    """Each call list with `entry_total` and `called_total`, in one query."""
    return queryset.annotate(
        entry_total=Count("assignments__entries"),
        called_total=Count("assignments__entries",
                           filter=~Q(assignments__entries__outcome="")),
    )


def assignments_with_progress(queryset: QuerySet[CallAssignment]) -> QuerySet[CallAssignment]:
    return queryset.annotate(
        entry_total=Count("entries"),
        called_total=Count("entries", filter=~Q(entries__outcome="")),
    )


def call_outcome_counts(campaign) -> dict[str, int]:
    """Outcome → number of people, over the call lists of `campaign` (for the campaign
    room). Entries without an outcome yet are not counted."""
    rows = (CallEntry.objects.filter(assignment__call_list__campaign=campaign)
            .exclude(outcome="").values("outcome").annotate(n=Count("id")))
    counts = dict.fromkeys(Outcome.values, 0)
    counts.update({row["outcome"]: row["n"] for row in rows})
    return counts


# Writes -----------------------------------------------------------------------------------


def split_evenly(items: list, parts: int) -> list[list]:
    """Contiguous blocks whose sizes differ by one at most (the first ones longer)."""
    size, extra = divmod(len(items), parts)
    blocks, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        blocks.append(items[start:end])
        start = end
    return blocks


@transaction.atomic
def call_list_create(
    *,
    name: str,
    organization,
    chapter=None,
    campaign=None,
    audience: Audience | None = None,
    definition: dict | None = None,
    script: dict | None = None,
    callers,
    actor,
) -> CallList:
    """Make a call list from an audience (or a bare definition), evaluated for `actor`,
    split among `callers` (accounts, at least one)."""
    require(call_list_may_make(actor, organization=organization, chapter=chapter,
                               audience=audience),
            "this account may not make this call list")
    callers = list(dict.fromkeys(callers))  # once each, in the order given
    if not callers:
        raise ValueError("a call list needs at least one caller")
    if definition is None:
        definition = audience.definition if audience is not None else {}
    uses_status = (audience is not None and audience.uses_status) or definition_uses_status(
        definition_clean(definition))
    # A list made with status is status data: only for accounts that may see status.
    if uses_status and not all(status_access(account) for account in (actor, *callers)):
        raise PermissionDenied("A list made with status goes only to accounts with "
                               "status access.")
    call_list = CallList.objects.create(
        name=name, organization=organization, chapter=chapter, campaign=campaign,
        audience=audience, script=script or {}, uses_status=uses_status, created_by=actor,
    )
    person_ids = list(
        call_people(definition, actor, campaign=campaign)
        .order_by("chosen_name", "family_name", "id").values_list("pk", flat=True)
    )
    blocks = split_evenly(person_ids, len(callers))
    entries = []
    for caller, block in zip(callers, blocks, strict=True):
        assignment = CallAssignment.objects.create(call_list=call_list, caller=caller)
        entries.extend(CallEntry(assignment=assignment, person_id=person_id, position=index)
                       for index, person_id in enumerate(block))
    CallEntry.objects.bulk_create(entries, batch_size=BATCH)
    audit_log(action="solidaire.call_list.created", actor=actor, obj=call_list,
              data={"people": len(person_ids), "callers": len(callers)})
    return call_list


class CallsRecorded(Exception):
    """The call list holds what callers recorded: it is kept (decision 0061)."""


@transaction.atomic
def call_list_delete(*, call_list: CallList, actor) -> None:
    """Delete a call list from which no call was recorded yet, with its assignments.

    Once a call was recorded the list is kept, and this raises `CallsRecorded`: its
    "not interested" answers keep those people off the campaign's next lists, its
    outcomes are the campaign's figures, and its ledger rows point at it (decision 0061).
    """
    require(call_lists_editable_by(actor).filter(pk=call_list.pk).exists(),
            "this account may not delete this call list")
    locked = CallList.objects.select_for_update().get(pk=call_list.pk)
    # The entries are locked too: no outcome is recorded between the check and the delete.
    outcomes = list(CallEntry.objects.select_for_update(of=("self",))
                    .filter(assignment__call_list=locked).values_list("outcome", flat=True))
    if any(outcomes):
        raise CallsRecorded(locked.pk)
    audit_log(action="solidaire.call_list.deleted", actor=actor, obj=locked,
              data={"name": locked.name, "people": len(outcomes)})
    locked.delete()


@transaction.atomic
def entry_outcome_record(*, entry: CallEntry, outcome: str, actor) -> CallEntry:
    """Record what came of a call ("" clears it). One ledger row per entry: a new outcome
    replaces the row of the previous one; the same outcome twice changes nothing."""
    if outcome and outcome not in OUTCOME_KINDS:
        raise ValueError(f"unknown outcome {outcome!r}")
    require(entry_may_record(actor, entry), "this account may not record this call")
    locked = (CallEntry.objects.select_for_update()
              .select_related("assignment__call_list", "person").get(pk=entry.pk))
    if locked.outcome == outcome:
        return locked
    call_list = locked.assignment.call_list
    Activity.objects.filter(
        person_id=locked.person_id, kind__in=CALL_KINDS,
        object_type=ContentType.objects.get_for_model(CallList), object_id=call_list.pk,
    ).delete()
    now = timezone.now()
    locked.outcome = outcome
    locked.called_at = now if outcome else None
    locked.save(update_fields=["outcome", "called_at"])
    if outcome:
        activity_record(person=locked.person, kind=OUTCOME_KINDS[outcome], obj=call_list,
                        campaign=call_list.campaign, occurred_at=now)
    else:
        ledger_changed_send([locked.person_id], rows_removed=True)
    return locked
