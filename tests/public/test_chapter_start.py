"""The public "start a chapter" request form."""

import pytest

from solidaire.core.models import Activity
from solidaire.membership.activities import CHAPTER_REQUESTED
from solidaire.membership.models import ChapterRequest
from solidaire.people.models import Person

from tests.factories import EmailFactory, OrganizationFactory, make_chapter


def valid_data(world, **overrides):
    data = {
        "organization": str(world.centre.pk),
        "chapter_name": "Laval",
        "city": "Laval",
        "contact_name": "Rosa",
        "email": "Rosa@Example.org ",
        "phone": "",
        "language": "es",
        "message": "Nous sommes dix.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_form_page_renders_with_the_page_language_preselected(client, world, lang):
    response = client.get(f"/{lang}/chapters/start/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{lang}" selected>' in html
    assert "csrfmiddlewaretoken" in html
    # Two organizations have chapters: the visitor picks one, the host first chosen.
    assert f'<option value="{world.centre.pk}" selected>' in html
    assert f'<option value="{world.other.pk}">' in html


def test_form_says_a_legal_name_is_not_needed(client, world):
    assert "A legal name is not needed." in client.get("/en/chapters/start/").content.decode()


def test_organization_select_is_hidden_when_only_one_organization_has_chapters(client, db):
    host = OrganizationFactory(is_host=True)
    make_chapter(organization=host, name="Québec")
    OrganizationFactory(name="No chapters yet")
    html = client.get("/en/chapters/start/").content.decode()
    assert f'<input type="hidden" name="organization" value="{host.pk}"' in html
    assert "No chapters yet" not in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_request_creates_a_pending_request_and_a_person_then_redirects(client, world, lang):
    response = client.post(f"/{lang}/chapters/start/", valid_data(world))
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/chapters/start/thanks/"
    request = ChapterRequest.objects.get()
    assert request.status == ChapterRequest.Status.PENDING
    assert request.organization == world.centre
    assert (request.chapter_name, request.city, request.language) == ("Laval", "Laval", "es")
    assert request.contact_email == "rosa@example.org"
    person = request.person
    assert person.chosen_name == "Rosa"
    assert person.source == "web"
    assert person.preferred_language == "es"
    assert list(person.emails.values_list("address", flat=True)) == ["rosa@example.org"]
    assert Activity.objects.filter(person=person, kind=CHAPTER_REQUESTED).exists()


def test_request_for_another_organization_goes_to_it(client, world):
    client.post("/en/chapters/start/", valid_data(world, organization=str(world.other.pk)))
    assert ChapterRequest.objects.get().organization == world.other


def test_request_with_a_phone_only_stores_it_in_e164(client, world):
    client.post("/en/chapters/start/", valid_data(world, email="", phone="514 555-0199"))
    request = ChapterRequest.objects.get()
    assert request.contact_phone == "+15145550199"
    assert list(request.person.phones.values_list("number", flat=True)) == ["+15145550199"]


def test_request_from_a_known_email_joins_the_existing_person(client, world):
    EmailFactory(person=world.in_montreal, address="rosa@example.org")
    people_before = Person.objects.count()
    client.post("/en/chapters/start/", valid_data(world))
    assert Person.objects.count() == people_before
    assert ChapterRequest.objects.get().person == world.in_montreal


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_thanks_page_says_a_coordinator_will_contact_you(client, world, lang):
    response = client.get(f"/{lang}/chapters/start/thanks/")
    assert response.status_code == 200
    if lang == "en":
        assert "We received your request; a coordinator will contact you." in (
            response.content.decode()
        )


BAD_INPUT = [
    # (overrides, English message or None when Django's own message is checked)
    ({"email": "", "phone": ""},
     "Give an e-mail address or a phone number so that a coordinator can reach you."),
    ({"email": "not-an-address"}, "Enter a valid email address."),
    ({"email": "", "phone": "abc"}, "is not a phone number."),
    ({"email": "", "phone": "12345"}, "is not a valid phone number. Include the area code."),
    ({"contact_name": ""}, "This field is required."),
    ({"message": "x" * 2001}, "Ensure this value has at most 2000 characters"),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("overrides", "english"), BAD_INPUT)
def test_bad_input_shows_the_error_keeps_typed_values_and_saves_nothing(
    client, world, lang, overrides, english,
):
    people_before = Person.objects.count()
    data = valid_data(world, chapter_name="Sherbrooke", city="Université de Sherbrooke",
                      **overrides)
    response = client.post(f"/{lang}/chapters/start/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Sherbrooke" in html and 'value="Université de Sherbrooke"' in html
    for name in ("contact_name", "email", "phone"):
        if data[name]:
            assert f'value="{data[name].strip()}"' in html or f'value="{data[name]}"' in html
    if lang == "en":
        assert english in html
    elif overrides == {"contact_name": ""}:
        assert "Ce champ est obligatoire." in html
    elif overrides == {"email": "not-an-address"}:
        assert "Saisissez une adresse de courriel valide." in html
    assert ChapterRequest.objects.count() == 0
    assert Person.objects.count() == people_before


def test_invalid_field_is_marked_for_assistive_technology(client, world):
    html = client.post("/en/chapters/start/", valid_data(world, email="nope")).content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html


def test_unknown_organization_is_an_error_not_a_crash(client, world):
    response = client.post("/en/chapters/start/", valid_data(world, organization="999999"))
    assert response.status_code == 200
    assert ChapterRequest.objects.count() == 0


def test_filled_honeypot_looks_like_success_but_saves_nothing(client, world):
    people_before = Person.objects.count()
    response = client.post("/en/chapters/start/", valid_data(world, website="http://spam"))
    assert response.status_code == 302
    assert ChapterRequest.objects.count() == 0
    assert Person.objects.count() == people_before


def test_post_without_csrf_token_is_refused(world):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/en/chapters/start/", valid_data(world))
    assert response.status_code == 403
    assert ChapterRequest.objects.count() == 0
