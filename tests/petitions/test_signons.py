"""Sign-on statements and endorsements: the services and the public reads."""

import pytest

from solidaire.core.intake import form_token_check, form_token_new
from solidaire.core.models import Activity, AuditEntry, OutboxEmail
from solidaire.people.models import Person
from solidaire.petitions.activities import SIGNON_ENDORSED
from solidaire.petitions.models import Endorsement
from solidaire.petitions.signons import (
    Outcome,
    endorsement_decide,
    endorsement_submit,
    endorsements_pending_count,
    org_name_fold,
    public_endorsements,
    signon_create,
    signon_update,
)

from tests.factories import CampaignFactory, EmailFactory, SignOnFactory, TargetFactory


def submit(sign_on, **overrides):
    data = {
        "sign_on": sign_on, "key": form_token_check(form_token_new()),
        "org_name": "Migrante BC", "kind": Endorsement.Kind.WORKERS, "city": "Vancouver",
        "website": "", "contact_name": "Rosa", "contact_email": "rosa@example.org",
        "contact_phone": "", "language": "en", "consent_email": False,
    }
    data.update(overrides)
    return endorsement_submit(**data)


@pytest.fixture
def sign_on(world):
    campaign = CampaignFactory(organization=world.centre)
    return SignOnFactory(organization=world.centre, chapter=world.montreal, campaign=campaign)


def test_a_submitted_endorsement_waits_for_approval_with_its_contact_person(sign_on):
    result = submit(sign_on, contact_phone="514 555-0123", website="https://migrante.ca")
    endorsement = result.endorsement
    assert result.outcome == Outcome.RECORDED
    assert endorsement.status == Endorsement.Status.PENDING
    assert (endorsement.org_name, endorsement.name_key, endorsement.city) == (
        "Migrante BC", "migrante bc", "Vancouver")
    contact = endorsement.contact
    assert contact.chosen_name == "Rosa"
    assert contact.source == "sign-on"
    assert contact.preferred_language == "en"
    assert list(contact.emails.values_list("address", flat=True)) == ["rosa@example.org"]
    assert list(contact.phones.values_list("number", flat=True)) == ["+15145550123"]
    assert endorsements_pending_count(sign_on) == 1
    assert public_endorsements(sign_on) == []


def test_an_endorsement_writes_one_ledger_row_for_the_contact(sign_on):
    endorsement = submit(sign_on).endorsement
    activity = Activity.objects.get(kind=SIGNON_ENDORSED)
    assert activity.person == endorsement.contact
    assert activity.object_id == sign_on.pk
    assert activity.campaign == sign_on.campaign
    assert activity.chapter == sign_on.chapter


def test_the_same_form_key_twice_stores_one_endorsement(sign_on):
    key = form_token_check(form_token_new())
    first = submit(sign_on, key=key)
    again = submit(sign_on, key=key)
    assert again.outcome == Outcome.REPLAYED
    assert again.endorsement.pk == first.endorsement.pk
    assert Endorsement.objects.count() == 1
    assert Activity.objects.filter(kind=SIGNON_ENDORSED).count() == 1
    assert OutboxEmail.objects.count() == 1


def test_the_same_organization_in_another_case_or_accents_is_already_endorsed(sign_on):
    first = submit(sign_on, org_name="Comité d'action de Parc-Extension")
    again = submit(sign_on, org_name="  COMITE D’ACTION DE PARC EXTENSION ",
                   contact_email="other@example.org", contact_name="Other")
    assert again.outcome == Outcome.ALREADY_ENDORSED
    assert again.endorsement.pk == first.endorsement.pk
    assert Endorsement.objects.count() == 1
    assert not Person.objects.filter(chosen_name="Other").exists()
    assert OutboxEmail.objects.count() == 1


def test_an_organization_may_endorse_two_statements(world, sign_on):
    submit(sign_on)
    assert submit(SignOnFactory(organization=world.centre)).outcome == Outcome.RECORDED


def test_org_names_fold_without_case_accents_or_punctuation():
    assert org_name_fold("PINAY Québec") == org_name_fold("pinay quebec") == "pinay quebec"
    assert org_name_fold("Inter-Pares.") == "inter pares"


def test_an_existing_person_is_matched_by_e_mail(world, sign_on):
    EmailFactory(person=world.in_montreal, address="ana@example.org")
    endorsement = submit(sign_on, contact_email="Ana@Example.org").endorsement
    assert endorsement.contact == world.in_montreal


def test_consent_is_recorded_only_when_ticked(sign_on):
    without = submit(sign_on).endorsement.contact
    assert without.consent_email is False
    with_consent = submit(sign_on, org_name="Inter Pares", contact_email="ip@example.org",
                          consent_email=True).endorsement.contact
    with_consent.refresh_from_db()
    assert with_consent.consent_email is True
    assert with_consent.consent_events.get().method == "web_form"


