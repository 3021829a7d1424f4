"""The issue-5 demo: targets, petitions with signatures, a delivery, a sign-on, actions."""

import datetime
import re

import pytest
from django.core.management import call_command

from solidaire.advocacy.activities import TARGET_CALLED, TARGET_EMAILED
from solidaire.advocacy.models import Action, CallReport, EmailSent
from solidaire.campaigns.models import Level, Publication, Riding, Target, TargetOffice
from solidaire.campaigns.selectors import ridings_for_postal_code, targets_for_ridings
from solidaire.core.models import Activity
from solidaire.demo.advocacy import (
    CALL_REPORTS,
    ENDORSERS,
    LARGEST_PETITION,
    PENDING_ENDORSERS,
    PETITIONS,
)
from solidaire.people.models import Person
from solidaire.petitions.activities import PETITION_SIGNED, SIGNON_ENDORSED
from solidaire.petitions.models import Delivery, Endorsement, Petition, Signature, SignOn

PEOPLE = 300

STUDENTS = "sante-revenu-etudiants-migrants"
FIX_PGWP = "fixpgwp-permis-renouvelables"
DEPORTATIONS = "arretez-les-expulsions-etudiants-migrants"
CALL_MINISTER = "appelez-le-ministre-arretez-les-expulsions"
WRITE_VIRANI = "ecrivez-a-l-adjoint-parlementaire"
CALL_YOUR_MP = "appelez-votre-depute-tout-travail-compte"
SIGN_ON = "statut-permanent-des-l-arrivee"


@pytest.fixture
def demo(db):
    call_command("demo-data", people=PEOPLE, seed=1, verbosity=0)


def test_the_stories_petitions_hold_counted_signatures_with_their_ledger_rows(demo):
    # The stories' petitions; the workers' centre's open 2026 petition has its own tests
    # (test_demo_workers_centre_campaign.py).
    story = Petition.objects.filter(slug__in=[spec.slug for spec in PETITIONS])
    story_signatures = Signature.objects.filter(petition__in=story)
    petitions = {p.slug: p for p in story.select_related("campaign", "organization")}
    assert set(petitions) == {STUDENTS, FIX_PGWP, DEPORTATIONS}
    for petition in petitions.values():
        assert petition.status == Publication.CLOSED
        assert petition.organization.slug == "msu"
        assert set(petition.title) == set(petition.summary) == set(petition.body) == {"fr", "en"}
        assert petition.targets.filter(name="Marco Mendicino").exists()
    assert petitions[STUDENTS].title["en"] == "Health care and income support for migrant students"
    assert petitions[STUDENTS].campaign.slug == "msu-health-income-support-2020"
    assert petitions[FIX_PGWP].campaign.slug == "fix-pgwp"
    assert petitions[DEPORTATIONS].campaign.slug == "fix-pgwp"

    counts = {slug: Signature.objects.filter(petition__slug=slug).count()
              for slug in (STUDENTS, FIX_PGWP, DEPORTATIONS)}
    # The student network's list signs its petitions (decision 0035): N people for 16,000
    # signers scale every count by N/16,000, so the largest petition has all N.
    students = Person.objects.filter(organization__slug="msu").count()
    assert counts == {spec.slug: round(spec.story_count * students / LARGEST_PETITION)
                      for spec in PETITIONS}
    assert counts[DEPORTATIONS] == students
    assert not story_signatures.exclude(status=Signature.Status.COUNTED).exists()
    assert not story_signatures.filter(person__isnull=True).exists()

    # Every counted signature has its ledger row, once per person, and no contact copy.
    for petition in story:
        signatures = Signature.objects.filter(petition=petition)
        ledger = Activity.objects.filter(kind=PETITION_SIGNED,
                                         object_id=petition.pk)
        assert ledger.count() == signatures.count() > 0
        assert set(ledger.values_list("person_id", flat=True)) == set(
            signatures.values_list("person_id", flat=True))
        assert set(ledger.values_list("campaign_id", flat=True)) == {petition.campaign_id}
        # One signature per person and per contact key.
        assert signatures.values("person_id").distinct().count() == signatures.count()
        assert signatures.values("contact_key").distinct().count() == signatures.count()
    assert not Signature.objects.exclude(email="").exists()
    assert not Signature.objects.exclude(phone="").exists()

    # Online and numbered paper sheets, signed over 2020.
    paper = story_signatures.filter(source=Signature.Source.PAPER)
    assert paper.exists() and story_signatures.filter(source=Signature.Source.ONLINE).exists()
    assert not paper.filter(sheet_number="").exists()
    assert not story_signatures.filter(source=Signature.Source.ONLINE).exclude(
        sheet_number="").exists()
    first = story_signatures.order_by("created_at").first().created_at
    last = story_signatures.order_by("created_at").last().created_at
    assert datetime.datetime(2020, 4, 1, tzinfo=datetime.UTC) <= first
    assert last <= datetime.datetime(2020, 12, 1, tzinfo=datetime.UTC)
    tokens = Signature.objects.values_list("token", flat=True)  # every petition's
    assert len(set(tokens)) == len(tokens)


