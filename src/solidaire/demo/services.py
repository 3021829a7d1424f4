"""Loading the demo: structure, accounts and members, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidaire.analytics.engagement import engagement_rebuild
from solidaire.analytics.weekly import activity_weeks_refresh
from solidaire.core.models import OrganizerRole
from solidaire.core.services import audit_log
from solidaire.core.two_factor import secret_for_people, two_factor_enrol
from solidaire.organizing.models import Organization

from .advocacy import advocacy_insert
from .campaign_story import campaign_story_insert
from .events import events_insert
from .history import history_insert
from .members import members_insert
from .status_campaign import status_campaign_insert
from .structure import Structure, structure_build

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

DEMO_PASSWORD = "solidaire-demo"  # noqa: S105 -- printed on screen; demo databases only
# The coordinator's two-factor secret (hex), public like the password: whoever tries the
# demo adds it to an authenticator app (`demo_two_factor_secret()` prints it as apps
# take it) and types its codes, as a real coordinator does (decision 0046).
DEMO_TOTP_KEY = b"solidaire-demo-totp!".hex()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    description: str | _StrPromise  # translated when shown


DEMO_ACCOUNTS = (
    DemoAccount("coordinator", gettext_lazy(
        "coordinator of the workers' centre: all of Québec, may see immigration status")),
    DemoAccount("montreal", gettext_lazy("organizer of the Montréal chapter")),
    DemoAccount("rimouski", gettext_lazy("organizer of the Bas-Saint-Laurent chapter")),
    DemoAccount("volunteer", gettext_lazy(
        "volunteer of the Montréal chapter: calls their own call list, no person pages")),
    DemoAccount("students", gettext_lazy(
        "coordinator of the student network (Migrant Students United): all its chapters, "
        "no status fields")),
)


def demo_two_factor_secret() -> str:
    """The coordinator's secret key as authenticator apps take it typed."""
    return secret_for_people(DEMO_TOTP_KEY)


class DemoRefused(Exception):
    """The demo data cannot be loaded here; the message says why."""


def demo_allowed() -> bool:
    return bool(getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False))


def database_is_empty() -> bool:
    """No organization yet: the state the demo data is loaded into."""
    return not Organization.objects.exists()


@transaction.atomic
def demo_data_load(
    *,
    people: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    ledger_rows: int = 0,
    ledger_progress: Callable[[int, int], None] | None = None,
) -> Structure:
    """Load the demo organizations, the demo accounts and `people` invented members.

    `ledger_rows`: that many more ledger rows of history (see `history.py`).
    Meant for an empty database; refuses where demo accounts are not allowed
    (production) and where organizations already exist.
    """
    if not demo_allowed():
        raise DemoRefused(_(
            "Demo data is not allowed with these settings (DEMO_ACCOUNTS_ALLOWED is off)."
        ))
    if not database_is_empty():
        raise DemoRefused(_(
            "This database already holds organizations; demo data is loaded only into an "
            "empty database."
        ))
    usernames = [account.username for account in DEMO_ACCOUNTS]
    if get_user_model().objects.filter(username__in=usernames).exists():
        raise DemoRefused(_(
            "An account already bears the name of a demo account (%(names)s); demo data is "
            "loaded only into an empty database."
        ) % {"names": ", ".join(usernames)})
    structure = structure_build()
    demo_accounts_create(structure=structure)
    members_insert(structure=structure, people=people, seed=seed, progress=progress)
    targets = advocacy_insert(structure=structure, seed=seed)
    status_campaign_insert(structure=structure, targets=targets, seed=seed)
    events_insert(structure=structure, seed=seed)
    campaign_story_insert(structure=structure, seed=seed)
    # Years of extra ledger history over those objects (benchmarks of audiences).
    history_insert(rows=ledger_rows, seed=seed, progress=ledger_progress)
    # The loaders above write the ledger in bulk: the engagement digest once, at the end.
    engagement_rebuild()
    # And the dashboard's weekly counts (decision 0032), which a worker would otherwise
    # build within a minute.
    activity_weeks_refresh(full=True)
    audit_log(action="solidaire.demo.loaded", data={"people": people, "seed": seed})
    return structure


def demo_accounts_create(*, structure: Structure) -> None:
    """The organizer accounts the README and the `demo` command announce."""
    user_model = get_user_model()
    # Everything a coordinator does comes from the role, not from admin rights; seeing
    # status asks for its codes, as for a real coordinator.
    coordinator = user_model.objects.create_user(
        username="coordinator", email="coordinator@example.org", password=DEMO_PASSWORD,
    )
    OrganizerRole.objects.create(
        user=coordinator, role=OrganizerRole.Role.COORDINATOR,
        organization=structure.organizations["iwc"], status_access=True,
    )
    two_factor_enrol(user=coordinator, key=DEMO_TOTP_KEY)
    for username, chapter_key in (("montreal", "iwc.montreal"), ("rimouski", "iwc.bsl")):
        user = user_model.objects.create_user(
            username=username, email=f"{username}@example.org", password=DEMO_PASSWORD,
        )
        role = OrganizerRole.objects.create(user=user, role=OrganizerRole.Role.CHAPTER_ORGANIZER)
        role.chapters.set([structure.chapters[chapter_key]])
    volunteer = user_model.objects.create_user(
        username="volunteer", email="volunteer@example.org", password=DEMO_PASSWORD,
    )
    role = OrganizerRole.objects.create(user=volunteer, role=OrganizerRole.Role.VOLUNTEER)
    role.chapters.set([structure.chapters["iwc.montreal"]])
    # The student network's coordinator works on another organization's list; without
    # status access it logs in with the password alone, as any such coordinator does.
    students = user_model.objects.create_user(
        username="students", email="students@example.org", password=DEMO_PASSWORD,
    )
    OrganizerRole.objects.create(
        user=students, role=OrganizerRole.Role.COORDINATOR,
        organization=structure.organizations["msu"], status_access=False,
    )
