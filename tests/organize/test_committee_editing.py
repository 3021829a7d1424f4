"""Creating and editing committees from the organizer pages."""

import pytest

from solidaire.core.models import AuditEntry
from solidaire.membership.models import Committee

from tests.factories import CommitteeFactory
from tests.organize.conftest import translated, url


def form_data(**overrides):
    data = {
        "name": "Housing", "slug": "", "organization": "cti", "chapter": "montreal",
        "description_fr": "Le comité logement.", "description_en": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_chapter_organizer_adds_a_committee_to_their_chapter(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(url("committee_add"), form_data())
    committee = Committee.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("committee_detail", "housing")
    assert (committee.name, committee.organization, committee.chapter, committee.description) == (
        "Housing", world.centre, world.montreal, {"fr": "Le comité logement."})
    entry = AuditEntry.objects.get(action="solidaire.committee.created")
    assert entry.actor == world.montreal_organizer
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The committee Housing was created." in page
    assert "Le comité logement." in page  # the only language written


def test_only_coordinators_add_committees_of_the_whole_organization(world, as_user):
    response = as_user(world.montreal_organizer).post(url("committee_add"),
                                                      form_data(chapter=""))
    assert response.status_code == 200
    assert translated(
        "en", "Choose one of your chapters: only the coordinators of %(organization)s can add "
        "a committee of the whole organization.", organization="Centre des travailleurs "
        "immigrants") in response.content.decode()
    assert not Committee.objects.exists()
    response = as_user(world.coordinator).post(url("committee_add"), form_data(chapter=""))
    assert response.status_code == 302
    assert Committee.objects.get().chapter is None


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("overrides", "field", "msgid"), [
    ({"name": "  "}, "name", "This field is required."),
    ({"slug": "taken"}, "slug", "This address is already taken. Choose another one."),
    ({"slug": "pas une adresse"}, "slug",
     "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    ({"chapter": "bas-saint-laurent"}, "chapter",
     "Select a valid choice. That choice is not one of the available choices."),
    ({"organization": "msu"}, "organization",
     "Select a valid choice. That choice is not one of the available choices."),
])
def test_bad_input_shows_a_clear_error_keeps_what_was_typed_and_saves_nothing(
    world, as_user, lang, overrides, field, msgid,
):
    CommitteeFactory(organization=world.centre, slug="taken")
    before = Committee.objects.count()
    response = as_user(world.montreal_organizer).post(url("committee_add", lang=lang),
                                                      form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert translated(lang, msgid) in html
    assert f'id="id_{field}_error"' in html
    assert ">\nLe comité logement.</textarea>" in html
    assert Committee.objects.count() == before


def test_editing_a_committee_moves_it_and_logs_the_change(world, as_user):
    committee = CommitteeFactory(organization=world.centre, chapter=world.montreal,
                                 name="Housing", slug="housing", description={"es": "Vivienda"})
    client = as_user(world.montreal_organizer)
    html = client.get(url("committee_detail", "housing")).content.decode()
    assert url("committee_edit", "housing") in html
    response = client.post(url("committee_edit", "housing"), form_data(
        name="Tenants", slug="tenants", chapter="cote-des-neiges",
        description_en="Tenants organizing.", description_fr=""))
    assert response.status_code == 302
    assert response["Location"] == url("committee_detail", "tenants")
    committee.refresh_from_db()
    assert (committee.name, committee.chapter) == ("Tenants", world.cdn)
    assert committee.description == {"es": "Vivienda", "en": "Tenants organizing."}
    entry = AuditEntry.objects.get(action="solidaire.committee.changed")
    assert entry.data == {"fields": ["chapter", "description", "name", "slug"]}


def test_an_edit_keeps_the_address_required(world, as_user):
    CommitteeFactory(organization=world.centre, chapter=world.montreal, slug="housing")
    response = as_user(world.montreal_organizer).post(url("committee_edit", "housing"),
                                                      form_data(slug=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Committee.objects.filter(slug="housing").exists()


def test_a_committee_of_the_whole_centre_is_edited_by_coordinators_only(world, as_user):
    CommitteeFactory(organization=world.centre, slug="centre-wide", name="Centre-wide")
    organizer = as_user(world.montreal_organizer)
    assert organizer.get(url("committee_detail", "centre-wide")).status_code == 200
    assert organizer.get(url("committee_edit", "centre-wide")).status_code == 404
    assert organizer.post(url("committee_edit", "centre-wide"), form_data()).status_code == 404
    coordinator = as_user(world.coordinator)
    assert coordinator.get(url("committee_edit", "centre-wide")).status_code == 200


def test_the_chapter_page_links_to_a_new_committee_for_that_chapter(world, as_user):
    client = as_user(world.montreal_organizer)
    html = client.get(url("chapter_detail", "cote-des-neiges")).content.decode()
    link = url("committee_add") + "?chapter=cote-des-neiges"
    assert link in html
    assert client.get(link).context["form"]["chapter"].value() == "cote-des-neiges"


@pytest.mark.parametrize("page", ["committee_add", "committee_edit"])
def test_volunteers_create_and_edit_nothing(world, as_user, page):
    CommitteeFactory(organization=world.centre, slug="centre-wide")
    client = as_user(world.volunteer)
    target = url(page, "centre-wide") if page == "committee_edit" else url(page)
    assert client.get(target).status_code == 404
    assert client.post(target, form_data(chapter="")).status_code == 404
    assert Committee.objects.count() == 1
    assert url("committee_add") not in client.get(url("committees")).content.decode()
