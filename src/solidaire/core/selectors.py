"""Reads of the shared kernel: the audit trail, scoped to who may read it."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from .access import is_coordinator, scope_for
from .accounts import accounts_visible_to
from .models import AuditEntry


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """The audit entries a coordinator may read; nobody else reads any.

    - A coordinator of every organization (no organization on the role), or a superuser
      without a role, reads the whole trail.
    - A coordinator of one organization reads the entries written by the accounts of
      that organization (`accounts_visible_to`: role in the organization or in one of
      its chapters), and the entries without an actor that are about one of those
      accounts (failed logins aimed at them, changes made by a command).
    - Entries with no actor about nothing of theirs — failed logins for unknown
      usernames, jobs, demo loads — and entries by accounts of other organizations stay
      with the coordinators of every organization: a typed username can be anything,
      another organization's mistyped password included.
    """
    entries = AuditEntry.objects.all()
    if not is_coordinator(user):
        return entries.none()
    if scope_for(user).everything:
        return entries
    accounts = accounts_visible_to(user)
    return entries.filter(
        Q(actor_id__in=accounts.values("pk"))
        | Q(actor__isnull=True, object_type=_account_type(),
            object_id__in=_ids_as_text(accounts))
    )


def _account_type() -> ContentType:
    return ContentType.objects.get_for_model(get_user_model())


def _ids_as_text(accounts: QuerySet) -> QuerySet:
    # object_id is text (any model's key fits): compare it with the keys written as text.
    return accounts.values(text_pk=Cast("pk", output_field=CharField()))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries_filter(
    entries: QuerySet[AuditEntry],
    *,
    action: str = "",
    account: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    object_type: ContentType | None = None,
) -> QuerySet[AuditEntry]:
    """Narrow a scoped trail.

    `action` is the start of a dotted name; `account` a username: entries by that
    account, about it, or failed logins that typed it; dates are whole days in the
    site's time zone, both ends included.
    """
    if action:
        entries = entries.filter(action__startswith=action)
    if account:
        accounts = get_user_model().objects.filter(username=account)
        entries = entries.filter(
            Q(actor__in=accounts)
            | Q(object_type=_account_type(), object_id__in=_ids_as_text(accounts))
            | Q(actor__isnull=True, data__username=account)
        )
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if object_type is not None:
        entries = entries.filter(object_type=object_type)
    return entries
