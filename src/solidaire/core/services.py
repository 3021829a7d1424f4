"""Writes of the shared kernel: the activity ledger and the audit log."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .activity_kinds import kind_get
from .models import Activity, AuditEntry
from .signals import ledger_changed_send


def activity_record(
    *,
    person,
    kind: str,
    obj: models.Model | None = None,
    campaign=None,
    chapter=None,
    occurred_at: datetime.datetime | None = None,
) -> Activity:
    """Write one ledger row (and tell the ledger's summaries, `ledger_changed`). `kind`
    is one an app declares (`core.activity_kinds`). The chapter defaults to the
    person's home chapter."""
    if kind_get(kind) is None:
        raise ValueError(f"{kind!r} is not a declared kind of activity")
    activity = Activity(
        person=person,
        kind=str(kind),
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        campaign=campaign,
        chapter_id=chapter.pk if chapter is not None else person.home_chapter_id,
    )
    if occurred_at is not None:
        activity.occurred_at = occurred_at
    activity.save()  # and sends `ledger_changed` (Activity.save)
    return activity


def audit_log(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    data: dict | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append to the audit log. `data` must never hold a sensitive value.

    `ip`, the address of the request when there is one, is kept in `data["ip"]`.
    """
    actor = actor if getattr(actor, "is_authenticated", False) else None
    data = dict(data or {})
    if ip:
        data["ip"] = ip
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )


def activities_move(*, from_person_id: int, to_person_id: int) -> int:
    """Hand every ledger row of one person to another (used by merges)."""
    moved = Activity.objects.filter(person_id=from_person_id).update(person_id=to_person_id)
    ledger_changed_send([from_person_id, to_person_id], rows_removed=True)
    return moved

