"""Audiences: a definition (JSON) compiled to one database query over people and the
activity ledger (decision 0027).

Definition keys (all optional; an empty definition is everyone in scope). Lists mean
"any of"; different keys must all hold.
- "chapters": [chapter ids] (each with the chapters below it)
- "languages": [codes] (preferred or spoken)
- "tags": [tag ids]
- "committees": [committee ids] (a member of any)
- "consent": ["email", "sms", "phone"] channels that must all be consented
- "did": [{"kind": a declared kind's value or "", "campaign": id or null,
           "object_type": "app_label.model" or "", "object_id": id or null,
           "since": "YYYY-MM-DD" or "", "until": "YYYY-MM-DD" or ""}]   (all must hold)
- "did_not": [same shape]                                              (none may hold)
   A row matches a ledger row of the person with that kind, campaign, object, from
   `since` (00:00) to `until` (inclusive, to the end of the day); empty parts match anything.
- "actions": {"min": int or null, "max": int or null, "since": date or "", "until": date or ""}
   (number of ledger rows of kinds that count as actions in the period; "max" counts
   people with none too)
- "last_activity": {"after": date or "", "before": date or ""}
   (the person's latest ledger row of any kind: on or after `after`; strictly before
   `before` — someone with no ledger row at all counts as "before")
- "permit_expiry": {"from": "YYYY-MM", "to": "YYYY-MM"}  (both months included; only for
   status-access accounts, ignored otherwise; an audience with it is marked `uses_status`
   and only status-access accounts see it, decision 0047)

Dates are days in the site's time zone. Every part is a condition of one SELECT over
`people_visible_to(user)` (the chosen chapters are read first, as ids). The number of
actions, the last activity and "did" rows of a kind from a day on, up to the present,
are read from the engagement digest (`analytics.Engagement`, decision 0029): one
comparison per person instead of counting millions of ledger rows. Other "did" rows
(periods with an end, a campaign or an object, kinds the digest has no column for)
are EXISTS / GROUP BY subqueries on the ledger, answered from its indexes (decisions
0027, 0054). The one exception is the permit expiry: it is stored only
encrypted (decision 0011), so, as for the permit-expiry page, the expiry months of the
people matching the other filters are decrypted in the application and the query gets
their ids.

`definition_clean(definition)` checks and normalizes a definition, raising ValueError
with a translated message; `audience_people` (a queryset, to filter further or read rows
from), `audience_ids` and `audience_count` call it. The last two reuse the SQL compiled
for the same inputs (decision 0034).
"""

from __future__ import annotations

import datetime
import functools
import json
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from solidaire.analytics.models import (
    ENGAGEMENT_KIND_FIELDS,
    ENGAGEMENT_RANKS,
    engagement_rank_field,
)
from solidaire.core.access import Scope, scope_for
from solidaire.core.activity_kinds import action_kinds, kind_get
from solidaire.core.models import Activity
from solidaire.membership.models import CommitteeMembership
from solidaire.organizing.models import Chapter
from solidaire.people.models import Person, SpokenLanguage
from solidaire.people.selectors import people_in_scope, status_access
from solidaire.people.status_cliff import UNREADABLE, expiry_rows

from .models import CallList

KEYS = ("chapters", "languages", "tags", "committees", "consent", "did", "did_not",
        "actions", "last_activity", "permit_expiry")
# Filters that read immigration status. An audience using one is status data, and so is
# everything made from it: only status-access accounts see or use it (decision 0047).
# A new filter derived from status (a category, a programme) goes here too.
STATUS_KEYS = ("permit_expiry",)
CHANNELS = ("email", "sms", "phone")
ACTIVITY_KEYS = ("kind", "campaign", "object_type", "object_id", "since", "until")


# -- checking ----------------------------------------------------------------------------------

def _ids(value, key: str) -> list[int]:
    if not isinstance(value, list):
        raise ValueError(_("“%(key)s” must be a list.") % {"key": key})
    ids = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise ValueError(_("“%(key)s” must list numbers.") % {"key": key})
        try:
            ids.append(int(item))
        except ValueError:
            raise ValueError(_("“%(key)s” must list numbers.") % {"key": key}) from None
    return sorted(set(ids))


def _choices(value, key: str, allowed) -> list[str]:
    if not isinstance(value, list) or any(item not in allowed for item in value):
        raise ValueError(_("“%(key)s” holds a value that is not one of the choices.")
                         % {"key": key})
    return sorted(set(value))


def _date(value, key: str) -> str:
    if value in (None, ""):
        return ""
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD) in “%(key)s”.")
                         % {"value": value, "key": key}) from None


