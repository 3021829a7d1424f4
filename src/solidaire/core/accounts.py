"""Reads of organizer accounts, scoped like everything else an organizer sees."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .access import is_coordinator, scope_for


def accounts_visible_to(user) -> QuerySet:
    """The accounts a coordinator looks after: those working in their organization(s).

    Everyone else sees no accounts. A coordinator of every organization (or a
    superuser without a role) sees every account.
    """
    users = get_user_model().objects.all()
    if not is_coordinator(user):
        return users.none()
    scope = scope_for(user)
    if scope.everything:
        return users
    ids = sorted(scope.organization_ids)
    return users.filter(
        Q(organizer_role__organization_id__in=ids)
        | Q(organizer_role__chapters__organization_id__in=ids)
    ).distinct()