def test_the_sixteen_thousand_were_delivered_to_the_minister_on_2020_11_24(demo):
    delivery = Delivery.objects.select_related("petition", "target").get()
    assert delivery.petition.slug == DEPORTATIONS
    assert delivery.target.name == "Marco Mendicino"
    assert delivery.delivered_on == datetime.date(2020, 11, 24)
    assert delivery.signature_count == delivery.petition.signatures.count()
    assert not Delivery.objects.filter(petition__slug=STUDENTS).exists()


def test_officials_have_invented_contact_details_and_ridings_found_by_prefix(demo):
    names = set(Target.objects.values_list("name", flat=True))
    assert {"Marco Mendicino", "Arif Virani", "Chrystia Freeland", "Carolyn Bennett",
            "Navdeep Bains", "Maryam Monsef", "Carla Qualtrough"} <= names
    assert Target.objects.filter(kind=Target.Kind.EMPLOYER).count() == 1
    assert Target.objects.filter(kind=Target.Kind.AGENCY).count() == 1
    for target in Target.objects.all():
        assert target.email.endswith("@example.org"), target.name
        assert set(target.role) == {"fr", "en"}
        assert 1 <= target.offices.count() <= 2
    for office in TargetOffice.objects.all():
        assert re.fullmatch(r"\+1\d{3}55501\d\d", office.phone), office.phone
        assert "Example" in office.address or "Sample" in office.address or \
            "Demo" in office.address or "Exemple" in office.address
    minister = Target.objects.get(name="Marco Mendicino")
    assert minister.display_role
    assert minister.offices.filter(label__contains="Toronto").exists()

    # The demo-only prefix table finds the MP of a riding.
    assert Riding.objects.filter(code__startswith="DEMO-").count() == Riding.objects.count()
    ridings = ridings_for_postal_code("m4c 1a1", level=Level.FEDERAL)
    assert [r.name for r in ridings] == ["Toronto—St. Paul's"]
    assert [t.name for t in targets_for_ridings(ridings)] == ["Carolyn Bennett"]
    # A prefix on a boundary gives both ridings; the longest prefix wins.
    assert len(ridings_for_postal_code("M5V 2T6", level=Level.FEDERAL)) == 2
    assert [r.name for r in ridings_for_postal_code("M6K 1A1", level=Level.FEDERAL)] == [
        "University—Rosedale"]


