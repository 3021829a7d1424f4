"""The check every service makes before it ties rows together: the chapter, campaign,
committee or person it was given belongs to the same organization (decisions 0035 and
0059). Rows only carry an `organization_id`, so the check needs no model of `organizing`.
"""

from __future__ import annotations

from typing import Any


class OtherOrganization(ValueError):
    """A row given to a service belongs to another organization than the one it serves.

    A programming error or a forged form: the forms only offer the organization's own rows.
    """


def same_organization_check(organization: Any, /, **rows: Any) -> None:
    """Raise OtherOrganization when one of `rows` (None is skipped) belongs to another
    organization than `organization` (an Organization or its id).

    `same_organization_check(campaign.organization, chapter=chapter)`; the keyword names
    the row in the message: "the chapter belongs to another organization".
    """
    organization_id = getattr(organization, "pk", organization)
    for name, row in rows.items():
        if row is not None and row.organization_id != organization_id:
            raise OtherOrganization(
                f"the {name.replace('_', ' ')} belongs to another organization")
