"""Recording signatures in batches gives what recording them one at a time gives.

The same list, the same signatures, in two organizations: one recorded by the set-based
path (decision 0053), the other one at a time by `person_upsert`. People, contact
points, suggestions, consent, ledger, engagement, outcomes and e-mails must be the same.
"""

import pytest

from solidaire.analytics.engagement import engagement_check
from solidaire.core.models import Activity, OutboxEmail
from solidaire.people.models import ConsentEvent, Person, Suggestion
from solidaire.people.services import person_create, person_email_add
from solidaire.petitions.models import Signature
from solidaire.petitions.services import signature_submit, signatures_process

from tests.factories import OrganizationFactory, PetitionFactory

SIGNERS = [
    # (petition, key, fields): new signers, with and without e-mail
    ("open", "new", {"name": "Nadia Benali", "email": "nadia@example.org",
                     "consent_email": True, "postal_code": "H2X 1Y4"}),
    ("open", "phone-only", {"name": "Jun Santos", "email": "", "phone": "+15145550170",
                            "consent_sms": True, "language": "en"}),
    # a member signing as recorded, on both petitions
    ("open", "member", {"name": "Marie Tremblay", "email": "marie@example.org",
                        "consent_email": True, "consent_sms": True,
                        "phone": "+15145550171"}),
    ("confirm", "member-dbl", {"name": "Marie Tremblay", "email": "marie@example.org"}),
    # the same member again on the same petition, under her phone only: a duplicate
    ("open", "member-again", {"name": "Marie Tremblay", "email": "",
                              "phone": "+15145550171"}),
    # a member typing another name: kept as a suggestion, never written over
    ("open", "renamed", {"name": "Someone Else", "email": "ahmed@example.org"}),
    # a member's phone with a new address: the address waits for confirmation
    ("open", "new-address", {"name": "Luis Gómez", "email": "luis.new@example.org",
                             "phone": "+15145550172", "consent_email": True}),
    # a member whose address waits for confirmation: nothing is sent to it yet
    ("open", "pending", {"name": "Kim Ng", "email": "kim.pending@example.org",
                         "consent_email": True}),
    # one new signer on both petitions: one person
    ("open", "twice-1", {"name": "Oumar Sy", "email": "oumar@example.org"}),
    ("confirm", "twice-2", {"name": "Oumar Sy", "email": "oumar@example.org"}),
    # a signer sharing with co-sponsors, and a postal code the record refuses
    ("open", "share", {"name": "Ana Lima", "email": "ana@example.org",
                       "share_with_cosponsors": True}),
    ("open", "bad-postal", {"name": "Bad Postal", "email": "bad@example.org",
                            "postal_code": "not a code"}),
]


def world(slug: str):
    organization = OrganizationFactory(slug=slug, name=f"Centre {slug}")
    petitions = {
        "open": PetitionFactory(organization=organization, slug=f"{slug}-open"),
        "confirm": PetitionFactory(organization=organization, slug=f"{slug}-confirm",
                                   double_opt_in=True),
    }
    person_create(chosen_name="Marie Tremblay", organization=organization,
                  email="marie@example.org", phone="+15145550171", preferred_language="fr")
    person_create(chosen_name="Ahmed Diallo", organization=organization,
                  email="ahmed@example.org", preferred_language="fr")
    person_create(chosen_name="Luis Gómez", organization=organization,
                  phone="+15145550172", preferred_language="fr")
    kim = person_create(chosen_name="Kim Ng", organization=organization,
                        email="kim@example.org", preferred_language="fr")
    kim_pending = person_email_add(person=kim, email="kim.pending@example.org")
    type(kim_pending).objects.filter(pk=kim_pending.pk).update(pending=True)
    for petition, key, fields in SIGNERS:
        values = {"language": "fr", **fields}
        signature_submit(petition=petitions[petition], key=f"{slug}-{key}", **values)
    return organization


