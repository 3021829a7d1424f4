"""What every `*_update` service does with an organizer's edit: set the fields whose value
changed, save only those, and say which they were for the audit log (decision 0059)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def editable_check(values: Mapping[str, Any], editable: Iterable[str]) -> None:
    """Raise TypeError when `values` names a field outside `editable`: a programming
    error, since forms never offer such a field."""
    unknown = set(values) - set(editable)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")


def fields_changed(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """The names in `values` whose value differs from what `instance` holds, sorted."""
    return sorted(name for name, value in values.items() if getattr(instance, name) != value)


def changed_fields_apply(instance: models.Model, values: Mapping[str, Any], *,
                         editable: Iterable[str] | None = None, save: bool = True
                         ) -> list[str]:
    """Set on `instance` the `values` that differ from what it holds and save only those
    fields, with the model's `auto_now` ones (`updated_at`) so they still move; return
    the sorted names of the changed fields. Nothing changed, nothing is written.

    `editable` lists the fields the caller may change (`editable_check`). With
    `save=False` the caller saves, after changes of its own.
    """
    if editable is not None:
        editable_check(values, editable)
    changed = fields_changed(instance, values)
    for name in changed:
        setattr(instance, name, values[name])
    if changed and save:
        stamps = [field.name for field in instance._meta.concrete_fields
                  if getattr(field, "auto_now", False) and field.name not in changed]
        instance.save(update_fields=[*changed, *stamps])
    return changed
