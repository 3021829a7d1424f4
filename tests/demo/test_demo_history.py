"""`demo-data --ledger-rows N`: years of ledger history for benchmarks of audiences."""

import datetime
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction

from solidaire.analytics.engagement import engagement_check
from solidaire.core.models import Activity
from solidaire.demo.history import HISTORY_SPAN, KIND_WEIGHTS
from solidaire.demo.members import ANCHOR
from solidaire.events.activities import EVENT_ATTENDED, EVENT_REGISTERED
from solidaire.events.models import Registration
from solidaire.membership.activities import COMMITTEE_JOINED
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import Person
from solidaire.petitions.activities import PETITION_SIGNED
from solidaire.petitions.models import Signature

PEOPLE = 120
ROWS = 3_000


class RolledBack(Exception):
    pass


def _load(*, ledger_rows: int, seed: int = 1) -> tuple[int, list[tuple]]:
    """Ledger size and the history rows of a load, described without database ids
    (ids come from sequences, which a rollback does not rewind); rolled back after."""
    result: tuple[int, list[tuple]] = (0, [])
    try:
        with transaction.atomic():
            before = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            call_command("demo-data", people=PEOPLE, seed=seed, verbosity=0,
                         ledger_rows=ledger_rows)
            rank = {pk: n for n, pk in enumerate(Person.objects.order_by("pk")
                                                 .values_list("pk", flat=True))}
            history = Activity.objects.filter(pk__gt=before).exclude(
                kind=PERSON_CREATED).order_by("pk")
            rows = [(rank[a.person_id], a.kind, a.object_type.model, a.campaign and a.campaign.slug,
                     a.occurred_at) for a in history.select_related("object_type", "campaign")]
            result = (Activity.objects.filter(pk__gt=before).count(), rows[-ledger_rows:]
                      if ledger_rows else [])
            raise RolledBack
    except RolledBack:
        return result


def test_ledger_rows_adds_exactly_that_many_ledger_rows(db):
    without, _rows = _load(ledger_rows=0)
    with_history, rows = _load(ledger_rows=ROWS)
    assert with_history == without + ROWS
    assert len(rows) == ROWS


def test_history_rows_point_at_the_demo_objects_with_their_campaign(db):
    call_command("demo-data", people=PEOPLE, seed=1, verbosity=0, ledger_rows=ROWS)
    history = list(Activity.objects.order_by("-pk")[:ROWS].select_related("object_type"))
    assert {a.kind for a in history} == {kind for kind, _weight, _source in KIND_WEIGHTS}
    start = ANCHOR - HISTORY_SPAN
    for activity in history[:500]:
        model = activity.object_type.model_class()
        thing = model.objects.get(pk=activity.object_id)  # the object exists
        assert activity.campaign_id == getattr(thing, "campaign_id", None)
        assert start <= activity.occurred_at <= ANCHOR
    action_type = ContentType.objects.get(app_label="advocacy", model="action")
    assert all(a.object_type_id == action_type.pk for a in history)
    # A minority is very active: the busiest tenth of people do most of the rows.
    per_person = sorted((sum(1 for a in history if a.person_id == pk)
                         for pk in Person.objects.values_list("pk", flat=True)), reverse=True)
    assert sum(per_person[: PEOPLE // 10]) > ROWS / 2
    # The history adds no signature, registration, attendance or committee joining:
    # those are the stories' rows, one per record, so the ledger agrees with the
    # petitions', events' and committees' own counts.
    for kind, model, field in ((PETITION_SIGNED, Signature, "petition_id"),
                               (EVENT_REGISTERED, Registration, "event_id")):
        in_ledger = Counter(Activity.objects.filter(kind=kind).values_list("object_id",
                                                                           flat=True))
        recorded = Counter(model.objects.values_list(field, flat=True))
        assert in_ledger and all(in_ledger[pk] <= recorded[pk] for pk in in_ledger), kind
    for kind in (EVENT_ATTENDED, COMMITTEE_JOINED):
        assert not Activity.objects.filter(kind=kind, pk__in=[a.pk for a in history]).exists()
    assert engagement_check() == []  # the digest was built after the bulk load


def test_the_same_seed_gives_the_same_history(db):
    _count, first = _load(ledger_rows=ROWS, seed=1)
    _count, again = _load(ledger_rows=ROWS, seed=1)
    _count, other = _load(ledger_rows=ROWS, seed=2)
    assert first == again
    assert other != first
    assert isinstance(first[0][4], datetime.datetime)