def test_the_sign_on_lists_fifteen_approved_endorsers_and_two_pending(demo):
    sign_on = SignOn.objects.get(slug=SIGN_ON)
    assert sign_on.status == Publication.OPEN
    assert sign_on.organization.slug == "cmwrc"
    endorsements = Endorsement.objects.filter(sign_on=sign_on)
    approved = endorsements.filter(status=Endorsement.Status.APPROVED)
    assert approved.count() == len(ENDORSERS) == 15
    assert endorsements.filter(status=Endorsement.Status.PENDING).count() == len(
        PENDING_ENDORSERS) == 2
    migrante = approved.get(org_name="Migrante BC")
    assert (migrante.kind, migrante.city) == (Endorsement.Kind.WORKERS, "Vancouver")
    assert migrante.decided_by.username == "coordinator"
    assert not endorsements.filter(contact__isnull=True).exists()
    assert Activity.objects.filter(kind=SIGNON_ENDORSED,
                                   object_id=sign_on.pk).count() == endorsements.count()


def test_calls_to_the_minister_in_december_2020_and_letters_to_his_assistant(demo):
    action = Action.objects.get(slug=CALL_MINISTER)
    assert action.kind == Action.Kind.CALL and action.targeting == Action.Targeting.FIXED
    assert [t.name for t in action.targets.all()] == ["Marco Mendicino"]
    reports = CallReport.objects.filter(action=action)
    assert reports.count() == CALL_REPORTS
    messages = reports.filter(outcome=CallReport.Outcome.MESSAGE).count()
    assert messages > reports.count() / 2
    for report in reports:
        local = report.created_at.astimezone(datetime.timezone(datetime.timedelta(hours=-5)))
        assert (local.year, local.month) == (2020, 12)
    assert Activity.objects.filter(kind=TARGET_CALLED,
                                   object_id=action.pk).count() == reports.count()

    # Letters to Arif Virani, by the outbox and the mail app, with their ledger rows.
    action = Action.objects.get(slug=WRITE_VIRANI)
    assert action.kind == Action.Kind.EMAIL and action.status == Publication.OPEN
    assert set(action.letter_subject) == set(action.letter_body) == {"fr", "en"}
    sent = EmailSent.objects.filter(action=action, target__name="Arif Virani")
    assert sent.count() == EmailSent.objects.count() > 0
    assert set(sent.values_list("method", flat=True)) == {
        EmailSent.Method.OUTBOX, EmailSent.Method.MAIL_APP}
    assert not sent.filter(outbox_email__isnull=False).exists()
    assert Activity.objects.filter(kind=TARGET_EMAILED,
                                   object_id=action.pk).count() == sent.count()

    # And a riding-targeted call action, open for trying the prefix table.
    action = Action.objects.get(slug=CALL_YOUR_MP)
    assert action.status == Publication.OPEN
    assert action.targeting == Action.Targeting.RIDING
    assert action.riding_level == Level.FEDERAL


def test_a_demo_without_people_still_loads_targets_petitions_and_actions(db):
    call_command("demo-data", people=0, seed=1, verbosity=0)
    assert Person.objects.count() == 0
    # The stories' three petitions and the workers' centre's open one (2026).
    assert Petition.objects.count() == 4 and not Signature.objects.exists()
    assert Delivery.objects.get().signature_count == 0
    assert Endorsement.objects.filter(sign_on__slug=SIGN_ON).count() == 17
    assert CallReport.objects.filter(person__isnull=True).count() == CALL_REPORTS
    assert not Activity.objects.exists()


def test_the_public_pages_of_the_demo_respond(client, demo):
    for path in (
        f"/en/petitions/{STUDENTS}/", f"/fr/petitions/{DEPORTATIONS}/",
        f"/en/sign-ons/{SIGN_ON}/", f"/fr/act/{CALL_MINISTER}/", f"/en/act/{WRITE_VIRANI}/",
        f"/en/act/{CALL_YOUR_MP}/",
    ):
        assert client.get(path).status_code == 200, path
    # A postal code from the demo-only table finds the supporter's MP.
    found = client.post(f"/en/act/{CALL_YOUR_MP}/", {"postal_code": "M4C 1A1"})
    assert found.status_code == 200
    assert "Carolyn Bennett" in found.text
