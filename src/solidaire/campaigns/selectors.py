"""Reads about campaigns."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from solidaire.core.access import scope_for

from .models import Campaign, Demand


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns of the organizations the account works within; a chapter's own
    campaign only when the chapter is in scope."""
    scope = scope_for(user)
    if scope.everything:
        return Campaign.objects.all()
    return Campaign.objects.filter(
        (Q(chapter__isnull=True) & scope.organization_q("organization"))
        | (Q(chapter__isnull=False) & scope.chapter_q("chapter"))
    )


def public_campaigns() -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(is_active=True)
        .select_related("organization")
        .prefetch_related(Prefetch("demands", queryset=Demand.objects.order_by("position")))
        .order_by("-starts_on")
    )
