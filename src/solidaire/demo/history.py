"""Ledger history for large demos: N extra activity rows over the demo's objects.

The stories' petitions, events, actions and committees give a few tens of thousands
of ledger rows; measuring audiences needs a ledger of millions, as a movement has
after years of work. `history_insert` adds `rows` ledger rows (COPY on PostgreSQL,
see `core/bulk.py`) pointing at the demo's existing objects, with each row's campaign
and chapter, spread over the three years before the demo's anchor date.

The mix of kinds follows what organizers see: signatures first, then event
registrations and attendance, e-mails and calls to decision-makers, a few committee
joins. A minority is very active: one person in ten draws 60% of the rows, the others
share the rest. As in the application, a person signs a petition, registers for an
event and attends it at most once: a draw that would repeat one takes another object
of the kind, or, when they have done them all, becomes an e-mail or a call to a
decision-maker (which people do again and again). The same seed and the same database
give the same rows.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

from solidaire.advocacy.models import Action
from solidaire.core.bulk import rows_insert
from solidaire.core.models import Activity, ActivityKind
from solidaire.events.models import Event
from solidaire.organizing.models import Committee
from solidaire.people.models import Person
from solidaire.petitions.models import Petition

from .members import ANCHOR

HISTORY_SPAN = datetime.timedelta(days=3 * 365)
HISTORY_START = ANCHOR - HISTORY_SPAN
BATCH_SIZE = 50_000
ACTIVE_SHARE = 0.1  # of people: the very active minority
ACTIVE_ROWS = 0.6  # of rows: what that minority does

# Kinds a person does at most once per object (as the application enforces).
ONCE = frozenset({ActivityKind.PETITION_SIGNED.value, ActivityKind.EVENT_REGISTERED.value,
                  ActivityKind.EVENT_ATTENDED.value})
RETRIES = 3

# (kind, weight, where its objects come from)
KIND_WEIGHTS = (
    (ActivityKind.PETITION_SIGNED.value, 35, "petition"),
    (ActivityKind.EVENT_REGISTERED.value, 20, "event"),
    (ActivityKind.EVENT_ATTENDED.value, 14, "event"),
    (ActivityKind.TARGET_EMAILED.value, 14, "email"),
    (ActivityKind.TARGET_CALLED.value, 12, "call"),
    (ActivityKind.COMMITTEE_JOINED.value, 5, "committee"),
)
COLUMNS = ("person_id", "kind", "object_type_id", "object_id", "campaign_id", "chapter_id",
           "occurred_at")


def _objects() -> dict[str, list[tuple[int, int, int | None, int | None]]]:
    """(content type, id, campaign, chapter) of the objects each kind points at."""
    petition = ContentType.objects.get_for_model(Petition).pk
    event = ContentType.objects.get_for_model(Event).pk
    action = ContentType.objects.get_for_model(Action).pk
    committee = ContentType.objects.get_for_model(Committee).pk
    return {
        "petition": [(petition, pk, campaign, None) for pk, campaign in
                     Petition.objects.order_by("pk").values_list("pk", "campaign_id")],
        "event": [(event, pk, campaign, chapter) for pk, campaign, chapter in
                  Event.objects.order_by("pk").values_list("pk", "campaign_id", "chapter_id")],
        "email": [(action, pk, campaign, None) for pk, campaign in
                  Action.objects.filter(kind=Action.Kind.EMAIL).order_by("pk")
                  .values_list("pk", "campaign_id")],
        "call": [(action, pk, campaign, None) for pk, campaign in
                 Action.objects.filter(kind=Action.Kind.CALL).order_by("pk")
                 .values_list("pk", "campaign_id")],
        "committee": [(committee, pk, None, chapter) for pk, chapter in
                      Committee.objects.order_by("pk").values_list("pk", "chapter_id")],
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
    people = list(Person.objects.order_by("pk").values_list("pk", "home_chapter_id"))
    objects = _objects()
    mix = [(kind, weight, objects[source]) for kind, weight, source in KIND_WEIGHTS
           if objects[source]]
    if not people or not mix:
        return 0
    rng = random.Random(seed * 104_729 + 11)  # noqa: S311 -- invented demo data, not secrets
    rng.shuffle(people)  # the active minority: the first people after shuffling
    active = max(1, int(len(people) * ACTIVE_SHARE))
    total = len(people)
    kinds = [kind for kind, _weight, _objs in mix]
    targets = {kind: objs for kind, _weight, objs in mix}
    weights = [weight for _kind, weight, _objs in mix]
    repeatable = [kind for kind in kinds if kind in (ActivityKind.TARGET_EMAILED.value,
                                                      ActivityKind.TARGET_CALLED.value)]
    kind_number = {kind: n for n, kind in enumerate(kinds)}
    # (kind, person, object) already in the ledger (the stories' rows) or drawn here.
    done_once = {(kind_number[kind], person_id, object_id) for kind, person_id, object_id in
                 Activity.objects.filter(kind__in=[k for k in kinds if k in ONCE])
                 .values_list("kind", "person_id", "object_id").iterator(chunk_size=20_000)}
    span = HISTORY_SPAN.total_seconds()
    second = datetime.timedelta(seconds=1)
    done = 0
    while done < rows:
        count = min(BATCH_SIZE, rows - done)
        batch = []
        for kind in rng.choices(kinds, weights, k=count):
            if rng.random() < ACTIVE_ROWS:
                person_id, home = people[int(rng.random() * active)]
            else:
                person_id, home = people[int(rng.random() * total)]
            target = rng.choice(targets[kind])
            if kind in ONCE:
                for _try in range(RETRIES):
                    key = (kind_number[kind], person_id, target[1])
                    if key not in done_once:
                        done_once.add(key)
                        break
                    target = rng.choice(targets[kind])
                else:  # done them all (or nearly): an e-mail or a call instead
                    kind = rng.choice(repeatable) if repeatable else kind
                    target = rng.choice(targets[kind])
            type_id, object_id, campaign_id, chapter_id = target
            # Recent years weigh a little more: the movement grows.
            at = ANCHOR - second * int(span * rng.random() ** 1.3)
            batch.append((person_id, kind, type_id, object_id, campaign_id,
                          chapter_id or home, at))
        rows_insert(Activity, COLUMNS, batch)
        done += count
        if progress is not None:
            progress(done, rows)
    return done
