"""A campaign's timeline: dated items assembled from everything linked to it.

Campaigns sit below petitions, events and advocacy and may not import them, so each of
those apps registers a *provider* (in its AppConfig.ready) with `timeline_provider`.
`campaign_timeline` calls every provider, adds the campaign's own milestones and sorts
the lot. See docs/signals.md ("Campaign timeline providers").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse

from .models import Campaign, Milestone

# Where an item falls among others of the same day (smaller first).
ORDER_LAUNCH = 10
ORDER_EVENT = 20
ORDER_CALLS = 30
ORDER_GOAL = 40
ORDER_DELIVERY = 50
ORDER_MILESTONE = 60
ORDER_VICTORY = 90


@dataclass(frozen=True)
class TimelineItem:
    """One dated moment of a campaign.

    `title`, `detail` and `label` are already in the active language. `url` is the
    organizer page of the thing (timeline built with public=False) or its public page
    (public=True); "" when there is none. `outlet` and `link` are set for milestones
    (media coverage: the outlet and the article). `icon` is a short CSS-friendly name
    ("petition", "event", "calls", "milestone-media"...).
    """

    date: datetime.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    label: str = ""
    icon: str = ""
    outlet: str = ""
    link: str = ""
    order: int = 0
    is_public: bool = True  # False only for milestones organizers keep to themselves
    milestone_id: int | None = None  # set for manual milestones (to edit them)

    @property
    def is_milestone(self) -> bool:
        return self.milestone_id is not None


Provider = Callable[..., Iterable[TimelineItem]]

_providers: list[Provider] = []


def timeline_provider(func: Provider) -> Provider:
    """Register `func(campaign, *, public: bool, user) -> Iterable[TimelineItem]`.

    `user` is the organizer looking at the campaign room (public=False): the provider
    keeps only what that account may see, through its app's *_visible_to selectors
    (the rule of the organizer list pages). It is None for the public story
    (public=True), where the provider keeps only what is public.

    Registering the same function twice is harmless. Usable as a decorator.
    """
    if func not in _providers:
        _providers.append(func)
    return func


def timeline_providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def milestone_items(campaign: Campaign, *, public: bool) -> list[TimelineItem]:
    """The campaign's manual milestones (only the public ones when `public`)."""
    milestones = Milestone.objects.filter(campaign=campaign)
    if public:
        milestones = milestones.filter(is_public=True)
    items = []
    for milestone in milestones.order_by("happened_on", "id"):
        url = "" if public else reverse("organize:milestone_edit",
                                        args=[campaign.slug, milestone.pk])
        items.append(TimelineItem(
            date=milestone.happened_on,
            kind=f"milestone.{milestone.kind}",
            title=milestone.display_title,
            detail=milestone.display_description,
            url=url,
            label=milestone.get_kind_display(),
            icon=f"milestone-{milestone.kind}",
            outlet=milestone.outlet,
            link=milestone.url,
            order=ORDER_VICTORY if milestone.kind == Milestone.Kind.VICTORY else ORDER_MILESTONE,
            is_public=milestone.is_public,
            milestone_id=milestone.pk,
        ))
    return items


def _sort_key(item: TimelineItem):
    return (item.date, item.order, item.kind, item.title)


def campaign_timeline(campaign: Campaign, *, public: bool = False,
                      user=None) -> list[TimelineItem]:
    """Everything dated about the campaign, oldest first (then by `order`).

    With public=True only what may appear on the public story: no drafts, no private
    events, no milestones kept for organizers, and public addresses in `url`; `user`
    is ignored (providers get None).

    With public=False (the campaign room) `user` is required: the organizer's timeline
    holds only the petitions, events and actions that account may see, so a chapter
    organizer on an organization-wide campaign does not read other chapters' titles.
    """
    if public:
        user = None
    elif user is None:
        raise ValueError("an organizer timeline needs the organizer (user=...)")
    items: list[TimelineItem] = list(milestone_items(campaign, public=public))
    for provider in _providers:
        items.extend(provider(campaign, public=public, user=user))
    return sorted(items, key=_sort_key)

