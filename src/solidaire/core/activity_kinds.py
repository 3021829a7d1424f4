"""The kinds of ledger rows, declared by the apps that write them (decision 0054).

`core` keeps the ledger (`core.models.Activity`) but knows none of its kinds: each app
declares its own as constants of a module named `activities` of its package,

    PETITION_SIGNED = ActivityKind("petition.signed", _("Signed a petition"),
                                   counts_as_action=True)

and writes them with `activity_record(kind=PETITION_SIGNED, …)`. Creating a kind
registers it; `CoreConfig.ready` imports every app's `activities` module (so that a
kind nobody has imported yet is known too) and orders the kinds as the apps are in
INSTALLED_APPS, each app's in the order it declares them.

The value is what the ledger and saved audience definitions store: never change the
value of a kind that has rows. `counts_as_action` says whether a row of the kind is
something the person chose to do — it counts in the engagement ladder and in
audiences' "number of actions". A kind is a `str` equal to its value, so it can be
passed wherever a value goes (filters, raw SQL parameters, JSON).
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

MODULE = "activities"  # the module of each app that declares its kinds
MAX_LENGTH = 40  # `Activity.kind`'s max_length

_KINDS: dict[str, ActivityKind] = {}


class ActivityKind(str):
    """One kind of ledger row: its stored value, a translatable label, and whether it
    counts as an action of the person."""

    label: str
    counts_as_action: bool

    def __new__(cls, value: str, label, *, counts_as_action: bool = False) -> ActivityKind:
        if not value or len(value) > MAX_LENGTH or value != value.strip():
            raise ImproperlyConfigured(f"{value!r} cannot be a kind of activity")
        kind = super().__new__(cls, value)
        kind.label = label
        kind.counts_as_action = counts_as_action
        _register(kind)
        return kind

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __reduce__(self):
        # Copied or pickled, a kind becomes its plain value (it compares equal to it).
        return str, (self.value,)

    def __repr__(self) -> str:
        return f"ActivityKind({self.value!r})"


def _register(kind: ActivityKind) -> None:
    known = _KINDS.get(kind.value)
    if known is not None and known is not kind:
        raise ImproperlyConfigured(
            f"The kind of activity {kind.value!r} is declared twice; each value belongs "
            f"to the one app that writes it.")
    _KINDS[kind.value] = kind


def discover() -> None:
    """Import each installed app's `activities` module and order the kinds by app
    (INSTALLED_APPS order), then by declaration; kinds declared elsewhere come last."""
    ordered: dict[str, ActivityKind] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        for value in vars(module).values():
            if isinstance(value, ActivityKind) and value.value not in ordered:
                ordered[value.value] = value
    ordered.update((value, kind) for value, kind in _KINDS.items() if value not in ordered)
    _KINDS.clear()
    _KINDS.update(ordered)


def kinds() -> list[ActivityKind]:
    """Every declared kind, in order."""
    return list(_KINDS.values())


def kind_get(value: str) -> ActivityKind | None:
    """The declared kind with this value, or None."""
    return _KINDS.get(value)


def kind_label(value: str) -> str:
    """What to show for a ledger row's kind: its label, or the value itself for a kind
    no installed app declares (rows of an app since removed)."""
    kind = _KINDS.get(value)
    return str(kind.label) if kind is not None else value


def kind_choices() -> list[tuple[str, str]]:
    """(value, label) of every declared kind, for forms and the admin's filter."""
    return [(kind.value, kind.label) for kind in _KINDS.values()]


def action_kinds() -> tuple[str, ...]:
    """The values of the kinds that count as an action of the person, in order."""
    return tuple(kind.value for kind in _KINDS.values() if kind.counts_as_action)
