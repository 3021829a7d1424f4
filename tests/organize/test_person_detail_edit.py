"""A person's page and the edit form: scope, contact points, consent history."""

import pytest

from solidaire.core.services import activity_record
from solidaire.membership.activities import COMMITTEE_LEFT
from solidaire.membership.services import committee_join
from solidaire.people.models import ConsentEvent, EmailAddress, Person, PhoneNumber
from solidaire.people.services import consent_record

from tests.factories import CampaignFactory, CommitteeFactory, EmailFactory, PhoneFactory
from tests.organize.conftest import translated, url


def test_the_page_shows_contact_points_consent_history_committees_and_activity(
    world, as_user,
):
    person = world.in_montreal
    EmailFactory(person=person, address="ana@example.org")
    EmailFactory(person=person, address="ana.work@example.org", is_primary=False)
    PhoneFactory(person=person, number="+15145550123")
    consent_record(person=person, channel="sms", granted=True, method="paper",
                   source="sign-up sheet")
    consent_record(person=person, channel="sms", granted=False, method="verbal")
    committee = CommitteeFactory(organization=world.centre, chapter=world.montreal,
                                 name="Housing")
    committee_join(committee=committee, person=person, role="chair")
    campaign = CampaignFactory(organization=world.centre,
                               title={"en": "Status for all", "fr": "Statut pour tous"})
    activity_record(person=person, kind=COMMITTEE_LEFT, campaign=campaign)
    html = as_user(world.montreal_organizer).get(url("person_detail", person.pk)).content.decode()
    assert "ana@example.org" in html
    assert "ana.work@example.org" in html
    assert "primary" in html
    assert "(514) 555-0123" in html
    assert "sign-up sheet" in html
    assert "Signed on paper" in html and "Said so to an organizer" in html
    assert "withdrawn" in html
    assert "Housing" in html and "Chair" in html
    assert "Joined a committee" in html
    assert "Status for all" in html
    assert f'href="{url("person_edit", person.pk)}"' in html
    assert f'href="{url("person_merge", person.pk)}"' in html


@pytest.mark.parametrize("page", ["person_detail", "person_edit", "person_merge"])
def test_montreal_gets_a_404_for_a_bas_saint_laurent_person(world, as_user, page):
    client = as_user(world.montreal_organizer)
    assert client.get(url(page, world.in_bsl.pk)).status_code == 404
    assert client.get(url(page, world.in_toronto.pk)).status_code == 404
    assert client.get(url(page, world.unassigned.pk)).status_code == 404
    assert client.get(url(page, world.in_cdn.pk)).status_code == 200


def test_an_out_of_scope_edit_post_changes_nothing(world, as_user):
    response = as_user(world.montreal_organizer).post(
        url("person_edit", world.in_bsl.pk),
        {"chosen_name": "Hacked", "preferred_language": "fr", "home_chapter": "montreal"},
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=world.in_bsl.pk).chosen_name == "Carlos Rimouski"


def edit_data(person, **overrides):
    data = {
        "chosen_name": person.chosen_name, "given_name": "", "family_name": "",
        "new_email": "", "new_phone": "", "preferred_language": person.preferred_language,
        "postal_code": "", "home_chapter": person.home_chapter.slug, "sector": "",
        "workplace": "", "tags": "", "consent_method": "",
    }
    data.update(overrides)
    return data


def test_the_edit_form_is_prefilled(world, as_user):
    person = world.in_montreal
    EmailFactory(person=person, address="ana@example.org")
    person.sector = "caregiving"
    person.save()
    html = as_user(world.montreal_organizer).get(url("person_edit", person.pk)).content.decode()
    assert 'value="Ana Montréal"' in html
    assert 'value="caregiving"' in html
    assert '<option value="montreal" selected>' in html
    assert "ana@example.org" in html


def test_editing_adds_an_email_and_phone_and_keeps_the_old_ones(world, as_user):
    person = world.in_montreal
    EmailFactory(person=person, address="ana@example.org")
    PhoneFactory(person=person, number="+15145550123")
    response = as_user(world.montreal_organizer).post(url("person_edit", person.pk), edit_data(
        person, chosen_name="Ana M.", new_email="ANA.new@example.org", new_email_primary="on",
        new_phone="438 555 0100", tags="leader", home_chapter="cote-des-neiges",
    ))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.chosen_name == "Ana M."
    assert person.home_chapter == world.cdn
    assert list(person.emails.order_by("id").values_list("address", "is_primary")) == [
        ("ana@example.org", False), ("ana.new@example.org", True)]
    assert list(person.phones.order_by("id").values_list("number", "is_primary")) == [
        ("+15145550123", True), ("+14385550100", False)]
    assert list(person.tags.values_list("name", flat=True)) == ["leader"]


