"""`solidaire demo-data`: the demo organizations, accounts and invented members."""

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from solidaire.campaigns.models import Campaign
from solidaire.core.models import Activity, OrganizerRole
from solidaire.membership.activities import COMMITTEE_JOINED
from solidaire.membership.models import Committee, CommitteeMembership
from solidaire.organizing.models import Chapter, CoalitionMembership, Organization
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import ConsentEvent, EmailAddress, Person, PhoneNumber
from solidaire.people.selectors import people_visible_to

PEOPLE = 60


def load(*, people=PEOPLE, seed=1):
    call_command("demo-data", people=people, seed=seed, verbosity=0)


def test_demo_data_builds_the_workers_centre_and_its_regional_tree(db):
    load()
    centre = Organization.objects.get(slug="iwc-cti")
    assert centre.is_host and centre.kind == Organization.Kind.WORKERS_CENTRE
    assert centre.city == "Montréal"
    quebec = Chapter.objects.get(organization=centre, kind=Chapter.Kind.PROVINCE)
    regions = {c.name: c.city for c in Chapter.objects.get_children(quebec)}
    assert regions == {
        "Saguenay–Lac-Saint-Jean": "Chicoutimi",
        "Bas-Saint-Laurent": "Rimouski",
        "Outaouais": "Gatineau",
        "Montréal": "Montréal",
        "Capitale-Nationale": "Québec",
    }
    committees = set(Committee.objects.filter(organization=centre).values_list("name", flat=True))
    assert {"Comité des femmes", "Comité des travailleurs et travailleuses d'entrepôt",
            "Comité des travailleurs et travailleuses d'agences",
            "Équipe d'organisation de Rimouski"} <= committees


def test_demo_data_builds_the_student_network_the_coalition_and_the_alliance(db):
    load()
    msu = Organization.objects.get(slug="msu")
    ontario = Chapter.objects.get(organization=msu, name="Ontario")
    assert {c.name for c in Chapter.objects.get_children(ontario)} == {"Toronto", "Peel / Brampton"}
    assert Chapter.objects.filter(organization=msu, kind=Chapter.Kind.CAMPUS).count() >= 2

    coalition = Organization.objects.get(slug="cmwrc", kind=Organization.Kind.COALITION)
    founding = CoalitionMembership.objects.filter(coalition=coalition, is_founding=True)
    assert founding.count() == 7
    assert set(founding.values_list("joined_on", flat=True)) == {datetime.date(2015, 10, 28)}
    assert "Cooper Institute" in set(founding.values_list("member__name", flat=True))

    alliance = Organization.objects.get(slug="alliance-ouvriere")
    dxt4 = Chapter.objects.get(organization=alliance, kind=Chapter.Kind.WORKPLACE)
    assert dxt4.city == "Laval" and "DXT4" in dxt4.name
    assert Committee.objects.filter(organization=alliance, chapter=None,
                                    name="Caucus du secteur public").exists()


def test_demo_campaigns_carry_their_dates_and_bilingual_demands(db):
    load()
    pgwp = Campaign.objects.get(slug="fix-pgwp")
    assert (pgwp.starts_on, pgwp.ends_on, pgwp.is_active) == (
        datetime.date(2020, 8, 1), datetime.date(2021, 1, 8), False)
    assert Campaign.objects.get(slug="move").starts_on == datetime.date(2015, 10, 28)
    week = Campaign.objects.get(slug="statusnow-week-of-action-2016")
    assert (week.starts_on, week.ends_on) == (datetime.date(2016, 5, 28), datetime.date(2016, 6, 5))
    assert Campaign.objects.get(slug="statut-permanent-permis-expirants-2026").is_active
    for campaign in Campaign.objects.prefetch_related("demands"):
        assert campaign.title.keys() == {"fr", "en"}, campaign.slug
        assert campaign.summary.keys() == {"fr", "en"}, campaign.slug
        assert campaign.demands.all(), campaign.slug
        for demand in campaign.demands.all():
            assert demand.text.keys() == {"fr", "en"}, campaign.slug


