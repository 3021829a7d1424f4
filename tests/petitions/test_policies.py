"""Who may edit petitions and sign-on statements, and the services refusing the others
(decision 0056)."""

import datetime

import pytest

from solidaire.core.access import NotAllowed
from solidaire.core.models import AuditEntry
from solidaire.petitions.delivery import PACKET_DOWNLOADED, delivery_record, packet_download_record
from solidaire.petitions.editing import (
    petition_create,
    petition_update,
    signature_remove,
    signature_restore,
)
from solidaire.petitions.models import Delivery, Endorsement, Petition, Signature, SignOn
from solidaire.petitions.selectors import (
    petition_may_edit,
    petitions_deliverable_by,
    petitions_editable_by,
    signon_may_edit,
    signons_editable_by,
)
from solidaire.petitions.signons import endorsement_decide, signon_create, signon_update

from tests.factories import PetitionFactory, SignOnFactory, TargetFactory
from tests.policies import EDITS, accounts, editable_names, placements


def _one_each(world, factory):
    items = {p.name: factory(organization=p.organization, chapter=p.chapter)
             for p in placements(world)}
    return items, {item.pk: name for name, item in items.items()}


@pytest.mark.parametrize("account", sorted(EDITS))
def test_petitions_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items, by_pk = _one_each(world, PetitionFactory)
    assert editable_names(petitions_editable_by(user), by_pk) == EDITS[account]
    for name, petition in items.items():
        assert petition_may_edit(user, petition) is (name in EDITS[account])


@pytest.mark.parametrize("account", sorted(EDITS))
def test_signons_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items, by_pk = _one_each(world, SignOnFactory)
    assert editable_names(signons_editable_by(user), by_pk) == EDITS[account]
    for name, sign_on in items.items():
        assert signon_may_edit(user, sign_on) is (name in EDITS[account])


def test_a_chapter_organizer_records_deliveries_of_the_organization_wide_petitions(world):
    accounts(world)
    _items, by_pk = _one_each(world, PetitionFactory)
    names = editable_names(petitions_deliverable_by(world.montreal_organizer), by_pk)
    assert names == {"centre", "montreal", "cdn"}  # all it sees, organization-wide too
    assert not petitions_deliverable_by(world.volunteer).exists()
    assert not petitions_deliverable_by(world.no_role).exists()


def test_petition_create_refuses_a_chapter_out_of_scope_and_the_whole_organization(world):
    for chapter in (world.bsl, None):
        with pytest.raises(NotAllowed):
            petition_create(actor=world.montreal_organizer, organization=world.centre,
                            chapter=chapter, slug="refused", title={"fr": "Non"})
    assert not Petition.objects.exists()
    petition = petition_create(actor=world.montreal_organizer, organization=world.centre,
                               chapter=world.cdn, slug="ok", title={"fr": "Oui"})
    assert petition.chapter == world.cdn


def test_petition_create_refuses_a_volunteer_and_an_account_without_role(world):
    accounts(world)
    for actor in (world.volunteer, world.no_role, None):
        with pytest.raises(NotAllowed):
            petition_create(actor=actor, organization=world.centre, chapter=world.montreal,
                            slug="refused", title={"fr": "Non"})
    assert not Petition.objects.exists()


def test_petition_update_refuses_who_may_not_edit_and_changes_nothing(world):
    accounts(world)
    petition = PetitionFactory(organization=world.centre, goal=100)
    for actor in (world.montreal_organizer, world.other_coordinator, world.volunteer):
        with pytest.raises(NotAllowed):
            petition_update(actor=actor, petition=petition, goal=5)
    petition.refresh_from_db()
    assert petition.goal == 100
    assert petition_update(actor=world.coordinator, petition=petition, goal=5).goal == 5


def test_petition_update_refuses_moving_a_petition_out_of_the_organizers_scope(world):
    petition = PetitionFactory(organization=world.centre, chapter=world.montreal)
    for chapter in (world.bsl, None):
        with pytest.raises(NotAllowed):
            petition_update(actor=world.montreal_organizer, petition=petition, chapter=chapter)
    petition.refresh_from_db()
    assert petition.chapter == world.montreal


