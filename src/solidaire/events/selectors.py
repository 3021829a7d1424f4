"""Reads about events (contract; filled in by the events core work)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Event, Series


def events_visible_to(user) -> QuerySet[Event]:
    raise NotImplementedError


def series_visible_to(user) -> QuerySet[Series]:
    raise NotImplementedError


def listed_events() -> QuerySet[Event]:
    raise NotImplementedError


def event_for_public(slug: str, key: str = "") -> Event | None:
    raise NotImplementedError


def event_stats(event: Event) -> dict:
    raise NotImplementedError
