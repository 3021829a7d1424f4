"""The call and e-mail actions' part of a campaign's timeline: the busy days.

A day goes on the timeline when the campaign's actions received at least
CALL_DAY_MINIMUM reports of calls and e-mails sent, together (quieter days would
drown the rest of the story). Registered in AdvocacyConfig.ready.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from solidaire.campaigns.models import Publication
from solidaire.campaigns.timeline import ORDER_CALLS, TimelineItem

from .models import CallReport, EmailSent
from .selectors import actions_visible_to

CALL_DAY_MINIMUM = 10


def _per_day(model, campaign, *, public: bool, user, **counts):
    """{day: {name: count}} for the campaign's actions, in one GROUP BY query: on the
    public story those that are not drafts, in the campaign room those `user` may see
    (as the organizer action list; the visibility rule is a subquery, not a query)."""
    rows = model.objects.filter(action__campaign=campaign)
    if public:
        rows = rows.exclude(action__status=Publication.DRAFT)
    else:
        rows = rows.filter(action__in=actions_visible_to(user).values("pk"))
    rows = (rows.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
            .values("day").annotate(**counts).order_by("day"))
    return {row.pop("day"): row for row in rows}


def _number(count: int) -> str:
    return number_format(count, force_grouping=True)


def call_day_timeline(campaign, *, public: bool, user=None):
    calls = _per_day(CallReport, campaign, public=public, user=user, calls=Count("id"),
                     messages=Count("id", filter=Q(outcome=CallReport.Outcome.MESSAGE)))
    emails = _per_day(EmailSent, campaign, public=public, user=user, emails=Count("id"))
    items = []
    for day in sorted(set(calls) | set(emails)):
        n_calls = calls.get(day, {}).get("calls", 0)
        n_messages = calls.get(day, {}).get("messages", 0)
        n_emails = emails.get(day, {}).get("emails", 0)
        if n_calls + n_emails < CALL_DAY_MINIMUM:
            continue
        parts = []
        if n_calls:
            parts.append(ngettext("%(count)s call", "%(count)s calls", n_calls)
                         % {"count": _number(n_calls)})
        if n_messages:
            parts.append(ngettext("%(count)s message left", "%(count)s messages left",
                                  n_messages) % {"count": _number(n_messages)})
        if n_emails:
            parts.append(ngettext("%(count)s e-mail", "%(count)s e-mails", n_emails)
                         % {"count": _number(n_emails)})
        title = (gettext("Call-in day") if n_calls >= n_emails
                 else gettext("E-mail day"))
        items.append(TimelineItem(
            date=day, kind="calls.day" if n_calls >= n_emails else "emails.day",
            title=title, detail=", ".join(parts), label=gettext("Calls and e-mails"),
            icon="calls", order=ORDER_CALLS,
        ))
    return items
