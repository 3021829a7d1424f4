"""The workers' centre's 2026 campaign in the demo: what every demo account organizes,
what the README sends a newcomer to, and what the public finds open today."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidaire.advocacy.models import Action
from solidaire.advocacy.selectors import targets_for_supporter
from solidaire.campaigns.models import Publication
from solidaire.core.models import OrganizerRole
from solidaire.demo.services import DEMO_ACCOUNTS
from solidaire.events.models import Event, Series
from solidaire.people.models import Person
from solidaire.people.selectors import people_visible_to
from solidaire.petitions.models import Endorsement, Petition, Signature, SignOn
from solidaire.public.act_forms import PostalCodeForm

from tests.second_factor import code_for

README = Path(__file__).resolve().parents[2] / "README.md"
CAMPAIGN = "statut-permanent-permis-expirants-2026"


@pytest.fixture
def demo(db):
    call_command("demo-data", people=150, seed=1, verbosity=0)


def log_in(client, username):
    response = client.post("/fr/organize/login/",
                           {"username": username, "password": "solidaire-demo"})
    assert response.status_code == 302, username
    if response["Location"].startswith("/fr/organize/login/code/"):
        device = TOTPDevice.objects.get(user__username=username)
        response = client.post(response["Location"], {"code": code_for(device)})
    assert response["Location"] == "/fr/organize/", username


def test_there_are_five_demo_accounts_and_the_student_network_has_its_coordinator(demo):
    assert [account.username for account in DEMO_ACCOUNTS] == [
        "coordinator", "montreal", "rimouski", "volunteer", "students"]
    role = OrganizerRole.objects.get(user__username="students")
    assert role.role == OrganizerRole.Role.COORDINATOR
    assert role.organization.slug == "msu" and not role.status_access
    students = Person.objects.filter(organization__slug="msu")
    assert people_visible_to(role.user).count() == students.count() > 0


@pytest.mark.parametrize("username", [account.username for account in DEMO_ACCOUNTS])
def test_every_demo_account_organizes_a_petition_a_sign_on_and_an_action(client, demo,
                                                                        username):
    log_in(client, username)
    for path, model, empty in (
        ("/fr/organize/petitions/", Petition, "Aucune pétition."),
        ("/fr/organize/sign-ons/", SignOn, None),
        ("/fr/organize/actions/", Action, None),
    ):
        page = client.get(path)
        assert page.status_code == 200, (username, path)
        shown = [item for item in model.objects.all()
                 if f'/fr/organize/{path.split("/")[3]}/{item.slug}/"' in page.text]
        assert shown, (username, path)
        if empty:
            assert empty not in page.text


def test_the_workers_centre_petition_is_open_and_signed_over_the_past_weeks(client, demo):
    petition = Petition.objects.get(organization__slug="iwc-cti", campaign__slug=CAMPAIGN)
    assert petition.status == Publication.OPEN
    assert set(petition.title) == set(petition.summary) == set(petition.body) == {"fr", "en"}
    signatures = Signature.objects.filter(petition=petition)
    assert signatures.count() >= 20
    assert not signatures.filter(person__organization__slug__in=("msu", "cmwrc")).exists()
    now = timezone.now()
    moments = list(signatures.values_list("created_at", flat=True))
    assert all(now - datetime.timedelta(weeks=8) < at < now for at in moments)
    assert len({(now - at).days // 7 for at in moments}) >= 3  # spread over weeks
    assert {"fr", "en"} <= set(signatures.values_list("language", flat=True))
    for language in ("fr", "en"):
        page = client.get(f"/{language}/petitions/{petition.slug}/")
        assert page.status_code == 200
        sheet = client.get(f"/{language}/petitions/{petition.slug}/sheet.pdf")
        assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"


def test_the_call_action_finds_an_mp_for_the_postal_code_its_form_gives_as_example(client,
                                                                                  demo):
    example = re.search(r"[A-Z]\d[A-Z] ?\d[A-Z]\d",
                        str(PostalCodeForm().fields["postal_code"].help_text)).group()
    action = Action.objects.get(organization__slug="iwc-cti", campaign__slug=CAMPAIGN,
                                kind=Action.Kind.CALL)
    assert action.status == Publication.OPEN
    assert action.targeting == Action.Targeting.RIDING
    found = targets_for_supporter(action, example)
    assert found.by_riding and found.targets
    page = client.post(f"/fr/act/{action.slug}/", {"postal_code": example})
    assert page.status_code == 200
    assert found.targets[0].name in page.text
    # A postal code outside the demo's table falls back on the minister.
    fallback = targets_for_supporter(action, "T2P 1J9")
    assert fallback.no_match and fallback.targets


def test_the_workers_centre_sign_on_is_open_to_organizations(client, demo):
    sign_on = SignOn.objects.get(organization__slug="iwc-cti", campaign__slug=CAMPAIGN)
    assert sign_on.status == Publication.OPEN
    endorsements = Endorsement.objects.filter(sign_on=sign_on)
    assert endorsements.filter(status=Endorsement.Status.APPROVED).count() >= 4
    assert endorsements.filter(status=Endorsement.Status.PENDING).exists()
    assert client.get(f"/en/sign-ons/{sign_on.slug}/").status_code == 200


def test_the_campaign_has_upcoming_events_and_a_week_of_action(demo):
    now = timezone.now()
    upcoming = Event.objects.filter(campaign__slug=CAMPAIGN, starts_at__gt=now,
                                    status=Event.Status.PUBLISHED)
    assert upcoming.filter(kind=Event.Kind.INFO_SESSION, format=Event.Format.ONLINE).exists()
    assert upcoming.filter(kind__in=(Event.Kind.ASSEMBLY, Event.Kind.RALLY),
                           city="Montréal").exists()
    series = Series.objects.get(campaign__slug=CAMPAIGN)
    assert series.starts_on > timezone.localdate() and series.events.count() >= 3


def test_every_demo_address_the_readme_names_answers(client, demo):
    paths = [path.rstrip(".;:") for path in
             re.findall(r"http://127\.0\.0\.1:8000(/[^\s`)<>,]*)", README.read_text())]
    assert any(path.endswith("/sheet.pdf") for path in paths)
    assert len(paths) >= 4
    for path in paths:
        assert client.get(path).status_code == 200, path
