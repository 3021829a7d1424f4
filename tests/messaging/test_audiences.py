"""Audiences: each filter of a definition, evaluated in the database within the scope."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from solidaire.core.access import scope_for
from solidaire.core.models import Activity
from solidaire.events.activities import EVENT_ATTENDED
from solidaire.membership.models import CommitteeMembership
from solidaire.messaging.activities import CALL_REACHED
from solidaire.messaging.audiences import audience_count, audience_people, definition_clean
from solidaire.messaging.models import Audience
from solidaire.messaging.selectors import audiences_visible_to
from solidaire.messaging.services import audience_save
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import SpokenLanguage, Tag
from solidaire.people.services import status_set
from solidaire.people.status_cliff import current_month, month_add
from solidaire.petitions.activities import PETITION_SIGNED

from tests.factories import CampaignFactory, CommitteeFactory, PersonFactory, PetitionFactory


def names(definition, user):
    return set(audience_people(definition, user).values_list("chosen_name", flat=True))


def at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def day(days_ago: int) -> str:
    return timezone.localdate(at(days_ago)).isoformat()


def ledger(person, kind, *, days_ago=1, campaign=None, obj=None):
    return Activity.objects.create(
        person=person, kind=kind, campaign=campaign, occurred_at=at(days_ago),
        object_type=ContentType.objects.get_for_model(obj) if obj else None,
        object_id=obj.pk if obj else None,
    )


def test_an_empty_definition_is_everyone_in_scope(world):
    assert names({}, world.coordinator) == {
        "Ana Montréal", "Bea Côte-des-Neiges", "Carlos Rimouski", "Eve Sans-chapitre"}
    assert names({}, world.montreal_organizer) == {"Ana Montréal", "Bea Côte-des-Neiges"}
    assert names({}, world.volunteer) == set()


def test_montreal_organizer_counts_only_montreal_scope_people(world):
    everything = {"chapters": [world.quebec.pk, world.bsl.pk, world.toronto.pk]}
    assert audience_count(everything, world.montreal_organizer) == 2
    assert audience_count({"chapters": [world.bsl.pk]}, world.montreal_organizer) == 0
    assert audience_count({"chapters": [world.bsl.pk]}, world.coordinator) == 1


def test_chapters_include_the_chapters_below(world):
    assert names({"chapters": [world.montreal.pk]}, world.coordinator) == {
        "Ana Montréal", "Bea Côte-des-Neiges"}
    assert names({"chapters": [world.cdn.pk]}, world.coordinator) == {"Bea Côte-des-Neiges"}
    assert names({"chapters": [world.cdn.pk, world.bsl.pk]}, world.coordinator) == {
        "Bea Côte-des-Neiges", "Carlos Rimouski"}


def test_languages_match_preferred_or_spoken(world):
    world.in_montreal.preferred_language = "es"
    world.in_montreal.save(update_fields=["preferred_language"])
    SpokenLanguage.objects.create(person=world.in_bsl, code="es")
    assert names({"languages": ["es"]}, world.coordinator) == {"Ana Montréal",
                                                               "Carlos Rimouski"}


def test_tags_match_any_of_them(world):
    union, tenant = Tag.objects.create(name="union"), Tag.objects.create(name="tenant")
    world.in_cdn.tags.add(union)
    world.in_bsl.tags.add(tenant)
    assert names({"tags": [union.pk]}, world.coordinator) == {"Bea Côte-des-Neiges"}
    assert names({"tags": [union.pk, tenant.pk]}, world.coordinator) == {
        "Bea Côte-des-Neiges", "Carlos Rimouski"}


def test_committees_match_their_members(world):
    committee = CommitteeFactory(organization=world.centre, chapter=world.montreal)
    CommitteeMembership.objects.create(committee=committee, person=world.in_montreal)
    assert names({"committees": [committee.pk]}, world.coordinator) == {"Ana Montréal"}


def test_consent_requires_every_channel_chosen(world):
    world.in_montreal.consent_email = world.in_montreal.consent_sms = True
    world.in_montreal.save()
    world.in_cdn.consent_email = True
    world.in_cdn.save()
    assert names({"consent": ["email"]}, world.coordinator) == {"Ana Montréal",
                                                                "Bea Côte-des-Neiges"}
    assert names({"consent": ["email", "sms"]}, world.coordinator) == {"Ana Montréal"}


def test_did_and_did_not_with_a_campaign(world):
    campaign = CampaignFactory(organization=world.centre)
    other = CampaignFactory(organization=world.centre)
    ledger(world.in_montreal, PETITION_SIGNED, campaign=campaign)
    ledger(world.in_cdn, PETITION_SIGNED, campaign=other)
    ledger(world.in_bsl, EVENT_ATTENDED, campaign=campaign)
    signed = {"kind": PETITION_SIGNED, "campaign": campaign.pk}
    assert names({"did": [signed]}, world.coordinator) == {"Ana Montréal"}
    assert names({"did": [{"campaign": campaign.pk}]}, world.coordinator) == {
        "Ana Montréal", "Carlos Rimouski"}
    assert names({"did_not": [signed]}, world.coordinator) == {
        "Bea Côte-des-Neiges", "Carlos Rimouski", "Eve Sans-chapitre"}
    # Attended in the campaign but did not sign in it.
    assert names({"did": [{"kind": EVENT_ATTENDED, "campaign": campaign.pk}],
                  "did_not": [signed]}, world.coordinator) == {"Carlos Rimouski"}


def test_did_in_a_period_and_on_an_object(world):
    petition = PetitionFactory(organization=world.centre)
    ledger(world.in_montreal, PETITION_SIGNED, days_ago=40, obj=petition)
    ledger(world.in_cdn, PETITION_SIGNED, days_ago=2)
    recent = {"kind": PETITION_SIGNED, "since": day(10)}
    assert names({"did": [recent]}, world.coordinator) == {"Bea Côte-des-Neiges"}
    older = {"kind": PETITION_SIGNED, "until": day(30)}
    assert names({"did": [older]}, world.coordinator) == {"Ana Montréal"}
    on_it = {"object_type": "petitions.petition", "object_id": petition.pk}
    assert names({"did": [on_it]}, world.coordinator) == {"Ana Montréal"}


def test_number_of_actions_in_a_period(world):
    for days_ago in (1, 2, 3):
        ledger(world.in_montreal, PETITION_SIGNED, days_ago=days_ago)
    ledger(world.in_cdn, EVENT_ATTENDED, days_ago=5)
    ledger(world.in_cdn, EVENT_ATTENDED, days_ago=200)  # outside the period
    # Being added or called is not an action of theirs.
    ledger(world.in_bsl, PERSON_CREATED, days_ago=1)
    ledger(world.in_bsl, CALL_REACHED, days_ago=1)
    period = {"since": day(90), "until": day(0)}
    assert names({"actions": {"min": 2, **period}}, world.coordinator) == {"Ana Montréal"}
    assert names({"actions": {"min": 1, "max": 1, **period}}, world.coordinator) == {
        "Bea Côte-des-Neiges"}
    # At most one: those with none count too.
    assert names({"actions": {"max": 1, **period}}, world.coordinator) == {
        "Bea Côte-des-Neiges", "Carlos Rimouski", "Eve Sans-chapitre"}
    assert names({"actions": {"min": 0, "max": 0, **period}}, world.coordinator) == {
        "Carlos Rimouski", "Eve Sans-chapitre"}


def test_last_activity_after_and_before(world):
    ledger(world.in_montreal, PETITION_SIGNED, days_ago=3)
    ledger(world.in_cdn, PETITION_SIGNED, days_ago=100)
    ledger(world.in_bsl, PETITION_SIGNED, days_ago=100)
    ledger(world.in_bsl, EVENT_ATTENDED, days_ago=2)
    assert names({"last_activity": {"after": day(30)}}, world.coordinator) == {
        "Ana Montréal", "Carlos Rimouski"}
    # Lapsed: nothing since a month ago (someone never active counts too).
    assert names({"last_activity": {"before": day(30)}}, world.coordinator) == {
        "Bea Côte-des-Neiges", "Eve Sans-chapitre"}
    assert names({"last_activity": {"after": day(150), "before": day(30)}},
                 world.coordinator) == {"Bea Côte-des-Neiges"}


def test_permit_expiry_only_for_status_access_accounts(world, own_keys):
    role = world.coordinator.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    this_month = current_month()
    status_set(person=world.in_montreal, actor=world.coordinator,
               category="closed_work_permit", expiry_month=month_add(this_month, 1))
    status_set(person=world.in_cdn, actor=world.coordinator,
               category="study_permit", expiry_month=month_add(this_month, 8))
    window = {"permit_expiry": {"from": this_month.strftime("%Y-%m"),
                                "to": month_add(this_month, 3).strftime("%Y-%m")}}
    assert names(window, world.coordinator) == {"Ana Montréal"}
    # Ignored for an account without status access: nothing learned about status.
    assert names(window, world.montreal_organizer) == {"Ana Montréal", "Bea Côte-des-Neiges"}


def test_a_saved_audience_is_evaluated_again_each_time(world):
    audience = audience_save(name="Montréal", organization=world.centre,
                             chapter=world.montreal,
                             definition={"chapters": [world.montreal.pk]},
                             actor=world.montreal_organizer)
    assert audience_count(audience.definition, world.montreal_organizer) == 2
    PersonFactory(chosen_name="Fay Nouvelle", home_chapter=world.cdn)
    audience.refresh_from_db()
    assert names(audience.definition, world.montreal_organizer) == {
        "Ana Montréal", "Bea Côte-des-Neiges", "Fay Nouvelle"}


def test_the_count_is_one_sql_query_after_the_chapters(world, django_assert_num_queries):
    campaign = CampaignFactory(organization=world.centre)
    tag = Tag.objects.create(name="union")
    definition = {
        "chapters": [world.montreal.pk], "languages": ["fr"], "tags": [tag.pk],
        "committees": [1], "consent": ["email"],
        "did": [{"kind": PETITION_SIGNED, "campaign": campaign.pk,
                 "object_type": "petitions.petition", "since": day(30)}],
        "did_not": [{"kind": EVENT_ATTENDED}],
        "actions": {"min": 1, "max": 5, "since": day(90)},
        "last_activity": {"after": day(60), "before": day(1)},
    }
    scope_for(world.montreal_organizer)  # the account's scope, read once per request
    # Content types are read once per process (Django's cache), whatever ran before.
    ContentType.objects.get_by_natural_key("petitions", "petition")
    # The chosen chapters (with those below) are read first, as ids; then one query.
    with django_assert_num_queries(2):
        audience_count(definition, world.montreal_organizer)
    del definition["chapters"]
    with django_assert_num_queries(1):
        audience_count(definition, world.montreal_organizer)


@pytest.mark.parametrize("definition", [
    {"colour": ["red"]},
    {"chapters": "montreal"},
    {"languages": ["xx"]},
    {"consent": ["pigeon"]},
    {"did": [{"kind": "nonsense"}]},
    {"did": [{"since": "2026-13-01"}]},
    {"did": [{"when": "today"}]},
    {"actions": {"min": 5, "max": 2}},
    {"actions": {"min": -1}},
    {"last_activity": {"after": "2026-05-01", "before": "2026-04-01"}},
    {"permit_expiry": {"from": "2026-5"}},
    ["not", "a", "dict"],
])
def test_a_bad_definition_is_refused_with_a_message(world, definition):
    with translation.override("en"), pytest.raises(ValueError) as error:
        audience_people(definition, world.coordinator)
    assert str(error.value)


def test_definitions_are_written_one_way():
    assert definition_clean({"chapters": ["3", 1, 3], "did": [{"kind": ""}],
                             "actions": {"min": "2"}}) == {
        "chapters": [1, 3],
        "did": [{"kind": "", "campaign": None, "object_type": "", "object_id": None,
                 "since": "", "until": ""}],
        "actions": {"min": 2, "max": None, "since": "", "until": ""},
    }


def test_audiences_visible_by_chapter_and_organization(world):
    mtl = Audience.objects.create(name="mtl", organization=world.centre, chapter=world.montreal)
    bsl = Audience.objects.create(name="bsl", organization=world.centre, chapter=world.bsl)
    whole = Audience.objects.create(name="cti", organization=world.centre)
    msu = Audience.objects.create(name="msu", organization=world.other)
    assert set(audiences_visible_to(world.montreal_organizer)) == {mtl, whole}
    assert set(audiences_visible_to(world.coordinator)) == {mtl, bsl, whole}
    assert not audiences_visible_to(world.volunteer).exists()
    assert msu not in audiences_visible_to(world.rimouski_organizer)
