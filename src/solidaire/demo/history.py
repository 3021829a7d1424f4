"""Ledger history for large demos: N extra activity rows over the demo's objects.

The stories' petitions, events, actions and committees give a few tens of thousands
of ledger rows; measuring audiences needs a ledger of millions, as a movement has
after years of work. `history_insert` adds `rows` ledger rows (COPY on PostgreSQL,
see `core/bulk.py`) pointing at the demo's existing objects, with each row's campaign
and chapter, spread over the three years before the demo's anchor date.

Which kinds: only actions people repeat. A signature, a registration, an attendance
and a committee membership each exist once per person and object, as their own rows
(Signature, Registration, CommitteeMembership) that the demo loader wrote with their
ledger rows at the stories' counts: history rows of those kinds would make a petition
of 4,200 counted signatures show half a million signers in the ledger. So the history
is e-mails and calls to the decision-makers of the demo's actions, which people make
again and again (call-in days, e-mail waves). Like all history rows they are
ledger rows only (no CallReport or EmailSent behind them) and point at the action.
A minority is very active: one person in ten draws 60% of the rows, the others share
the rest. The same seed and the same database give the same rows.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

from solidaire.advocacy.activities import TARGET_CALLED, TARGET_EMAILED
from solidaire.advocacy.models import Action
from solidaire.core.bulk import rows_insert
from solidaire.core.models import Activity
from solidaire.people.models import Person

from .members import ANCHOR

HISTORY_SPAN = datetime.timedelta(days=3 * 365)
HISTORY_START = ANCHOR - HISTORY_SPAN
BATCH_SIZE = 50_000
ACTIVE_SHARE = 0.1  # of people: the very active minority
ACTIVE_ROWS = 0.6  # of rows: what that minority does

# (kind, weight, where its objects come from): e-mails are the easier action.
KIND_WEIGHTS = (
    (TARGET_EMAILED.value, 54, "email"),
    (TARGET_CALLED.value, 46, "call"),
)
COLUMNS = ("person_id", "kind", "object_type_id", "object_id", "campaign_id", "chapter_id",
           "occurred_at")


def _objects() -> dict[str, list[tuple[int, int, int | None, int | None, int]]]:
    """(content type, id, campaign, chapter, organization) of the actions each kind
    points at."""
    action = ContentType.objects.get_for_model(Action).pk
    return {
        source: [(action, pk, campaign, None, organization) for pk, campaign, organization in
                 Action.objects.filter(kind=kind).order_by("pk")
                 .values_list("pk", "campaign_id", "organization_id")]
        for source, kind in (("email", Action.Kind.EMAIL), ("call", Action.Kind.CALL))
    }


def history_insert(
    *,
    rows: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Insert `rows` ledger rows over the people and objects already in the database.

    Returns how many were inserted (none without people or objects).
    """
    if rows <= 0:
        return 0
    # Each organization's list is its own (decision 0035): a row about an action is
    # written for someone on the action's organization's list.
    lists: dict[int, list[tuple[int, int | None]]] = {}
    for pk, home, organization in (Person.objects.order_by("pk")
                                   .values_list("pk", "home_chapter_id", "organization_id")
                                   .iterator()):
        lists.setdefault(organization, []).append((pk, home))
    objects = {source: [target for target in targets if lists.get(target[4])]
               for source, targets in _objects().items()}
    mix = [(kind, weight, objects[source]) for kind, weight, source in KIND_WEIGHTS
           if objects[source]]
    if not lists or not mix:
        return 0
    rng = random.Random(seed * 104_729 + 11)  # noqa: S311 -- invented demo data, not secrets
    active: dict[int, int] = {}
    for organization in sorted(lists):
        rng.shuffle(lists[organization])  # the active minority: the first after shuffling
        active[organization] = max(1, int(len(lists[organization]) * ACTIVE_SHARE))
    kinds = [kind for kind, _weight, _objs in mix]
    targets = {kind: objs for kind, _weight, objs in mix}
    weights = [weight for _kind, weight, _objs in mix]
    span = HISTORY_SPAN.total_seconds()
    second = datetime.timedelta(seconds=1)
    done = 0
    while done < rows:
        count = min(BATCH_SIZE, rows - done)
        batch = []
        for kind in rng.choices(kinds, weights, k=count):
            target = rng.choice(targets[kind])
            type_id, object_id, campaign_id, chapter_id, organization = target
            people = lists[organization]
            if rng.random() < ACTIVE_ROWS:
                person_id, home = people[int(rng.random() * active[organization])]
            else:
                person_id, home = people[int(rng.random() * len(people))]
            # Recent years weigh a little more: the movement grows.
            at = ANCHOR - second * int(span * rng.random() ** 1.3)
            batch.append((person_id, kind, type_id, object_id, campaign_id,
                          chapter_id or home, at))
        rows_insert(Activity, COLUMNS, batch)
        done += count
        if progress is not None:
            progress(done, rows)
    return done
