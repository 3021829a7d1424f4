import pytest
from django.core.exceptions import ValidationError

from solidaire.core.models import Activity, AuditEntry
from solidaire.membership.models import CommitteeMembership
from solidaire.membership.services import committee_join
from solidaire.organizing.models import Organization
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import (
    Channel,
    ConsentEvent,
    ConsentMethod,
    EmailAddress,
    Person,
    PhoneNumber,
)
from solidaire.people.services import (
    consent_record,
    person_create,
    person_merge,
    person_upsert,
)

from tests.factories import CommitteeFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    """The organization whose list these people are on (the world's centre, if any)."""
    return (Organization.objects.filter(is_host=True).first()
            or OrganizationFactory(is_host=True))


def test_a_person_can_be_recorded_by_a_chosen_name_only(org):
    person = person_create(organization=org, chosen_name="Luz")
    assert person.chosen_name == "Luz"
    assert person.given_name == "" and person.family_name == ""
    assert not person.emails.exists() and not person.phones.exists()


def test_creating_a_person_writes_the_ledger(org):
    person = person_create(organization=org, chosen_name="Luz", email="luz@example.org")
    kinds = list(Activity.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == [PERSON_CREATED]


@pytest.mark.parametrize(
    "second_email", ["MARIA@example.org", "  maria@EXAMPLE.org  ", "Maria@Example.Org"],
)
def test_upsert_matches_the_same_e_mail_in_other_case_and_spacing(second_email, org):
    first = person_upsert(organization=org, chosen_name="Maria", email="maria@example.org")
    second = person_upsert(organization=org, chosen_name="Maria S.", email=second_email)
    assert first.created and not second.created
    assert second.person.pk == first.person.pk
    assert Person.objects.count() == 1
    assert EmailAddress.objects.get().address == "maria@example.org"


def test_upsert_matches_the_same_phone_written_four_ways(org):
    ways = ["514-555-0142", "(514) 555-0142", "+1 514 555 0142", "514.555.0142"]
    results = [person_upsert(organization=org, chosen_name="Jun", phone=way) for way in ways]
    assert [r.created for r in results] == [True, False, False, False]
    assert Person.objects.count() == 1
    assert list(PhoneNumber.objects.values_list("number", flat=True)) == ["+15145550142"]


def test_upsert_from_a_form_adds_a_new_contact_point_as_pending_never_primary(org):
    person_upsert(organization=org, chosen_name="Jun", email="jun@example.org")
    result = person_upsert(organization=org, chosen_name="Jun", email="jun@example.org",
                           phone="438 555 0101")
    assert not result.created
    phone = result.person.phones.get()
    assert phone.number == "+14385550101"
    assert phone.pending and not phone.is_primary


def test_upsert_never_overwrites_a_value_with_an_empty_one(org):
    person_upsert(organization=org, chosen_name="Jun", email="jun@example.org",
                  postal_code="H2X 1Y4", sector="warehousing")
    result = person_upsert(organization=org, chosen_name="Jun", email="jun@example.org",
                           postal_code="", sector="")
    result.person.refresh_from_db()
    assert result.person.postal_code == "H2X 1Y4"
    assert result.person.sector == "warehousing"


def test_upsert_with_an_invalid_phone_raises_a_validation_error_and_saves_nothing(org):
    with pytest.raises(ValidationError):
        person_upsert(organization=org, chosen_name="X", phone="not a phone")
    assert Person.objects.count() == 0


def test_consent_history_records_when_how_and_from_what(org):
    person = person_create(organization=org, chosen_name="Rosa")
    consent_record(person=person, channel=Channel.SMS, granted=True,
                   method=ConsentMethod.PAPER, source="sign-up sheet 12")
    consent_record(person=person, channel=Channel.SMS, granted=False,
                   method=ConsentMethod.VERBAL, source="phone call")
    person.refresh_from_db()
    assert person.consent_sms is False
    history = list(person.consent_events.order_by("at", "id").values_list(
        "granted", "method", "source"))
    assert history == [(True, "paper", "sign-up sheet 12"), (False, "verbal", "phone call")]


def test_merge_keeps_every_contact_point_consent_tag_membership_and_activity(world, org):
    keep = person_create(organization=org, chosen_name="Maria Santos", email="maria@example.org",
                         tags=["warehouse"], home_chapter=world.montreal)
    remove = person_create(organization=org, chosen_name="María", email="msantos@example.org",
                           phone="514 555 0177", tags=["women"], other_languages=["es"],
                           sector="warehousing")
    consent_record(person=remove, channel=Channel.EMAIL, granted=True,
                   method=ConsentMethod.WEB_FORM, source="petition")
    committee = CommitteeFactory(organization=world.centre)
    committee_join(committee=committee, person=remove)
    activities_before = Activity.objects.filter(person__in=[keep, remove]).count()

    merged = person_merge(keep=keep, remove=remove)

    assert not Person.objects.filter(pk=remove.pk).exists()
    assert set(merged.emails.values_list("address", flat=True)) == {
        "maria@example.org", "msantos@example.org"}
    assert merged.emails.filter(is_primary=True).get().address == "maria@example.org"
    assert list(merged.phones.values_list("number", flat=True)) == ["+15145550177"]
    assert set(merged.tags.values_list("name", flat=True)) == {"warehouse", "women"}
    assert set(merged.other_languages.values_list("code", flat=True)) == {"es"}
    assert merged.sector == "warehousing"  # blank on keep, filled from remove
    assert merged.home_chapter == world.montreal
    assert merged.consent_email is True
    assert ConsentEvent.objects.filter(person=merged).count() == 1
    assert CommitteeMembership.objects.filter(person=merged, committee=committee).exists()
    assert Activity.objects.filter(person=merged).count() == activities_before
    assert AuditEntry.objects.filter(action="solidaire.person.merged").count() == 1


def test_merge_with_the_same_phone_on_both_keeps_one_row(org):
    a = person_create(organization=org, chosen_name="A", phone="514 555 0150")
    b = person_create(organization=org, chosen_name="B", phone="(514) 555-0150")
    merged = person_merge(keep=a, remove=b)
    assert merged.phones.count() == 1


def test_merge_refuses_a_person_with_itself(org):
    a = person_create(organization=org, chosen_name="A")
    with pytest.raises(ValueError):
        person_merge(keep=a, remove=a)
