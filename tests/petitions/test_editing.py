"""The organizer-side writes about petitions: create, update, remove and restore signatures."""

import datetime

import pytest
from django.urls import reverse

from solidaire.campaigns.models import Publication
from solidaire.core.models import AuditEntry
from solidaire.petitions.editing import (
    petition_create,
    petition_update,
    signature_remove,
    signature_restore,
)
from solidaire.petitions.models import Delivery, Endorsement, Signature
from solidaire.petitions.selectors import signature_count
from solidaire.petitions.stats import petition_figures, with_signature_counts

from tests.factories import (
    CampaignFactory,
    PersonFactory,
    PetitionFactory,
    SignOnFactory,
    TargetFactory,
)


def make_signature(petition, n, *, status=Signature.Status.COUNTED, person=None, **fields):
    return Signature.objects.create(
        petition=petition, token=f"token-{petition.pk}-{n}", contact_key=f"key-{n}",
        name=f"Signer {n}", language="fr", status=status, person=person, **fields,
    )


def create(world, **overrides):
    arguments = {
        "actor": world.coordinator, "organization": world.centre, "chapter": None,
        "campaign": None, "slug": "soins", "title": {"fr": "Des soins"}, "summary": {},
        "body": {}, "targets": [], "goal": 500, "status": Publication.DRAFT,
        "double_opt_in": False, "show_signers": False, "next_step_url": "",
    }
    return petition_create(**{**arguments, **overrides})


def test_a_petition_is_created_with_its_targets_and_audited(world):
    minister, mp = TargetFactory(), TargetFactory()
    campaign = CampaignFactory(organization=world.centre)
    petition = create(world, campaign=campaign, targets=[minister, mp], chapter=world.montreal)
    assert set(petition.targets.all()) == {minister, mp}
    assert (petition.campaign, petition.chapter, petition.goal) == (campaign, world.montreal, 500)
    entry = AuditEntry.objects.get(action="solidaire.petition.created")
    assert (entry.actor, entry.object_id) == (world.coordinator, str(petition.pk))


def test_a_petition_cannot_take_a_campaign_or_chapter_of_another_organization(world):
    with pytest.raises(ValueError):
        create(world, campaign=CampaignFactory(organization=world.other))
    with pytest.raises(ValueError):
        create(world, chapter=world.toronto)


def test_an_update_changes_only_what_differs_and_says_so_in_the_audit_log(world):
    petition = create(world)
    target = TargetFactory()
    petition_update(actor=world.coordinator, petition=petition, title={"fr": "Des soins"},
                    goal=900, targets=[target])
    petition.refresh_from_db()
    assert petition.goal == 900
    assert list(petition.targets.all()) == [target]
    entry = AuditEntry.objects.get(action="solidaire.petition.updated")
    assert entry.data == {"fields": ["goal", "targets"]}
    petition_update(actor=world.coordinator, petition=petition, goal=900, targets=[target])
    assert AuditEntry.objects.filter(action="solidaire.petition.updated").count() == 1
    with pytest.raises(TypeError):
        petition_update(actor=world.coordinator, petition=petition, token="x")


def test_removing_a_signature_takes_it_out_of_the_count_and_restoring_puts_it_back(world):
    petition = PetitionFactory(organization=world.centre)
    spam = make_signature(petition, 1, person=world.in_montreal)
    make_signature(petition, 2)
    assert signature_count(petition) == 2
    signature_remove(actor=world.coordinator, signature=spam)
    signature_remove(actor=world.coordinator, signature=spam)  # twice: no change
    spam.refresh_from_db()
    assert spam.status == Signature.Status.REMOVED
    assert signature_count(petition) == 1
    assert AuditEntry.objects.filter(action="solidaire.signature.removed").count() == 1
    signature_restore(actor=world.coordinator, signature=spam)
    spam.refresh_from_db()
    assert spam.status == Signature.Status.COUNTED
    assert signature_count(petition) == 2
    entry = AuditEntry.objects.get(action="solidaire.signature.restored")
    assert entry.data == {"petition": petition.pk, "to": "counted"}


def test_a_restored_signature_gets_back_the_status_it_had(world):
    petition = PetitionFactory(organization=world.centre, double_opt_in=True)
    waiting = make_signature(petition, 1, status=Signature.Status.UNCONFIRMED,
                             person=world.in_cdn)
    signature_remove(actor=world.coordinator, signature=waiting)
    signature_restore(actor=world.coordinator, signature=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Signature.Status.UNCONFIRMED


def test_a_restored_signature_of_someone_who_signed_again_is_a_duplicate(world):
    petition = PetitionFactory(organization=world.centre)
    person = PersonFactory(home_chapter=world.montreal)
    first = make_signature(petition, 1, person=person)
    signature_remove(actor=world.coordinator, signature=first)
    make_signature(petition, 2, person=person)  # signed again under another e-mail
    signature_restore(actor=world.coordinator, signature=first)
    first.refresh_from_db()
    assert first.status == Signature.Status.DUPLICATE
    assert signature_count(petition) == 1


def test_the_counts_agree_with_signature_count_with_and_without_confirmation(world):
    for double_opt_in in (False, True):
        petition = PetitionFactory(organization=world.centre, double_opt_in=double_opt_in)
        for n, status in enumerate(["counted", "counted", "pending", "unconfirmed",
                                    "duplicate", "removed"]):
            make_signature(petition, f"{double_opt_in}-{n}", status=status,
                           source="paper" if n == 1 else "online")
        figures = petition_figures(petition)
        annotated = with_signature_counts(type(petition).objects.filter(pk=petition.pk)).get()
        assert figures.total == annotated.signature_total == signature_count(petition)
        assert figures.by_status["removed"] == 1
        assert figures.by_source["paper"] == 1


def test_the_admin_opens_each_petition_model_and_lists_no_contact_details(world, admin_client):
    petition = PetitionFactory(organization=world.centre)
    petition.targets.add(TargetFactory())
    signature = make_signature(petition, 1, email="ana@example.org", phone="+15145550100")
    sign_on = SignOnFactory(organization=world.centre)
    endorsement = Endorsement.objects.create(
        sign_on=sign_on, token="t", org_name="Syndicat", name_key="syndicat",
        kind=Endorsement.Kind.UNION, city="Montréal", language="fr")
    delivery = Delivery.objects.create(petition=petition, target=petition.targets.get(),
                                       delivered_on=datetime.date(2026, 10, 1),
                                       signature_count=1)
    for obj in (petition, signature, sign_on, endorsement, delivery):
        meta = obj._meta
        for view, args in (("changelist", []), ("change", [obj.pk])):
            page = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)
            assert admin_client.get(page).status_code == 200, page
    listing = admin_client.get(reverse("admin:petitions_signature_changelist")).content
    assert b"ana@example.org" not in listing and b"5550100" not in listing
    # Signatures come in through the forms; changes go through the petition's page.
    assert admin_client.get(reverse("admin:petitions_signature_add")).status_code == 403
    assert admin_client.post(reverse("admin:petitions_signature_change", args=[signature.pk]),
                             {"status": "removed"}).status_code == 403
