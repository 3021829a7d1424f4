"""Reads about campaigns."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from solidaire.core.access import role_of, scope_for
from solidaire.core.models import OrganizerRole
from solidaire.organizing.selectors import public_reach_q

from .models import Campaign, PostalPrefixRiding, Riding, Target, TargetOffice


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


# -- who may edit (decision 0056) ------------------------------------------------------------

def campaigns_editable_by(user) -> QuerySet[Campaign]:
    """A chapter's campaign for the organizers of the chapter, an organization-wide one for
    its coordinators; volunteers edit none. Editing a campaign covers its demands, its
    timeline's milestones and its toolkit."""
    return campaigns_visible_to(user).filter(scope_for(user).runs_q())


def campaign_may_edit(user, campaign: Campaign) -> bool:
    return campaigns_editable_by(user).filter(pk=campaign.pk).exists()


def public_campaigns(organization_id: int | None = None) -> QuerySet[Campaign]:
    """Active campaigns, then finished ones whose story is published ("how we won"), of
    one organization when given; never an unlisted chapter's. Their demands are on the
    story, not fetched here."""
    campaigns = Campaign.objects.filter(public_reach_q(),
                                        Q(is_active=True) | Q(story_published=True))
    if organization_id is not None:
        campaigns = campaigns.filter(organization_id=organization_id)
    return (campaigns.select_related("organization")
            .order_by("-is_active", "-story_published", "-starts_on", "-id"))


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
            .select_related("riding").prefetch_related(_offices_in_order()))



def targets_for_postal_code(postal_code: str, *, level: str) -> QuerySet[Target]:
    """Active targets of the ridings of `level` the postal code lies in (none when no
    table was loaded for that level or nothing matches)."""
    return targets_for_ridings(ridings_for_postal_code(postal_code, level=level))


# -- targets for the organizer pages (shared by every organization: decision 0019) ----------

TARGET_EDITOR_ROLES = (OrganizerRole.Role.COORDINATOR, OrganizerRole.Role.CHAPTER_ORGANIZER)


def targets_viewable_by(user) -> bool:
    """Every account that works within an organization may read the targets."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and role_of(user) is not None)


def targets_editable_by(user) -> bool:
    """Coordinators and chapter organizers add, change and import targets; volunteers read."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and role_of(user) in TARGET_EDITOR_ROLES)


def _offices_in_order() -> Prefetch:
    return Prefetch("offices", queryset=TargetOffice.objects.order_by("position", "id"))


def targets_list(*, q: str = "", kind: str = "", level: str = "",
                 active_only: bool = False) -> QuerySet[Target]:
    """Targets for the organizer list: a name, organization or riding search, filters."""
    targets = Target.objects.select_related("riding").prefetch_related(_offices_in_order())
    for word in (q or "").split():
        targets = targets.filter(Q(name__icontains=word) | Q(riding__name__icontains=word)
                                 | Q(riding__code=word) | Q(body__icontains=word))
    if kind:
        targets = targets.filter(kind=kind)
    if level:
        targets = targets.filter(level=level)
    if active_only:
        targets = targets.filter(is_active=True)
    return targets.order_by("name", "id")


def target_get(pk: int) -> Target | None:
    return (Target.objects.select_related("riding").prefetch_related(_offices_in_order())
            .filter(pk=pk).first())


def ridings_for_choice() -> QuerySet[Riding]:
    """The loaded ridings, to choose a target's riding from."""
    return Riding.objects.order_by("level", "name")


def _same_name(queryset: QuerySet, name: str):
    """The row whose name is `name` whatever the case and accents' case (SQLite's
    iexact folds ASCII only, so "élise" must be compared here)."""
    exact = queryset.filter(name=name).first()
    if exact is not None:
        return exact
    folded = name.casefold()
    return next((row for row in queryset.only("pk", "name").iterator()
                 if row.name.casefold() == folded), None)


def riding_named(name: str, *, level: str) -> Riding | None:
    """The riding of `level` called `name` (case ignored)."""
    found = _same_name(Riding.objects.filter(level=level), name)
    return Riding.objects.get(pk=found.pk) if found is not None else None


def target_same(*, name: str, kind: str, riding: Riding | None,
                exclude: Target | None = None) -> Target | None:
    """The target recorded with this name (case ignored), kind and riding: one target
    per (name, kind, riding), the key of imports."""
    candidates = Target.objects.filter(kind=kind, riding=riding)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    found = _same_name(candidates, name)
    return target_get(found.pk) if found is not None else None
