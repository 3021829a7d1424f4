"""Signals of the shared kernel (listed with their arguments in docs/signals.md)."""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

# Ledger rows of these people were written, moved or removed, in the transaction that
# is still open. Arguments: `sender` (`core.models.Activity`), `person_ids` (a frozenset
# of person ids), `rows_removed` (True when rows were deleted or moved away from some of
# these people, who may have none left; False when rows were only added or changed in
# place). Summaries of the ledger kept by apps above (the engagement digest of
# `analytics`, decision 0054) recompute these people's rows in the same transaction.
ledger_changed = Signal()


def ledger_changed_send(person_ids: Iterable[int | None], *, rows_removed: bool) -> None:
    """Send `ledger_changed` once for a write of any number of ledger rows (nothing
    when no person is given). Writers of many rows call it once per batch."""
    from .models import Activity

    ids = frozenset(int(pk) for pk in person_ids if pk is not None)
    if ids:
        ledger_changed.send(sender=Activity, person_ids=ids, rows_removed=rows_removed)
