"""Erasing the immigration status of people who have gone quiet (issue 3, decision 0014).

An organization may set `status_retention_months`. Every day the worker runs
`statuses_expire`, which deletes the status row of each person whose home chapter
belongs to that organization and who has done nothing for that long.
"""

from __future__ import annotations

import calendar
import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from solidaire.core.models import Activity
from solidaire.core.services import audit_log
from solidaire.organizing.models import Organization

from .models import PersonStatus

RETENTION_ACTION = "solidaire.person.status.retention"


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier, or the month's last day if it has fewer days."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(*, today: datetime.date, months: int) -> datetime.datetime:
    """The start (local time) of the day `months` months before `today`."""
    start = months_before(today, months)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


def statuses_expired(*, organization: Organization, today: datetime.date):
    """The status rows `statuses_expire` would delete for one organization today.

    A person is covered by the organization whose list they are on (decision 0035). A
    status is expired when the person was added, and the status last changed, before the
    cutoff, and the person has no activity since then.
    """
    if not organization.status_retention_months:
        return PersonStatus.objects.none()
    cutoff = retention_cutoff(today=today, months=organization.status_retention_months)
    recent = Activity.objects.filter(person_id=OuterRef("person_id"), occurred_at__gte=cutoff)
    return (
        PersonStatus.objects
        .filter(person__organization=organization,
                person__created_at__lt=cutoff, updated_at__lt=cutoff)
        .exclude(Exists(recent))
    )


@transaction.atomic
def statuses_expire(*, today: datetime.date | None = None, dry_run: bool = False) -> int:
    """Delete every expired status; return how many (or would be, with `dry_run`).

    Writes one audit entry per organization that lost statuses in this run, holding
    the count and the organization's id only: never a value, never a person. Running
    it again the same day deletes nothing more.
    """
    today = today or timezone.localdate()
    total = 0
    organizations = Organization.objects.filter(status_retention_months__gt=0).order_by("pk")
    for organization in organizations:
        expired = statuses_expired(organization=organization, today=today)
        if dry_run:
            total += expired.count()
            continue
        count, _rows = PersonStatus.objects.filter(
            pk__in=list(expired.values_list("pk", flat=True))
        ).delete()
        if count:
            audit_log(action=RETENTION_ACTION, obj=organization,
                      data={"count": count, "organization_id": organization.pk,
                            "months": organization.status_retention_months})
        total += count
    return total