def snapshot(organization) -> dict:
    """What organizers and members see, without ids (which differ between the two)."""
    people = {}
    for person in Person.objects.filter(organization=organization).prefetch_related(
            "emails", "phones"):
        key = person.chosen_name
        people[key] = {
            "language": person.preferred_language, "postal": person.postal_code,
            "source": (person.source, person.source_detail.split("-", 1)[-1]),
            "consent": (person.consent_email, person.consent_sms, person.consent_phone),
            "emails": sorted((e.address, e.is_primary, e.pending) for e in person.emails.all()),
            "phones": sorted((p.number, p.is_primary, p.pending) for p in person.phones.all()),
            "suggestions": sorted(Suggestion.objects.filter(person=person)
                                  .values_list("field", "value")),
            "consent events": sorted(ConsentEvent.objects.filter(person=person).values_list(
                "channel", "granted", "method")),
            "ledger": sorted(Activity.objects.filter(person=person).values_list("kind",
                                                                                  "campaign")),
        }
    signatures = sorted(
        (s.token.split("-", 1)[1], s.status, s.person.chosen_name if s.person else None,
         s.email_address.address if s.email_address else None, s.email, s.phone)
        for s in Signature.objects.filter(petition__organization=organization)
        .select_related("person", "email_address"))
    addresses = {address for person in people.values() for address, *_ in person["emails"]}
    emails = sorted(OutboxEmail.objects.filter(to__in=addresses).values_list(
        "to", "kind", "status", "language"))
    return {"people": people, "signatures": signatures, "emails": emails}


@pytest.mark.django_db
def test_a_batch_records_what_one_at_a_time_records(settings):
    settings.PETITION_RECORD_IN_BATCHES = False
    one_by_one = world("one")
    signatures_process()
    expected = snapshot(one_by_one)
    OutboxEmail.objects.all().delete()  # the e-mails of the second world, alone

    settings.PETITION_RECORD_IN_BATCHES = True
    batched = world("two")
    signatures_process()
    got = snapshot(batched)

    assert got["signatures"] == expected["signatures"]
    assert got["people"] == expected["people"]
    assert got["emails"] == expected["emails"]
    assert engagement_check() == []
    # The snapshot is not empty: what the two paths agree on is the whole story.
    statuses = {key: status for key, status, *_ in got["signatures"]}
    assert statuses == {
        "new": "counted", "phone-only": "counted", "member": "counted",
        "member-dbl": "unconfirmed", "member-again": "duplicate", "renamed": "counted",
        "new-address": "counted", "pending": "counted", "twice-1": "counted",
        "twice-2": "unconfirmed", "share": "counted", "bad-postal": "pending",
    }
    assert got["people"]["Ahmed Diallo"]["suggestions"] == [("chosen_name", "Someone Else")]
    assert ("luis.new@example.org", False, True) in got["people"]["Luis Gómez"]["emails"]


@pytest.mark.django_db
def test_most_of_a_batch_takes_the_set_based_path(settings, django_assert_max_num_queries):
    """Two hundred new signers are recorded in a few dozen queries, not hundreds."""
    organization = OrganizationFactory()
    petition = PetitionFactory(organization=organization)
    for i in range(200):
        signature_submit(petition=petition, key=f"k{i}", name=f"Signer {i}",
                         email=f"signer{i}@example.org", language="fr" if i % 2 else "en",
                         consent_email=True)
    with django_assert_max_num_queries(40):  # a fixed few per batch, not a few per signer
        assert signatures_process() == 200
    assert Person.objects.filter(organization=organization).count() == 200
    assert Activity.objects.filter(kind="petition.signed").count() == 200
    assert set(OutboxEmail.objects.values_list("language", flat=True)) == {"fr", "en"}
    assert engagement_check() == []


@pytest.mark.django_db
def test_a_stopping_worker_hands_the_signature_job_back_with_nothing_half_done():
    from solidaire.core import worker
    from solidaire.petitions.tasks import signatures_process_task

    petition = PetitionFactory()
    signature_submit(petition=petition, key="k", name="Amina Diallo",
                     email="amina@example.org", language="fr")
    worker._stopping.set()
    try:
        with pytest.raises(worker.JobHandedBack):
            signatures_process_task.call()
    finally:
        worker._stopping.clear()
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert signatures_process_task.call() == 1  # the next worker records it