def test_removing_and_restoring_a_signature_is_editing_the_petition(world):
    petition = PetitionFactory(organization=world.centre, chapter=world.bsl)
    signature = Signature.objects.create(petition=petition, name="Spam", token="t1",
                                         contact_key="k1", language="fr",
                                         status=Signature.Status.COUNTED)
    with pytest.raises(NotAllowed):
        signature_remove(actor=world.montreal_organizer, signature=signature)
    signature.refresh_from_db()
    assert signature.status == Signature.Status.COUNTED
    signature_remove(actor=world.rimouski_organizer, signature=signature)
    with pytest.raises(NotAllowed):
        signature_restore(actor=world.volunteer, signature=signature)
    signature.refresh_from_db()
    assert signature.status == Signature.Status.REMOVED


def test_signon_services_refuse_who_may_not_edit_and_let_the_application_through(world):
    accounts(world)
    with pytest.raises(NotAllowed):
        signon_create(slug="no", title={"fr": "Non"}, organization=world.centre,
                      actor=world.montreal_organizer)
    sign_on = signon_create(slug="app", title={"fr": "Oui"}, organization=world.centre)
    for actor in (world.montreal_organizer, world.other_coordinator, world.no_role):
        with pytest.raises(NotAllowed):
            signon_update(sign_on=sign_on, actor=actor, title={"fr": "Changé"})
    assert SignOn.objects.get(pk=sign_on.pk).title == {"fr": "Oui"}
    signon_update(sign_on=sign_on, actor=world.coordinator, title={"fr": "Changé"})


def test_deciding_on_an_endorsement_is_editing_the_statement(world):
    sign_on = SignOnFactory(organization=world.centre, chapter=world.montreal)
    endorsement = Endorsement.objects.create(
        sign_on=sign_on, token="e1", org_name="Union locale", name_key="union locale",
        kind=Endorsement.Kind.UNION, city="Montréal", language="fr")
    for actor in (world.rimouski_organizer, world.volunteer):
        with pytest.raises(NotAllowed):
            endorsement_decide(actor=actor, endorsement=endorsement, approve=True)
    assert Endorsement.objects.get(pk=endorsement.pk).status == Endorsement.Status.PENDING
    endorsement_decide(actor=world.montreal_organizer, endorsement=endorsement, approve=True)
    assert Endorsement.objects.get(pk=endorsement.pk).status == Endorsement.Status.APPROVED


def test_delivery_record_refuses_a_volunteer_and_another_organization(world):
    accounts(world)
    petition = PetitionFactory(organization=world.centre)
    target = TargetFactory()
    for actor in (world.volunteer, world.other_coordinator):
        with pytest.raises(NotAllowed):
            delivery_record(actor=actor, petition=petition, target=target,
                            delivered_on=datetime.date(2026, 5, 1), signature_count=3)
    assert not Delivery.objects.exists()
    delivery_record(actor=world.montreal_organizer, petition=petition, target=target,
                    delivered_on=datetime.date(2026, 5, 1), signature_count=3)
    assert Delivery.objects.count() == 1


def test_packets_are_downloaded_by_who_records_deliveries(world):
    accounts(world)
    petition = PetitionFactory(organization=world.centre)
    target = TargetFactory()
    for actor in (world.volunteer, world.other_coordinator, world.no_role):
        with pytest.raises(NotAllowed):
            packet_download_record(actor=actor, petition=petition, target=target,
                                   file_format="pdf", count=3)
    assert not AuditEntry.objects.filter(action=PACKET_DOWNLOADED).exists()
    packet_download_record(actor=world.montreal_organizer, petition=petition, target=target,
                           file_format="pdf", count=3)
    assert AuditEntry.objects.filter(action=PACKET_DOWNLOADED).count() == 1
