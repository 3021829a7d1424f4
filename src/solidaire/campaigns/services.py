"""Writes about campaigns."""

from __future__ import annotations

import datetime

from django.db import transaction

from solidaire.core.services import audit_log

from .models import Campaign, Demand


@transaction.atomic
def campaign_create(
    *,
    slug: str,
    title: dict,
    organization,
    summary: dict | None = None,
    demands: list[dict] = (),
    chapter=None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    is_active: bool = True,
    actor=None,
) -> Campaign:
    campaign = Campaign.objects.create(
        slug=slug, title=title, summary=summary or {}, organization=organization,
        chapter=chapter, starts_on=starts_on, ends_on=ends_on, is_active=is_active,
    )
    Demand.objects.bulk_create(
        [Demand(campaign=campaign, position=i, text=text) for i, text in enumerate(demands)]
    )
    audit_log(action="solidaire.campaign.created", actor=actor, obj=campaign)
    return campaign