@pytest.mark.parametrize(("language", "title"), [("fr", "Déclaration"), ("en", "Statement")])
def test_the_acknowledgment_is_in_the_contact_language(sign_on, language, title):
    submit(sign_on, language=language)
    email = OutboxEmail.objects.get()
    assert email.to == "rosa@example.org"
    assert email.language == language
    assert email.subject.endswith(sign_on.title[language])
    assert title in email.subject
    assert f"/{language}/sign-ons/{sign_on.slug}/" in email.body_text
    assert "Migrante BC" in email.body_text


def test_approval_lists_the_endorsement_under_its_kind_and_tells_the_contact(world, sign_on):
    endorsement = submit(sign_on, language="fr").endorsement
    submit(sign_on, org_name="Inter Pares", kind=Endorsement.Kind.COMMUNITY,
           contact_email="ip@example.org")
    endorsement_decide(actor=world.coordinator, endorsement=endorsement, approve=True)
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.APPROVED
    assert endorsement.decided_by == world.coordinator
    assert endorsement.decided_at is not None
    groups = public_endorsements(sign_on)
    assert [(g.kind, g.count, [e.org_name for e in g.endorsements]) for g in groups] == [
        (Endorsement.Kind.WORKERS, 1, ["Migrante BC"])]
    assert str(groups[0].heading) == "Workers' centres and migrant-worker groups"
    approved_mail = OutboxEmail.objects.get(kind="signon.approved")
    assert (approved_mail.to, approved_mail.language) == ("rosa@example.org", "fr")
    assert sign_on.title["fr"] in approved_mail.subject
    entry = AuditEntry.objects.get(action="solidaire.endorsement.approved")
    assert (entry.actor, entry.object_id) == (world.coordinator, str(endorsement.pk))
    assert endorsements_pending_count(sign_on) == 1


def test_a_rejected_endorsement_is_never_listed(world, sign_on):
    endorsement = submit(sign_on).endorsement
    endorsement_decide(actor=world.coordinator, endorsement=endorsement, approve=False)
    assert public_endorsements(sign_on) == []
    assert Endorsement.objects.get().status == Endorsement.Status.REJECTED
    assert AuditEntry.objects.filter(action="solidaire.endorsement.rejected").count() == 1
    assert not OutboxEmail.objects.filter(kind="signon.approved").exists()


def test_the_same_decision_twice_changes_nothing(world, sign_on):
    endorsement = submit(sign_on).endorsement
    endorsement_decide(actor=world.coordinator, endorsement=endorsement, approve=True)
    endorsement_decide(actor=world.coordinator, endorsement=endorsement, approve=True)
    assert AuditEntry.objects.filter(action="solidaire.endorsement.approved").count() == 1
    assert OutboxEmail.objects.filter(kind="signon.approved").count() == 1


def test_endorsers_are_grouped_in_kind_order_and_sorted_by_name(world, sign_on):
    for number, (name, kind) in enumerate([("Zeta Union", "union"), ("Alpha Church", "faith"),
                                           ("Émile Union", "union"), ("Beta Union", "union")]):
        endorsement = submit(sign_on, org_name=name, kind=kind,
                             contact_email=f"contact{number}@example.org").endorsement
        endorsement_decide(actor=world.coordinator, endorsement=endorsement, approve=True)
    groups = public_endorsements(sign_on)
    assert [(g.kind, [e.org_name for e in g.endorsements]) for g in groups] == [
        ("union", ["Beta Union", "Émile Union", "Zeta Union"]),
        ("faith", ["Alpha Church"]),
    ]


def test_create_and_update_write_the_audit_log(world):
    target = TargetFactory()
    sign_on = signon_create(slug="status-now", title={"en": "Status now"},
                            organization=world.centre, targets=[target],
                            actor=world.coordinator)
    assert list(sign_on.targets.all()) == [target]
    assert sign_on.status == "draft"
    signon_update(sign_on=sign_on, actor=world.coordinator, status="open", targets=[])
    sign_on.refresh_from_db()
    assert sign_on.status == "open"
    assert not sign_on.targets.exists()
    assert AuditEntry.objects.get(action="solidaire.signon.created").actor == world.coordinator
    assert AuditEntry.objects.get(action="solidaire.signon.updated").data == {
        "fields": ["status", "targets"]}
    signon_update(sign_on=sign_on, actor=world.coordinator, status="open", targets=[])
    assert AuditEntry.objects.filter(action="solidaire.signon.updated").count() == 1
