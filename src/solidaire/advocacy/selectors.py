"""Reads about call and e-mail actions: who sees them, whom they aim at, and their counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from solidaire.campaigns.models import Publication, Target
from solidaire.campaigns.selectors import ridings_for_postal_code, targets_for_ridings
from solidaire.core.access import scope_for
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import public_reach_q

from .models import Action, CallReport, EmailSent

# How many days the per-day table of counts covers, today included.
COUNT_DAYS = 14


# -- who sees and runs actions ---------------------------------------------------------------

def actions_visible_to(user) -> QuerySet[Action]:
    """Like campaigns: organization-wide actions of the organizations the account works
    within, a chapter's own action only when the chapter is in scope."""
    scope = scope_for(user)
    if scope.everything:
        return Action.objects.all()
    return Action.objects.filter(
        (Q(chapter__isnull=True) & scope.organization_q("organization"))
        | (Q(chapter__isnull=False) & scope.chapter_q("chapter"))
    )


def actions_editable_by(user) -> QuerySet[Action]:
    """Visible actions the account may change: a chapter's own when the chapter is in
    scope, an organization-wide one for the organization's coordinators (decision 0056)."""
    return actions_visible_to(user).filter(scope_for(user).runs_q())


def action_may_edit(user, action: Action) -> bool:
    return actions_editable_by(user).filter(pk=action.pk).exists()


