"""Reads about campaigns."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from solidaire.core.access import scope_for

from .models import Campaign, Demand, PostalPrefixRiding, Riding, Target


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


def ridings_for_postal_code(postal_code: str, *, level: str) -> list[Riding]:
    """Ridings of `level` whose loaded prefix is the longest to start `postal_code`.

    Several ridings come back when a prefix straddles a boundary; none when no table
    was loaded or nothing matches.
    """
    code = "".join((postal_code or "").split()).upper()[:6]
    if len(code) < 3:
        return []
    prefixes = [code[:n] for n in range(len(code), 2, -1)]
    rows = list(
        PostalPrefixRiding.objects.filter(prefix__in=prefixes, riding__level=level)
        .select_related("riding")
    )
    if not rows:
        return []
    longest = max(len(row.prefix) for row in rows)
    return sorted({row.riding for row in rows if len(row.prefix) == longest},
                  key=lambda r: r.name)


def targets_for_ridings(ridings) -> QuerySet[Target]:
    """Active targets who represent one of these ridings."""
    return (Target.objects.filter(riding__in=list(ridings), is_active=True)
            .select_related("riding").prefetch_related("offices"))
