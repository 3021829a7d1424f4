"""Signals of the people app. Each is listed with its arguments in docs/signals.md."""

from django.dispatch import Signal

# Sent inside person_merge's transaction, before `remove` is deleted, so that
# apps above people move their rows (committee memberships, signatures, RSVPs…)
# from `remove` to `keep`. Arguments: keep (Person), remove (Person).
person_merging = Signal()
