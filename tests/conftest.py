"""Fixtures: a small world with two organizations, a chapter tree and four organizer accounts."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from solidaire.core.models import OrganizerRole
from solidaire.organizing.models import Chapter

from tests.factories import OrganizationFactory, PersonFactory, make_chapter, make_organizer
from tests.tools import pytest_terminal_summary  # noqa: F401 -- a pytest hook: what was skipped

# On CI (.ci/run exports CI=true before `make test`, as CI services do) the suite shares
# its machine: an example that takes long there is a slow machine, not a slow property.
# So no per-example deadline and no "too slow" health check; the properties are the same.
hypothesis_settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
if os.environ.get("CI", "").lower() in ("true", "1"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def world(db):
    """The workers' centre with Québec → Montréal / Bas-Saint-Laurent, and another org."""
    centre = OrganizationFactory(name="Centre des travailleurs immigrants", slug="cti",
                                 is_host=True)
    other = OrganizationFactory(name="Migrant Students United", slug="msu",
                                kind="student_association")
    quebec = make_chapter(organization=centre, name="Québec", kind=Chapter.Kind.PROVINCE)
    montreal = make_chapter(organization=centre, name="Montréal", parent=quebec)
    cdn = make_chapter(organization=centre, name="Côte-des-Neiges", parent=montreal,
                       kind=Chapter.Kind.CITY)
    bsl = make_chapter(organization=centre, name="Bas-Saint-Laurent", parent=quebec)
    toronto = make_chapter(organization=other, name="Toronto", kind=Chapter.Kind.CITY)

    class World:
        pass

    w = World()
    w.centre, w.other = centre, other
    # Re-read chapters: treebeard's add_child leaves parents' numchild stale in memory.
    w.quebec, w.montreal, w.cdn, w.bsl, w.toronto = (
        Chapter.objects.get(pk=c.pk) for c in (quebec, montreal, cdn, bsl, toronto)
    )
    w.coordinator = make_organizer(role=OrganizerRole.Role.COORDINATOR, username="coordinator",
                                   organization=centre)
    w.montreal_organizer = make_organizer(role=OrganizerRole.Role.CHAPTER_ORGANIZER,
                                          username="montreal", chapters=[w.montreal])
    w.rimouski_organizer = make_organizer(role=OrganizerRole.Role.CHAPTER_ORGANIZER,
                                          username="rimouski", chapters=[w.bsl])
    w.volunteer = make_organizer(role=OrganizerRole.Role.VOLUNTEER, username="volunteer",
                                 chapters=[w.montreal])
    w.in_montreal = PersonFactory(chosen_name="Ana Montréal", home_chapter=w.montreal)
    w.in_cdn = PersonFactory(chosen_name="Bea Côte-des-Neiges", home_chapter=w.cdn)
    w.in_bsl = PersonFactory(chosen_name="Carlos Rimouski", home_chapter=w.bsl)
    w.in_toronto = PersonFactory(chosen_name="Dev Toronto", home_chapter=w.toronto)
    w.unassigned = PersonFactory(chosen_name="Eve Sans-chapitre")
    return w


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters and cached pages."""
    from django.core.cache import cache

    from solidaire.core.outbox import schedule_reset as outbox_schedule_reset
    from solidaire.petitions.services import schedule_reset
    from solidaire.public.petition_views import local_cache_clear

    cache.clear()
    local_cache_clear()
    schedule_reset()
    outbox_schedule_reset()
    yield


@pytest.fixture
def admin_client(client, admin_user):
    """A superuser in the admin: it opens only after a recent second factor, so the
    account logs in with its code (decision 0046)."""
    from tests.second_factor import log_in_with_code

    return log_in_with_code(client, admin_user)

