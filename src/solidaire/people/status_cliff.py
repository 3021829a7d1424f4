"""The permit-expiry cliff: how many people's permits end in each coming month.

Status values have no blind index (decision 0011): the expiry months are decrypted
here, in one pass over the status rows of the people in scope, and only counted.
No plaintext is kept beyond the loop, logged or returned except as counts (and, for
the people-list filter, as person ids).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from solidaire.core.crypto import ERASED, DecryptionError, associated_data, unseal
from solidaire.core.keys import keyring_load

from .models import Person, PersonStatus

MONTHS = 12
UNREADABLE = object()  # an erased (shredded key) or undecryptable value


def month_add(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def current_month(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1)


def _parse_month(text: str) -> datetime.date | None:
    if not text:
        return None
    year, month = text.split("-")
    return datetime.date(int(year), int(month), 1)


def _aad_prefix(field_name: str) -> str:
    column = PersonStatus._meta.get_field(field_name).column
    return associated_data(PersonStatus, column, "").decode()


def _open(token: str, prefix: str, pk: int, keyring):
    """The plaintext, or UNREADABLE for an erased or undecryptable value (never raises)."""
    try:
        value = unseal(token, aad=f"{prefix}{pk}".encode(), keyring=keyring)
    except DecryptionError:
        return UNREADABLE
    return UNREADABLE if value is ERASED else value


def expiry_rows(people: QuerySet[Person], *, in_months=None) -> Iterator[tuple]:
    """(person id, home chapter id, category or None, expiry month | None | UNREADABLE)
    for every status row of `people`, decrypted in one pass.

    With `in_months` (months to look up with `in`), the category is decrypted too, only for the
    rows whose month is in it (None otherwise): half the work on the other rows.
    """
    keyring = keyring_load()
    month_prefix = _aad_prefix("sealed_expiry_month")
    category_prefix = _aad_prefix("sealed_category")
    columns = ["person_id", "person__home_chapter_id", "sealed_expiry_month"]
    if in_months is not None:
        columns.append("sealed_category")
    rows = PersonStatus.objects.filter(person__in=people).values_list(*columns)
    for row in rows.iterator(chunk_size=5000):
        person_id, chapter_id, sealed_month = row[:3]
        month = _open(sealed_month, month_prefix, person_id, keyring)
        if month is not UNREADABLE:
            try:
                month = _parse_month(month)
            except ValueError:
                month = UNREADABLE
        category = None
        if in_months is not None and month in in_months:
            category = _open(row[3], category_prefix, person_id, keyring)
            if category is UNREADABLE:
                month = UNREADABLE
        yield person_id, chapter_id, category, month


@dataclass
class Cliff:
    """Counts of permits ending in each of `months` (first days of month)."""

    months: list[datetime.date]
    by_month: list[int]
    by_chapter: dict[int | None, list[int]] = field(default_factory=dict)
    by_category: dict[str, list[int]] = field(default_factory=dict)
    unreadable: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_month)


def permit_cliff(people: QuerySet[Person], *, start: datetime.date | None = None,
                 months: int = MONTHS) -> Cliff:
    """How many of `people` have a permit ending in each of the `months` months from
    `start` (default: the current month), by home chapter and by category.
    Erased or unreadable values are counted apart."""
    start = current_month(start)
    wanted = [month_add(start, i) for i in range(months)]
    index = {month: i for i, month in enumerate(wanted)}
    cliff = Cliff(months=wanted, by_month=[0] * months)
    for _person_id, chapter_id, category, month in expiry_rows(people, in_months=index):
        if month is UNREADABLE:
            cliff.unreadable += 1
            continue
        i = index.get(month)
        if i is None:
            continue
        cliff.by_month[i] += 1
        cliff.by_chapter.setdefault(chapter_id, [0] * months)[i] += 1
        cliff.by_category.setdefault(category or "", [0] * months)[i] += 1
    return cliff


def people_with_permit_ending_within(people: QuerySet[Person], *, months: int,
                                     start: datetime.date | None = None) -> list[int]:
    """Ids of `people` whose permit ends from `start` (default: this month) to the end
    of the `months`-th month (this month counts as the first)."""
    start = current_month(start)
    end = month_add(start, months)
    return [person_id for person_id, _c, _cat, month in expiry_rows(people)
            if month is not UNREADABLE and month is not None and start <= month < end]
