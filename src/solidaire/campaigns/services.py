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


# What the organizer pages may change on a campaign (demands go through demands_replace).
CAMPAIGN_EDITABLE = ("slug", "title", "summary", "organization", "chapter", "starts_on",
                     "ends_on", "is_active")


@transaction.atomic
def demands_replace(*, campaign: Campaign, demands: list[dict], actor=None) -> list[Demand]:
    """Make the campaign's demands exactly `demands`, in that order.

    Existing rows are reused position by position (their ids stay), extra rows are
    deleted and missing ones created. The audit log notes it only when something changed.
    """
    existing = list(campaign.demands.order_by("position", "id"))
    kept: list[Demand] = []
    changed = len(existing) != len(demands)
    for position, text in enumerate(demands):
        if position < len(existing):
            demand = existing[position]
            if (demand.position, demand.text) != (position, text):
                demand.position, demand.text = position, text
                demand.save(update_fields=["position", "text"])
                changed = True
        else:
            demand = Demand.objects.create(campaign=campaign, position=position, text=text)
        kept.append(demand)
    Demand.objects.filter(pk__in=[d.pk for d in existing[len(demands):]]).delete()
    if changed:
        audit_log(action="solidaire.campaign.demands.replaced", actor=actor, obj=campaign,
                  data={"count": len(kept)})
    return kept


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, actor=None, demands: list[dict] | None = None, **fields,
) -> Campaign:
    """Change a campaign's details; with `demands`, also replace its list of demands.

    The chapter, when there is one, must belong to the campaign's organization, and
    the campaign cannot end before it starts.
    """
    unknown = set(fields) - set(CAMPAIGN_EDITABLE)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    organization = fields.get("organization", campaign.organization)
    chapter = fields.get("chapter", campaign.chapter)
    if chapter is not None and chapter.organization_id != organization.pk:
        raise ValueError("the chapter belongs to another organization")
    starts_on = fields.get("starts_on", campaign.starts_on)
    ends_on = fields.get("ends_on", campaign.ends_on)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValueError("a campaign cannot end before it starts")
    changed = sorted(name for name, value in fields.items() if getattr(campaign, name) != value)
    for name in changed:
        setattr(campaign, name, fields[name])
    if changed:
        campaign.save(update_fields=[*changed, "updated_at"])
    audit_log(action="solidaire.campaign.changed", actor=actor, obj=campaign,
              data={"fields": changed})
    if demands is not None:
        demands_replace(campaign=campaign, demands=demands, actor=actor)
    return campaign
