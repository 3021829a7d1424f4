"""Adding a person by hand: one person, one ledger row, consent with its history."""

import pytest

from solidaire.core.models import Activity
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.models import ConsentEvent, EmailAddress, Person

from tests.factories import EmailFactory, PhoneFactory
from tests.organize.conftest import translated, url


def form_data(**overrides):
    data = {
        "chosen_name": "Rosa", "given_name": "", "family_name": "",
        "email": " Rosa@Example.org ", "phone": "(514) 555-0199",
        "preferred_language": "es", "other_languages": ["fr", "en"],
        "postal_code": "h2x1y4", "home_chapter": "cote-des-neiges", "sector": "warehousing",
        "workplace": "Entrepôt Nord", "tags": "leader, night shift, leader",
        "consent_email": "on", "consent_sms": "", "consent_phone": "",
        "consent_method": "paper",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_adding_a_person_creates_one_person_with_a_ledger_row_and_consent(world, as_user):
    client = as_user(world.montreal_organizer)
    before = Person.objects.count()
    response = client.post(url("person_add"), form_data())
    assert Person.objects.count() == before + 1
    person = Person.objects.get(chosen_name="Rosa")
    assert response.status_code == 302
    assert response["Location"] == url("person_detail", person.pk)
    assert list(person.emails.values_list("address", "is_primary")) == [
        ("rosa@example.org", True)]
    assert list(person.phones.values_list("number", "is_primary")) == [("+15145550199", True)]
    assert person.postal_code == "H2X 1Y4"
    assert person.home_chapter == world.cdn
    assert person.preferred_language == "es"
    assert sorted(person.other_languages.values_list("code", flat=True)) == ["en", "fr"]
    assert sorted(person.tags.values_list("name", flat=True)) == ["leader", "night shift"]
    assert (person.consent_email, person.consent_sms, person.consent_phone) == (
        True, False, False)
    event = ConsentEvent.objects.get(person=person)
    assert (event.channel, event.granted, event.method, event.source, event.recorded_by) == (
        "email", True, "paper", "organizer form", world.montreal_organizer)
    assert list(Activity.objects.filter(person=person).values_list("kind", flat=True)) == [
        PERSON_CREATED]
    page = client.get(response["Location"]).content.decode()
    assert "Rosa was added." in page
    assert "rosa@example.org" in page


def test_only_a_name_is_needed_for_a_coordinator(world, as_user):
    response = as_user(world.coordinator).post(url("person_add"), {
        "chosen_name": "Sam", "preferred_language": "fr",
    })
    assert response.status_code == 302
    person = Person.objects.get(chosen_name="Sam")
    assert person.home_chapter is None
    assert not person.consent_events.exists()


def test_a_chapter_organizer_must_choose_one_of_their_chapters(world, as_user):
    client = as_user(world.montreal_organizer)
    before = Person.objects.count()
    response = client.post(url("person_add"), form_data(home_chapter=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url("person_add"), form_data(home_chapter="bas-saint-laurent"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert Person.objects.count() == before


def test_ticking_consent_needs_to_say_how_it_was_given(world, as_user):
    response = as_user(world.montreal_organizer).post(
        url("person_add"), form_data(consent_method=""))
    assert response.status_code == 200
    assert "Say how the person gave or withdrew consent." in response.content.decode()
    assert not Person.objects.filter(chosen_name="Rosa").exists()


BAD_INPUT = [
    # field, what was typed, the message (msgid) and its parameters
    ("chosen_name", "", "This field is required.", {}),
    ("chosen_name", "   ", "This field is required.", {}),
    ("email", "rosa@", "Enter a valid email address.", {}),
    ("phone", "555-01", "“%(value)s” is not a valid phone number. Include the area code.",
     {"value": "555-01"}),
    ("phone", "call me", "“%(value)s” is not a phone number.", {"value": "call me"}),
    ("postal_code", "12345", "“%(value)s” is not a Canadian postal code (for example H2X 1Y4).",
     {"value": "12345"}),
    ("preferred_language", "xx",
     "Select a valid choice. %(value)s is not one of the available choices.", {"value": "xx"}),
    ("tags", "x" * 81, "A tag can be at most 80 characters long: “%(tag)s”.", {"tag": "x" * 81}),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("field", "typed", "message", "params"), BAD_INPUT)
def test_bad_input_shows_the_error_keeps_what_was_typed_and_creates_nothing(
    world, as_user, lang, field, typed, message, params,
):
    client = as_user(world.montreal_organizer)
    before = (Person.objects.count(), EmailAddress.objects.count(), Activity.objects.count())
    data = form_data(**{field: typed, "workplace": "Entrepôt Nord & fils"})
    response = client.post(url("person_add", lang=lang), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'id="id_{field}_error"' in html
    assert translated(lang, message, **params) in html
    # Everything else typed is still in the form.
    assert 'value="Entrepôt Nord &amp; fils"' in html
    assert 'value="warehousing"' in html
    assert '<option value="cote-des-neiges" selected>' in html
    assert 'value="es" id="id_other_languages_2"' in html
    for name in ("chosen_name", "email", "phone", "postal_code"):
        if name != field and data[name].strip():
            assert f'value="{data[name]}"' in html or f'value="{data[name].strip()}"' in html
    assert 'name="consent_email" id="id_consent_email" checked' in html or (
        'name="consent_email" checked' in html)
    assert (Person.objects.count(), EmailAddress.objects.count(),
            Activity.objects.count()) == before


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_known_email_in_scope_links_to_the_person_instead_of_adding_a_duplicate(
    world, as_user, lang,
):
    EmailFactory(person=world.in_cdn, address="rosa@example.org")
    before = Person.objects.count()
    response = as_user(world.montreal_organizer).post(url("person_add", lang=lang),
                                                      form_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{url("person_detail", world.in_cdn.pk, lang=lang)}"' in html
    assert "Bea Côte-des-Neiges" in html
    message = translated(lang, "This e-mail address already belongs to {person}. Open their "
                               "record instead of adding them again.")
    assert message.split("{person}")[0] in html
    assert 'id="id_email_error"' in html
    assert Person.objects.count() == before


def test_a_known_email_outside_the_scope_is_refused_without_naming_the_person(world, as_user):
    EmailFactory(person=world.in_bsl, address="rosa@example.org")
    before = Person.objects.count()
    response = as_user(world.montreal_organizer).post(url("person_add"), form_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "already recorded for someone outside your chapters" in html
    assert "Carlos" not in html
    assert url("person_detail", world.in_bsl.pk) not in html
    assert Person.objects.count() == before


def test_a_known_phone_is_refused_too(world, as_user):
    PhoneFactory(person=world.in_montreal, number="+15145550199")
    response = as_user(world.montreal_organizer).post(
        url("person_add"), form_data(email="", phone="514.555.0199"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This phone number already belongs to" in html
    assert "Ana Montréal" in html
    assert not Person.objects.filter(chosen_name="Rosa").exists()


def test_a_shared_family_phone_can_be_recorded_on_purpose(world, as_user):
    PhoneFactory(person=world.in_montreal, number="+15145550199")
    response = as_user(world.montreal_organizer).post(
        url("person_add"), form_data(phone="514 555 0199", phone_shared="on"))
    assert response.status_code == 302
    rosa = Person.objects.get(chosen_name="Rosa")
    assert list(rosa.phones.values_list("number", flat=True)) == ["+15145550199"]
    assert world.in_montreal.phones.count() == 1


def test_an_organizer_of_one_chapter_finds_it_chosen(world, as_user):
    html = as_user(world.rimouski_organizer).get(url("person_add")).content.decode()
    assert '<option value="bas-saint-laurent" selected>' in html
    assert "montreal" not in html