def _count_of(model, **filters):
    rows = (model.objects.filter(action=OuterRef("pk"), **filters).order_by()
            .values("action").annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def actions_list(user) -> QuerySet[Action]:
    """Visible actions with their counts (calls, messages left, e-mails), one query."""
    return (actions_visible_to(user).select_related("organization", "chapter", "campaign")
            .annotate(call_count=_count_of(CallReport),
                      message_count=_count_of(CallReport, outcome=CallReport.Outcome.MESSAGE),
                      email_count=_count_of(EmailSent)))


def action_targets_choices() -> QuerySet[Target]:
    """Targets an organizer may aim an action at (targets are shared by all)."""
    return Target.objects.filter(is_active=True).select_related("riding").order_by("name", "id")


# -- the public side -------------------------------------------------------------------------

def public_action(slug: str) -> Action | None:
    """An open or closed action by its address; drafts are not public."""
    return (Action.objects.exclude(status=Publication.DRAFT)
            .select_related("campaign", "organization").filter(slug=slug).first())


def public_open_actions(chapter: Chapter | None = None) -> QuerySet[Action]:
    """Open call and e-mail actions one can take now, newest first: all of them, or those
    for a chapter's people (organizing.selectors.public_reach_q)."""
    return (Action.objects.filter(public_reach_q(chapter), status=Publication.OPEN)
            .select_related("organization", "campaign").order_by("-created_at", "-id"))


def open_action_for_campaign(campaign_id: int | None) -> Action | None:
    """The campaign's newest open call or e-mail action (a next step after signing)."""
    if campaign_id is None:
        return None
    return (Action.objects.filter(campaign_id=campaign_id, status=Publication.OPEN)
            .order_by("-created_at").first())


def action_targets(action: Action) -> list[Target]:
    """The action's own list of active targets, with their offices."""
    return list(action.targets.filter(is_active=True).select_related("riding")
                .prefetch_related("offices").order_by("name", "id"))


@dataclass(frozen=True)
class TargetsFound:
    """The targets for a supporter: by riding when a match was found, else the list."""

    targets: list[Target]
    by_riding: bool  # found through the postal-code table
    no_match: bool  # a postal code was given and matched nothing


def targets_for_supporter(action: Action, postal_code: str) -> TargetsFound:
    """Whom a supporter with `postal_code` calls or writes to.

    For riding targeting, the representative(s) of the supporter's riding(s) of the
    action's level; when no table is loaded or nothing matches, the action's own list.
    """
    if action.targeting == Action.Targeting.RIDING and postal_code:
        ridings = ridings_for_postal_code(postal_code, level=action.riding_level)
        found = list(targets_for_ridings(ridings).order_by("name", "id")) if ridings else []
        if found:
            return TargetsFound(found, by_riding=True, no_match=False)
        return TargetsFound(action_targets(action), by_riding=False, no_match=True)
    return TargetsFound(action_targets(action), by_riding=False, no_match=False)


def allowed_targets(action: Action) -> QuerySet[Target]:
    """Targets a supporter may report on or write to from this action's page: its own
    list, and for riding targeting any active representative of a riding of its level."""
    q = Q(pk__in=action.targets.values("pk"))
    if action.targeting == Action.Targeting.RIDING:
        q |= Q(riding__isnull=False, riding__level=action.riding_level)
    return (Target.objects.filter(q, is_active=True).select_related("riding")
            .prefetch_related("offices").order_by("name", "id"))


# -- live counts -----------------------------------------------------------------------------

@dataclass
class TargetCounts:
    target_id: int
    name: str
    calls: int = 0
    reached: int = 0
    messages: int = 0
    no_answer: int = 0
    emails: int = 0


@dataclass
class DayCounts:
    day: datetime.date
    calls: int = 0
    emails: int = 0


@dataclass
class ActionCounts:
    calls: int = 0
    reached: int = 0
    messages: int = 0
    no_answer: int = 0
    emails: int = 0
    today: int = 0  # calls and e-mails since midnight, local time
    per_target: list[TargetCounts] = field(default_factory=list)
    per_day: list[DayCounts] = field(default_factory=list)  # newest first

    @property
    def total(self) -> int:
        return self.calls + self.emails


def _outcome_counts():
    return {
        "calls": Count("id"),
        "reached": Count("id", filter=Q(outcome=CallReport.Outcome.REACHED)),
        "messages": Count("id", filter=Q(outcome=CallReport.Outcome.MESSAGE)),
        "no_answer": Count("id", filter=Q(outcome=CallReport.Outcome.NO_ANSWER)),
    }


def action_counts(action: Action, *, days: int = COUNT_DAYS) -> ActionCounts:
    """Calls by outcome, e-mails, per target and per day; the database does the counting."""
    calls = CallReport.objects.filter(action=action)
    emails = EmailSent.objects.filter(action=action)
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    first_day = midnight - datetime.timedelta(days=days - 1)
    tz = timezone.get_current_timezone()

    totals = calls.aggregate(**_outcome_counts())
    counts = ActionCounts(**totals, emails=emails.count())
    counts.today = (calls.filter(created_at__gte=midnight).count()
                    + emails.filter(created_at__gte=midnight).count())

    by_target: dict[int, TargetCounts] = {}
    for row in (calls.values("target_id", "target__name").annotate(**_outcome_counts())
                .order_by()):
        by_target[row["target_id"]] = TargetCounts(
            target_id=row["target_id"], name=row["target__name"], calls=row["calls"],
            reached=row["reached"], messages=row["messages"], no_answer=row["no_answer"],
        )
    for row in emails.values("target_id", "target__name").annotate(n=Count("id")).order_by():
        entry = by_target.setdefault(
            row["target_id"], TargetCounts(target_id=row["target_id"], name=row["target__name"]))
        entry.emails = row["n"]
    counts.per_target = sorted(by_target.values(), key=lambda t: (-(t.calls + t.emails), t.name))

    by_day = {(first_day + datetime.timedelta(days=i)).date(): DayCounts(
        day=(first_day + datetime.timedelta(days=i)).date()) for i in range(days)}
    for queryset, attribute in ((calls, "calls"), (emails, "emails")):
        rows = (queryset.filter(created_at__gte=first_day)
                .annotate(day=TruncDate("created_at", tzinfo=tz))
                .values("day").annotate(n=Count("id")).order_by())
        for row in rows:
            if row["day"] in by_day:
                setattr(by_day[row["day"]], attribute, row["n"])
    counts.per_day = sorted(by_day.values(), key=lambda d: d.day, reverse=True)
    return counts


def recent_call_notes(action: Action, people: QuerySet, *, limit: int = 20) -> list[CallReport]:
    """The latest notes left after a call, only from people in `people` (the organizer's
    scope): a note from someone the organizer may not see stays hidden."""
    return list(
        CallReport.objects.filter(action=action, person__in=people).exclude(note="")
        .select_related("target", "person").order_by("-created_at", "-id")[:limit]
    )