def test_demo_members_are_invented_and_complete(db):
    load()
    assert Person.objects.count() == PEOPLE
    assert Person.objects.filter(home_chapter__slug="montreal").count() > PEOPLE // 5
    addresses = list(EmailAddress.objects.values_list("address", flat=True))
    assert addresses and all(a.endswith("@example.org") for a in addresses)
    numbers = list(PhoneNumber.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(n.startswith("+1") and n[5:10] == "55501" for n in numbers)
    # Every member has the ledger row person_create would have written.
    assert Activity.objects.filter(kind=PERSON_CREATED).count() == PEOPLE
    joined = Activity.objects.filter(kind=COMMITTEE_JOINED).count()
    assert joined == CommitteeMembership.objects.count()
    # Current consent agrees with the latest consent event of each person.
    for person in Person.objects.filter(consent_events__channel="email").distinct():
        latest = person.consent_events.filter(channel="email").order_by("-at", "-id").first()
        assert person.consent_email == latest.granted
    assert ConsentEvent.objects.exists()


def _digest_of_a_load(seed: int) -> str:
    """Load in a transaction that is rolled back, and fingerprint the members."""

    class RolledBack(Exception):
        pass

    try:
        with transaction.atomic():
            load(seed=seed)
            rows = [
                (p.chosen_name, p.preferred_language, p.home_chapter.slug if p.home_chapter
                 else "", p.sector, p.workplace, p.postal_code, p.created_at.isoformat(),
                 sorted(e.address for e in p.emails.all()),
                 sorted(n.number for n in p.phones.all()),
                 sorted(t.name for t in p.tags.all()))
                for p in Person.objects.select_related("home_chapter")
                .prefetch_related("emails", "phones", "tags").order_by("created_at")
            ]
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            raise RolledBack
    except RolledBack:
        return digest


def test_the_same_seed_gives_the_same_members(db):
    first = _digest_of_a_load(seed=1)
    assert Person.objects.count() == 0
    assert _digest_of_a_load(seed=1) == first
    assert _digest_of_a_load(seed=2) != first


def test_demo_accounts_log_in_with_the_demo_password(client, db):
    load()
    for username in ("coordinator", "montreal", "rimouski"):
        assert client.login(username=username, password="solidaire-demo"), username
        client.logout()


def test_demo_accounts_have_the_announced_scopes(db):
    load()
    users = get_user_model().objects
    coordinator = users.get(username="coordinator")
    role = coordinator.organizer_role
    assert role.role == OrganizerRole.Role.COORDINATOR and role.status_access
    assert role.organization.slug == "iwc-cti"
    # Its role gives it everything it does: no admin rights, a second factor.
    assert not coordinator.is_superuser and not coordinator.is_staff
    assert coordinator.totpdevice_set.filter(confirmed=True).exists()
    in_quebec = Person.objects.filter(home_chapter__organization__slug="iwc-cti").count()
    assert people_visible_to(coordinator).filter(home_chapter__isnull=False).count() == in_quebec

    montreal = users.get(username="montreal")
    assert montreal.organizer_role.role == OrganizerRole.Role.CHAPTER_ORGANIZER
    assert not montreal.organizer_role.status_access
    visible = people_visible_to(montreal)
    assert visible.count() == Person.objects.filter(home_chapter__slug="montreal").count() > 0
    rimouski = users.get(username="rimouski")
    assert set(people_visible_to(rimouski).values_list("home_chapter__slug", flat=True)) <= {
        "bas-saint-laurent"}


def test_demo_data_refuses_a_database_that_already_holds_organizations(db):
    load()
    counts = (Organization.objects.count(), Person.objects.count())
    with translation.override("en"), pytest.raises(CommandError, match="already holds"):
        load()
    assert (Organization.objects.count(), Person.objects.count()) == counts


def test_demo_data_refuses_where_demo_accounts_are_not_allowed(db, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with translation.override("en"), pytest.raises(CommandError, match="not allowed"):
        load()
    assert not Organization.objects.exists()
    assert not get_user_model().objects.filter(username="coordinator").exists()
