"""Writes about audiences (call lists add theirs)."""

from __future__ import annotations

from django.db import transaction

from solidaire.core.services import audit_log

from .audiences import definition_clean
from .models import Audience


@transaction.atomic
def audience_save(*, name: str, organization, definition: dict, chapter=None,
                  actor=None) -> Audience:
    """Save a named audience (its filters, never its people). ValueError when the
    definition is not valid."""
    audience = Audience.objects.create(
        name=name, organization=organization, chapter=chapter,
        definition=definition_clean(definition), created_by=actor,
    )
    audit_log(action="solidaire.audience.created", actor=actor, obj=audience)
    return audience


@transaction.atomic
def audience_update(*, audience: Audience, name: str, definition: dict, actor=None) -> Audience:
    audience.name = name
    audience.definition = definition_clean(definition)
    audience.save(update_fields=["name", "definition", "updated_at"])
    audit_log(action="solidaire.audience.changed", actor=actor, obj=audience)
    return audience


@transaction.atomic
def audience_delete(*, audience: Audience, actor=None) -> None:
    audit_log(action="solidaire.audience.deleted", actor=actor, obj=audience,
              data={"name": audience.name})
    audience.delete()
