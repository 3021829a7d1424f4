"""Writes about audiences (call lists add theirs)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from solidaire.core.access import require_may_own, require_unless_system
from solidaire.core.services import audit_log
from solidaire.people.selectors import status_access

from .audiences import definition_clean, definition_uses_status
from .models import Audience
from .selectors import audience_may_edit


def _status_definition(definition: dict, actor) -> tuple[dict, bool]:
    """The cleaned definition and whether it uses status; only an account with status
    access may save one that does (None: the application itself, e.g. the demo)."""
    definition = definition_clean(definition)
    uses_status = definition_uses_status(definition)
    if uses_status and actor is not None and not status_access(actor):
        raise PermissionDenied("Only accounts with status access may filter by status.")
    return definition, uses_status


@transaction.atomic
def audience_save(*, name: str, organization, definition: dict, chapter=None,
                  actor=None) -> Audience:
    """Save a named audience (its filters, never its people). ValueError when the
    definition is not valid; an audience using status is marked so (decision 0047).
    `actor=None` is the application itself; an account shares an audience where it may
    run one (decision 0056)."""
    require_may_own(actor, organization=organization, chapter=chapter, what="an audience",
                    system=True)
    definition, uses_status = _status_definition(definition, actor)
    audience = Audience.objects.create(
        name=name, organization=organization, chapter=chapter,
        definition=definition, uses_status=uses_status, created_by=actor,
    )
    audit_log(action="solidaire.audience.created", actor=actor, obj=audience)
    return audience


@transaction.atomic
def audience_update(*, audience: Audience, name: str, definition: dict, actor=None) -> Audience:
    require_unless_system(actor, lambda: audience_may_edit(actor, audience),
                          "this account may not edit this audience")
    audience.name = name
    audience.definition, audience.uses_status = _status_definition(definition, actor)
    audience.save(update_fields=["name", "definition", "uses_status", "updated_at"])
    audit_log(action="solidaire.audience.changed", actor=actor, obj=audience)
    return audience


@transaction.atomic
def audience_delete(*, audience: Audience, actor=None) -> None:
    """Delete a saved audience (its filters; nobody's record). The call lists made from
    it are kept, with their people and whether they were made with status (decision
    0061)."""
    require_unless_system(actor, lambda: audience_may_edit(actor, audience),
                          "this account may not delete this audience")
    audit_log(action="solidaire.audience.deleted", actor=actor, obj=audience,
              data={"name": audience.name, "call_lists": audience.call_lists.count()})
    audience.delete()