def test_choosing_another_primary_email(world, as_user):
    person = world.in_montreal
    EmailFactory(person=person, address="ana@example.org")
    EmailFactory(person=person, address="ana.work@example.org", is_primary=False)
    response = as_user(world.montreal_organizer).post(
        url("person_edit", person.pk),
        edit_data(person, primary_email="ana.work@example.org"),
    )
    assert response.status_code == 302
    assert EmailAddress.objects.get(is_primary=True, person=person).address == (
        "ana.work@example.org")


def test_consent_changes_are_recorded_only_when_they_change(world, as_user):
    person = world.in_montreal
    consent_record(person=person, channel="email", granted=True, method="paper")
    client = as_user(world.montreal_organizer)
    # Unchanged consent: no new event, and no need to say how.
    response = client.post(url("person_edit", person.pk),
                           edit_data(person, consent_email="on"))
    assert response.status_code == 302
    assert ConsentEvent.objects.filter(person=person).count() == 1
    # Withdrawn by e-mail, given for calls: two events.
    response = client.post(url("person_edit", person.pk),
                           edit_data(person, consent_phone="on", consent_method="verbal"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.consent_email, person.consent_sms, person.consent_phone) == (
        False, False, True)
    events = ConsentEvent.objects.filter(person=person).order_by("id")
    assert [(e.channel, e.granted, e.method, e.source) for e in events][1:] == [
        ("email", False, "verbal", "organizer form"),
        ("phone", True, "verbal", "organizer form"),
    ]


BAD_EDITS = [
    ("chosen_name", "", "This field is required.", {}),
    ("new_email", "ana@@example", "Enter a valid email address.", {}),
    ("new_phone", "12", "“%(value)s” is not a valid phone number. Include the area code.",
     {"value": "12"}),
    ("postal_code", "H2X", "“%(value)s” is not a Canadian postal code (for example H2X 1Y4).",
     {"value": "H2X"}),
    ("home_chapter", "", "This field is required.", {}),
    ("consent_method", "", "Say how the person gave or withdrew consent.", {}),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("field", "typed", "message", "params"), BAD_EDITS)
def test_bad_edits_show_the_error_keep_the_typed_values_and_save_nothing(
    world, as_user, lang, field, typed, message, params,
):
    person = world.in_montreal
    EmailFactory(person=person, address="ana@example.org")
    data = edit_data(person, sector="construction", consent_sms="on",
                     consent_method="paper")
    data[field] = typed
    response = as_user(world.montreal_organizer).post(url("person_edit", person.pk, lang=lang),
                                                      data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'id="id_{field}_error"' in html
    assert translated(lang, message, **params) in html
    assert 'value="construction"' in html
    if field != "new_email":
        assert "ana@example.org" in html
    person.refresh_from_db()
    assert person.sector == ""
    assert not person.consent_sms
    assert not ConsentEvent.objects.filter(person=person).exists()
    assert EmailAddress.objects.filter(person=person).count() == 1
    assert PhoneNumber.objects.filter(person=person).count() == 0


def test_an_email_of_someone_else_is_refused_on_edit(world, as_user):
    EmailFactory(person=world.in_bsl, address="carlos@example.org")
    person = world.in_montreal
    response = as_user(world.montreal_organizer).post(
        url("person_edit", person.pk), edit_data(person, new_email="carlos@example.org"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "already recorded for someone outside your chapters" in html
    assert "Carlos" not in html
    assert not person.emails.exists()


def test_a_phone_of_someone_else_needs_the_shared_box_on_edit(world, as_user):
    PhoneFactory(person=world.in_cdn, number="+15145550123")
    person = world.in_montreal
    client = as_user(world.montreal_organizer)
    response = client.post(url("person_edit", person.pk),
                           edit_data(person, new_phone="514-555-0123"))
    assert response.status_code == 200
    assert "This phone number already belongs to" in response.content.decode()
    assert not person.phones.exists()
    response = client.post(url("person_edit", person.pk),
                           edit_data(person, new_phone="514-555-0123", new_phone_shared="on"))
    assert response.status_code == 302
    assert list(person.phones.values_list("number", flat=True)) == ["+15145550123"]


def test_a_volunteer_gets_a_404_on_every_person_page(world, as_user):
    client = as_user(world.volunteer)
    for page in ("person_detail", "person_edit", "person_merge"):
        assert client.get(url(page, world.in_montreal.pk)).status_code == 404
