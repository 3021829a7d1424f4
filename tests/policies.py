"""What the edit-rule tests share (decision 0056): the accounts and where items sit.

Every organizer-edited item belongs to an organization and, optionally, one of its
chapters. The same world (tests/conftest.py) gives six placements and six kinds of
account; `EDITS` says which placements each account may edit, so that each app's
test_policies.py checks its `*_editable_by` and `*_may_edit` against one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from solidaire.core.models import OrganizerRole

from tests.factories import UserFactory, make_organizer

# Placement name -> (organization attribute of the world, chapter attribute or None).
PLACEMENTS = {
    "centre": ("centre", None),        # the whole workers' centre
    "montreal": ("centre", "montreal"),
    "cdn": ("centre", "cdn"),          # below Montréal
    "bsl": ("centre", "bsl"),          # Montréal's sibling
    "other": ("other", None),          # the whole other organization
    "toronto": ("other", "toronto"),
}

# Account name -> the placements it edits.
EDITS = {
    "coordinator": {"centre", "montreal", "cdn", "bsl"},
    "montreal_organizer": {"montreal", "cdn"},
    "rimouski_organizer": {"bsl"},
    "other_coordinator": {"other", "toronto"},
    "volunteer": set(),
    "no_role": set(),
}


@dataclass
class Placement:
    name: str
    organization: object
    chapter: object | None


def placements(world) -> list[Placement]:
    return [Placement(name, getattr(world, org), getattr(world, chapter) if chapter else None)
            for name, (org, chapter) in PLACEMENTS.items()]


def accounts(world) -> dict:
    """The world's accounts, with a coordinator of the other organization and an account
    that has no organizer role at all."""
    if not hasattr(world, "other_coordinator"):
        world.other_coordinator = make_organizer(
            role=OrganizerRole.Role.COORDINATOR, username="other-coordinator",
            organization=world.other)
        world.no_role = UserFactory(username="no-role")
        world.no_role.save()
    return {name: getattr(world, name) for name in EDITS}


def editable_names(queryset, by_pk: dict) -> set[str]:
    """The placement names of the items in `queryset` (`by_pk`: item pk -> name)."""
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in by_pk}