def _month(value, key: str) -> str:
    if value in (None, ""):
        return ""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}", str(value)):
            raise ValueError(value)
        year, month = str(value).split("-")
        return datetime.date(int(year), int(month), 1).strftime("%Y-%m")
    except ValueError:
        raise ValueError(_("“%(value)s” is not a month (YYYY-MM) in “%(key)s”.")
                         % {"value": value, "key": key}) from None


def _optional_int(value, key: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(_("“%(key)s” must be a whole number.") % {"key": key}) from None
    if number < 0:
        raise ValueError(_("“%(key)s” cannot be negative.") % {"key": key})
    return number


def _object(value, key: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise ValueError(_("“%(key)s” must be a set of fields.") % {"key": key})
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValueError(_("Unknown field “%(field)s” in “%(key)s”.")
                         % {"field": unknown[0], "key": key})
    return value


def _period_check(since: str, until: str, key: str) -> None:
    if since and until and since > until:
        raise ValueError(_("In “%(key)s” the period ends before it starts.") % {"key": key})


def _activity_row(row, key: str) -> dict:
    row = _object(row, key, ACTIVITY_KEYS)
    kind = row.get("kind") or ""
    if kind and kind_get(kind) is None:
        raise ValueError(_("“%(value)s” is not a kind of activity.") % {"value": kind})
    object_type = row.get("object_type") or ""
    if object_type and (not isinstance(object_type, str) or object_type.count(".") != 1):
        raise ValueError(_("“%(value)s” is not a type of object.") % {"value": object_type})
    clean = {
        "kind": kind,
        "campaign": _optional_int(row.get("campaign"), key),
        "object_type": object_type,
        "object_id": _optional_int(row.get("object_id"), key),
        "since": _date(row.get("since"), key),
        "until": _date(row.get("until"), key),
    }
    _period_check(clean["since"], clean["until"], key)
    return clean


def definition_clean(definition) -> dict:
    """The definition checked and written the one way (sorted ids, ISO dates, empty
    parts left out). ValueError with a translated message when it is not valid."""
    if definition in (None, ""):
        return {}
    if not isinstance(definition, dict):
        raise ValueError(_("An audience definition must be a set of filters."))
    unknown = sorted(set(definition) - set(KEYS))
    if unknown:
        raise ValueError(_("Unknown filter “%(key)s”.") % {"key": unknown[0]})
    clean: dict = {}
    for key in ("chapters", "tags", "committees"):
        if definition.get(key):
            clean[key] = _ids(definition[key], key)
    if definition.get("languages"):
        codes = [code for code, _name in settings.CONTENT_LANGUAGES]
        clean["languages"] = _choices(definition["languages"], "languages", codes)
    if definition.get("consent"):
        clean["consent"] = _choices(definition["consent"], "consent", CHANNELS)
    for key in ("did", "did_not"):
        rows = definition.get(key) or []
        if not isinstance(rows, list):
            raise ValueError(_("“%(key)s” must be a list.") % {"key": key})
        rows = [_activity_row(row, key) for row in rows]
        if rows:
            clean[key] = rows
    if definition.get("actions"):
        actions = _object(definition["actions"], "actions", ("min", "max", "since", "until"))
        low = _optional_int(actions.get("min"), "actions")
        high = _optional_int(actions.get("max"), "actions")
        if low is not None and high is not None and low > high:
            raise ValueError(_("The least number of actions is more than the most."))
        since, until = _date(actions.get("since"), "actions"), _date(actions.get("until"),
                                                                      "actions")
        _period_check(since, until, "actions")
        if low is not None or high is not None:
            clean["actions"] = {"min": low, "max": high, "since": since, "until": until}
    if definition.get("last_activity"):
        last = _object(definition["last_activity"], "last_activity", ("after", "before"))
        after = _date(last.get("after"), "last_activity")
        before = _date(last.get("before"), "last_activity")
        if after and before and after >= before:
            raise ValueError(_("The last activity cannot be both after and before these dates."))
        if after or before:
            clean["last_activity"] = {"after": after, "before": before}
    if definition.get("permit_expiry"):
        permit = _object(definition["permit_expiry"], "permit_expiry", ("from", "to"))
        start = _month(permit.get("from"), "permit_expiry")
        end = _month(permit.get("to"), "permit_expiry")
        if start and end and start > end:
            raise ValueError(_("The permit-expiry window ends before it starts."))
        if start or end:
            clean["permit_expiry"] = {"from": start, "to": end}
    return clean


def definition_uses_status(definition: dict) -> bool:
    """Whether a (cleaned) definition filters by immigration status: a status filter, or
    "did" / "did not" rows about a call list that was made with status (who was called
    from it is status data too)."""
    if any(definition.get(key) for key in STATUS_KEYS):
        return True
    lists = {row["object_id"] for key in ("did", "did_not") for row in definition.get(key, ())
             if row.get("object_type") == "messaging.calllist" and row.get("object_id")}
    return bool(lists) and CallList.objects.filter(pk__in=lists, uses_status=True).exists()


# -- compiling ---------------------------------------------------------------------------------

def _day_start(iso: str) -> datetime.datetime:
    day = datetime.date.fromisoformat(iso)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period_q(since: str, until: str) -> Q:
    q = Q()
    if since:
        q &= Q(occurred_at__gte=_day_start(since))
    if until:
        next_day = (datetime.date.fromisoformat(until) + datetime.timedelta(days=1)).isoformat()
        q &= Q(occurred_at__lt=_day_start(next_day))
    return q


def _type_id(object_type: str) -> int:
    """The id of content type "app_label.model", from Django's cache of content types
    (no query once read); 0, which no ledger row has, when there is no such type."""
    app_label, model = object_type.split(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model).pk
    except ContentType.DoesNotExist:
        return 0


def _activity_exists(row: dict) -> Exists:
    """EXISTS (a ledger row of the person with this kind, campaign, object, period): the
    person id first, so that an index starting with it answers."""
    q = Q(person_id=OuterRef("pk"))
    if row["kind"]:
        q &= Q(kind=row["kind"])
    if row["campaign"] is not None:
        q &= Q(campaign_id=row["campaign"])
    if row["object_type"]:
        # The type's id as a value: as a subquery the planner cannot use the ledger's
        # statistics for it and misjudges how many rows match by hundreds of times
        # (decision 0029).
        q &= Q(object_type_id=_type_id(row["object_type"]))
    if row["object_id"] is not None:
        q &= Q(object_id=row["object_id"])
    q &= _period_q(row["since"], row["until"])
    return Exists(Activity.objects.filter(q))


def _subtree_sql(ids) -> tuple[str, list[int]]:
    table = connection.ops.quote_name(Chapter._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    return (f"SELECT u.id FROM {table} u WHERE EXISTS (SELECT 1 FROM {table} m "  # noqa: S608
            f"WHERE m.id IN ({placeholders}) AND substr(u.path, 1, length(m.path)) = m.path)",
            list(ids))


# The subtree last read for each choice of chapters, in this process: a guess, checked
# in the same round trip as the audience's own statement (decision 0034).
_SUBTREES: dict[tuple[int, ...], tuple[int, ...]] = {}


def _subtree_seen(ids, below: tuple[int, ...]) -> tuple[int, ...]:
    if len(_SUBTREES) >= COMPILED_AUDIENCES:
        _SUBTREES.clear()
    _SUBTREES[tuple(ids)] = below
    return below


def _chapters_below(ids: list[int]) -> tuple[int, ...]:
    """The chosen chapters and everything below them (paths starting with theirs), read
    first as ids: a list of values lets the planner see how many people that is, where
    a subquery on paths hides it (decision 0029). One small statement on a cursor:
    through the ORM, building and compiling it cost five times more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(*_subtree_sql(ids))
        return _subtree_seen(ids, tuple(sorted(row[0] for row in cursor.fetchall())))


def _digest_since(row: dict) -> str | None:
    """The engagement digest's field answering "did" row `row`, when one does: a kind
    with a column in the digest (or any kind) from a day on, with no campaign, object
    or end. Any other kind is answered from the ledger, with the same people."""
    if row["campaign"] is not None or row["object_type"] or row["object_id"] is not None:
        return None
    if row["until"]:
        return None
    if not row["kind"]:
        return "last_activity_at"
    return ENGAGEMENT_KIND_FIELDS.get(row["kind"])


def _did_q(row: dict) -> Q:
    """Q for people with a ledger row like `row`: from the digest when it can say,
    otherwise EXISTS over the ledger."""
    field = _digest_since(row)
    if field is None:
        return Q(_activity_exists(row))
    if row["since"]:
        return Q(**{f"engagement__{field}__gte": _day_start(row["since"])})
    return Q(**{f"engagement__{field}__isnull": False})


def _actions_q(actions: dict) -> Q:
    """People by their number of actions in the period.

    Up to the present (no end) and for numbers the engagement digest keeps, one
    comparison on the digest: at least N actions since D exactly when the N-th most
    recent is at or after D; at most M when the (M+1)-th is not. Otherwise one GROUP BY
    over the ledger rows of the period (the (kind, occurred_at) index)."""
    low, high = actions["min"], actions["max"]
    if not actions["until"] and (low or 0) <= ENGAGEMENT_RANKS and (
            high is None or high + 1 <= ENGAGEMENT_RANKS):
        since = _day_start(actions["since"]) if actions["since"] else None

        def at_least(count: int) -> Q:
            field = f"engagement__{engagement_rank_field(count)}"
            if since is None:
                return Q(**{f"{field}__isnull": False})
            return Q(**{f"{field}__gte": since})

        q = Q()
        if low:
            q &= at_least(low)
        if high is not None:
            q &= ~at_least(high + 1)
        return q
    rows = (Activity.objects.filter(Q(kind__in=action_kinds())
                                    & _period_q(actions["since"], actions["until"]))
            .order_by().values("person_id").annotate(n=Count("*")))
    if low:  # at least one action: only people with rows in the period
        having = rows.filter(n__gte=low)
        if high is not None:
            having = having.filter(n__lte=high)
        return Q(pk__in=having.values("person_id"))
    if high is not None:  # none or few: everyone but those with more
        return ~Q(pk__in=rows.filter(n__gt=high).values("person_id"))
    return Q()


def _last_activity_q(last: dict) -> Q:
    """From the digest's time of the latest ledger row; no digest row means no ledger
    row at all, which counts as "before"."""
    q = Q()
    if last["after"]:
        q &= Q(engagement__last_activity_at__gte=_day_start(last["after"]))
    if last["before"]:
        q &= ~Q(engagement__last_activity_at__gte=_day_start(last["before"]))
    return q


def _permit_filter(people: QuerySet[Person], window: dict) -> QuerySet[Person]:
    """The people of `people` whose permit ends in the window: decrypted in the
    application (no queryable column, decision 0011), as the permit-expiry page does."""
    start = datetime.date.fromisoformat(window["from"] + "-01") if window["from"] else None
    end = datetime.date.fromisoformat(window["to"] + "-01") if window["to"] else None
    ids = [person_id for person_id, _chapter, _category, month in expiry_rows(people)
           if month is not UNREADABLE and month is not None
           and (start is None or month >= start) and (end is None or month <= end)]
    return people.filter(pk__in=ids)


def _people(definition: dict, scope: Scope, below: tuple[int, ...]) -> QuerySet[Person]:
    """The people of a cleaned definition, within `scope`, `below` being the ids of the
    chosen chapters and those under them. Builds the query only: no statement runs."""
    q = Q()
    if "chapters" in definition:
        q &= Q(home_chapter_id__in=below)
    if "languages" in definition:
        codes = definition["languages"]
        q &= Q(preferred_language__in=codes) | Exists(
            SpokenLanguage.objects.filter(person_id=OuterRef("pk"), code__in=codes))
    if "tags" in definition:
        q &= Exists(Person.tags.through.objects.filter(person_id=OuterRef("pk"),
                                                        tag_id__in=definition["tags"]))
    if "committees" in definition:
        q &= Exists(CommitteeMembership.objects.filter(
            person_id=OuterRef("pk"), committee_id__in=definition["committees"]))
    for channel in definition.get("consent", ()):
        q &= Q(**{f"consent_{channel}": True})
    for row in definition.get("did", ()):
        q &= _did_q(row)
    for row in definition.get("did_not", ()):
        q &= ~_did_q(row)
    if "actions" in definition:
        q &= _actions_q(definition["actions"])
    if "last_activity" in definition:
        q &= _last_activity_q(definition["last_activity"])
    return people_in_scope(scope).filter(q)


def _below(definition: dict) -> tuple[int, ...]:
    return _chapters_below(definition["chapters"]) if "chapters" in definition else ()


def audience_people(definition: dict, user) -> QuerySet[Person]:
    """The people matching `definition`, within what `user` may see (ValueError when
    the definition is not valid), as a queryset to filter further or read rows from."""
    definition = definition_clean(definition)
    people = _people(definition, scope_for(user), _below(definition))
    if "permit_expiry" in definition and status_access(user):
        people = _permit_filter(people, definition["permit_expiry"])
    return people


# -- compiled once -----------------------------------------------------------------------------
#
# Building and compiling an audience's query costs Django about a millisecond, as long
# as running it when the audience is small (decision 0034). Counts and id lists, which
# run a saved audience again and again (the audiences list, its page, the live count,
# later messages), reuse the SQL compiled for the same inputs. The key holds every
# input the SQL depends on, each read afresh on every call: the cleaned definition, the
# account's scope, the ids of the chosen chapters' subtree, the content types named,
# the time zone of the dates, and the database (the kinds that count as actions are
# declared at start-up and do not change after). So a reused SQL is exactly the SQL a
# fresh compile would give; only rows, never results, are read each time. On
# PostgreSQL the subtree is read in the same round trip as the audience (see `_rows`).

COMPILED_AUDIENCES = 512  # SQL texts kept per process, least recently used dropped


def _types(definition: dict) -> tuple[tuple[str, int], ...]:
    names = sorted({row["object_type"] for key in ("did", "did_not")
                    for row in definition.get(key, ()) if row["object_type"]})
    return tuple((name, _type_id(name)) for name in names)


@functools.lru_cache(maxsize=COMPILED_AUDIENCES)
def _compiled(alias: str, vendor: str, time_zone: str, definition_json: str, scope: Scope,
              below: tuple[int, ...], types: tuple[tuple[str, int], ...]
              ) -> tuple[str, tuple] | None:
    """SQL and parameters selecting the ids of the audience; None when it is empty
    whatever the rows (an empty scope, chapters that do not exist). `types` is in the key
    only: the content types are read through the same cache of Django's."""
    with timezone.override(time_zone):
        ids = (_people(json.loads(definition_json), scope, below).order_by()
               .values_list("id", flat=True))
        try:
            sql, params = ids.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            return None
    return sql, tuple(params)


def _uncached(definition: dict, user) -> tuple[str, tuple] | None:
    # Decrypted in the application each time (decision 0011): never kept.
    ids = audience_people(definition, user).order_by().values_list("id", flat=True)
    try:
        sql, params = ids.query.get_compiler(using=connection.alias).as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _kept(definition: dict, user, below: tuple[int, ...]) -> tuple[str, tuple] | None:
    return _compiled(connection.alias, connection.vendor, timezone.get_current_timezone_name(),
                     json.dumps(definition, sort_keys=True), scope_for(user), below,
                     _types(definition))


def audience_sql(definition: dict, user) -> tuple[str, tuple] | None:
    """(SQL, parameters) selecting the ids of the people matching `definition` within
    what `user` may see, or None when that is nobody for sure. ValueError when the
    definition is not valid."""
    definition = definition_clean(definition)
    if "permit_expiry" in definition and status_access(user):
        return _uncached(definition, user)
    return _kept(definition, user, _below(definition))


def _one_round_trip() -> bool:
    """Several statements can go in one round trip: PostgreSQL with the parameters bound
    in the client (Django's default for psycopg 3)."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get(
        "OPTIONS", {}).get("server_side_binding")


def _rows(definition: dict, user, before: str = "", after: str = "") -> list[tuple]:
    """The rows of `before` + the audience's SQL + `after` (nothing for nobody).

    With chapters chosen, the subtree last read for them in this process is a guess:
    the statement reading the subtree goes in the same round trip, just before the
    audience's, and only when it reads the same ids are the audience's rows used;
    otherwise the SQL for the subtree as it is now is run. So a change to the chapters
    counts at once, and the usual case is one round trip, not two."""
    definition = definition_clean(definition)
    if "permit_expiry" in definition and status_access(user):
        compiled = _uncached(definition, user)
    else:
        chosen = definition.get("chapters", ())
        guess = _SUBTREES.get(tuple(chosen)) if chosen and _one_round_trip() else None
        if guess is None:
            compiled = _kept(definition, user, _chapters_below(chosen) if chosen else ())
        else:
            compiled = _kept(definition, user, guess)
            subtree, subtree_params = _subtree_sql(chosen)
            with connection.cursor() as cursor:
                if compiled is None:  # nobody with these chapters: the subtree alone
                    cursor.execute(subtree, subtree_params)
                else:
                    cursor.execute(f"{subtree}; {before}{compiled[0]}{after}",
                                   [*subtree_params, *compiled[1]])
                below = tuple(sorted(row[0] for row in cursor.fetchall()))
                if below == guess:
                    if compiled is None:
                        return []
                    cursor.nextset()
                    return cursor.fetchall()
            compiled = _kept(definition, user, _subtree_seen(chosen, below))
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"{before}{compiled[0]}{after}", compiled[1])
        return cursor.fetchall()


def audience_ids(definition: dict, user) -> list[int]:
    """The ids of the people matching `definition`, within what `user` may see, in no
    particular order: what a list of recipients is made from."""
    return [row[0] for row in _rows(definition, user)]


def audience_count(definition: dict, user) -> int:
    """How many people match `definition`, within what `user` may see."""
    rows = _rows(definition, user, "SELECT COUNT(*) FROM (", ") audience")
    return rows[0][0] if rows else 0
