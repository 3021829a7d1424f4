"""Adding chapters to the tree, editing and moving them, always within the scope."""

import pytest

from solidaire.core.models import AuditEntry
from solidaire.organizing.models import Chapter

from tests.organize.conftest import translated, url


def form_data(**overrides):
    data = {
        "name": "Université de Montréal", "slug": "", "kind": "campus", "city": "Montréal",
        "languages": ["fr", "es"], "contact_email": " UdeM@Example.org ",
        "contact_phone": "514.555.0142", "is_public": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def parent_of(slug: str) -> str | None:
    parent = Chapter.objects.get_parent(Chapter.objects.get(slug=slug))
    return parent.slug if parent else None


def test_a_chapter_organizer_adds_a_chapter_below_one_of_theirs(world, as_user):
    client = as_user(world.montreal_organizer)
    html = client.get(url("chapter_detail", "cote-des-neiges")).content.decode()
    assert url("chapter_add_child", "cote-des-neiges") in html
    form = client.get(url("chapter_add_child", "cote-des-neiges")).context["form"]
    assert form["kind"].value() == "campus"  # one level below a city
    response = client.post(url("chapter_add_child", "cote-des-neiges"), form_data())
    chapter = Chapter.objects.get(name="Université de Montréal")
    assert response.status_code == 302
    assert response["Location"] == url("chapter_detail", "universite-de-montreal")
    assert parent_of(chapter.slug) == "cote-des-neiges"
    assert chapter.organization == world.centre
    assert (chapter.kind, chapter.languages, chapter.contact_email, chapter.contact_phone) == (
        "campus", ["fr", "es"], "udem@example.org", "+15145550142")
    assert AuditEntry.objects.get(action="solidaire.chapter.created").actor == (
        world.montreal_organizer)
    # The new chapter is in the organizer's scope at once.
    assert "Université de Montréal" in client.get(url("chapters")).content.decode()


def test_only_coordinators_add_a_chapter_at_the_top_of_the_tree(world, as_user):
    assert as_user(world.montreal_organizer).get(url("chapter_add")).status_code == 404
    assert url("chapter_add") not in as_user(world.montreal_organizer).get(
        url("chapters")).content.decode()
    client = as_user(world.coordinator)
    assert url("chapter_add") in client.get(url("chapters")).content.decode()
    response = client.post(url("chapter_add"), form_data(name="Ontario", kind="province",
                                                         organization="msu"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    response = client.post(url("chapter_add"), form_data(name="Ontario", kind="province",
                                                         organization="cti"))
    assert response.status_code == 302
    ontario = Chapter.objects.get(name="Ontario")
    assert ontario.is_root() and ontario.organization == world.centre


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("overrides", "field", "msgid", "params"), [
    ({"name": ""}, "name", "This field is required.", {}),
    ({"contact_phone": "555"}, "contact_phone",
     "“%(value)s” is not a valid phone number. Include the area code.", {"value": "555"}),
    ({"contact_email": "udem@"}, "contact_email", "Enter a valid email address.", {}),
    ({"kind": "planet"}, "kind",
     "Select a valid choice. %(value)s is not one of the available choices.",
     {"value": "planet"}),
    ({"languages": ["fr", "xx"]}, "languages",
     "Select a valid choice. %(value)s is not one of the available choices.", {"value": "xx"}),
    ({"slug": "montreal"}, "slug", "This address is already taken. Choose another one.", {}),
])
def test_bad_input_shows_a_clear_error_keeps_what_was_typed_and_saves_nothing(
    world, as_user, lang, overrides, field, msgid, params,
):
    before = Chapter.objects.count()
    response = as_user(world.montreal_organizer).post(
        url("chapter_add_child", "montreal", lang=lang), form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert translated(lang, msgid, **params) in html
    assert f'id="id_{field}_error"' in html
    assert 'value="Montréal"' in html  # the city typed
    assert Chapter.objects.count() == before


def test_editing_a_chapter_keeps_languages_the_form_does_not_offer(world, as_user):
    world.cdn.languages = ["fr", "qu"]
    world.cdn.save()
    client = as_user(world.montreal_organizer)
    response = client.post(url("chapter_edit", "cote-des-neiges"), form_data(
        name="Côte-des-Neiges", slug="cdn", kind="city", languages=["en", "fr"],
        parent="montreal", is_public=None))
    assert response.status_code == 302
    assert response["Location"] == url("chapter_detail", "cdn")
    chapter = Chapter.objects.get(pk=world.cdn.pk)
    assert chapter.languages == ["qu", "fr", "en"]
    assert (chapter.slug, chapter.is_public, chapter.contact_phone) == (
        "cdn", False, "+15145550142")
    entry = AuditEntry.objects.get(action="solidaire.chapter.changed")
    assert entry.actor == world.montreal_organizer
    assert "slug" in entry.data["fields"] and "is_public" in entry.data["fields"]


def test_the_edit_form_shows_the_phone_for_people_to_read(world, as_user):
    world.cdn.contact_phone = "+15145550142"
    world.cdn.save()
    html = as_user(world.montreal_organizer).get(url("chapter_edit", "cote-des-neiges")
                                                 ).content.decode()
    assert 'value="(514) 555-0142"' in html


def test_a_coordinator_moves_a_chapter_with_everything_below_it(world, as_user):
    client = as_user(world.coordinator)
    response = client.post(url("chapter_edit", "montreal"), form_data(
        name="Montréal", slug="montreal", kind="region", parent="bas-saint-laurent"))
    assert response.status_code == 302
    assert parent_of("montreal") == "bas-saint-laurent"
    assert parent_of("cote-des-neiges") == "montreal"
    assert AuditEntry.objects.filter(action="solidaire.chapter.moved").count() == 1
    client.post(url("chapter_edit", "montreal"), form_data(
        name="Montréal", slug="montreal", kind="region", parent=""))
    assert parent_of("montreal") is None


def test_a_chapter_cannot_move_below_itself(world, as_user):
    response = as_user(world.coordinator).post(url("chapter_edit", "montreal"), form_data(
        name="Montréal", slug="montreal", kind="region", parent="cote-des-neiges"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert parent_of("montreal") == "quebec"


def test_a_chapter_organizer_cannot_move_the_top_of_their_scope(world, as_user):
    client = as_user(world.montreal_organizer)
    form = client.get(url("chapter_edit", "montreal")).context["form"]
    assert "parent" not in form.fields
    response = client.post(url("chapter_edit", "montreal"), form_data(
        name="Montréal", slug="montreal", kind="region", parent=""))
    assert response.status_code == 302
    assert parent_of("montreal") == "quebec"


@pytest.mark.parametrize(("parent", "message"), [
    ("bas-saint-laurent", "Select a valid choice."),  # out of the scope
    ("", "This field is required."),  # the top of the tree is for coordinators
])
def test_a_chapter_organizer_moves_chapters_only_within_their_scope(world, as_user, parent,
                                                                    message):
    client = as_user(world.montreal_organizer)
    form = client.get(url("chapter_edit", "cote-des-neiges")).context["form"]
    assert [slug for slug, _label in form.fields["parent"].choices] == ["montreal"]
    response = client.post(url("chapter_edit", "cote-des-neiges"), form_data(
        name="Côte-des-Neiges", slug="cote-des-neiges", kind="city", parent=parent))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert parent_of("cote-des-neiges") == "montreal"


@pytest.mark.parametrize("page", ["chapter_add", "chapter_add_child", "chapter_edit"])
def test_volunteers_create_and_edit_nothing(world, as_user, page):
    client = as_user(world.volunteer)
    target = url(page) if page == "chapter_add" else url(page, "montreal")
    before = Chapter.objects.count()
    assert client.get(target).status_code == 404
    assert client.post(target, form_data()).status_code == 404
    assert Chapter.objects.count() == before
