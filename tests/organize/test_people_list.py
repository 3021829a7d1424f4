"""The people list: scope, search, filters, pagination and a constant query count."""

import re

import pytest

from solidaire.membership.services import committee_join
from solidaire.people.services import person_tag

from tests.factories import CommitteeFactory, EmailFactory, PersonFactory, PhoneFactory
from tests.organize.conftest import url


def names(response) -> list[str]:
    return re.findall(r'<td><a href="/\w+/organize/people/\d+/">([^<]+)</a></td>',
                      response.content.decode())


def test_montreal_sees_montreal_and_its_sub_chapters_only(world, as_user):
    response = as_user(world.montreal_organizer).get(url("people"))
    assert response.status_code == 200
    assert names(response) == ["Ana Montréal", "Bea Côte-des-Neiges"]


def test_the_coordinator_sees_the_whole_organization_and_people_without_a_chapter(
    world, as_user,
):
    response = as_user(world.coordinator).get(url("people"))
    assert names(response) == ["Ana Montréal", "Bea Côte-des-Neiges", "Carlos Rimouski",
                               "Eve Sans-chapitre"]


@pytest.mark.parametrize("user", ["volunteer", "no_role"])
def test_accounts_without_a_chapter_scope_have_no_people_list(world, as_user, user,
                                                               django_user_model):
    account = (world.volunteer if user == "volunteer"
               else django_user_model.objects.create_user("nobody", password="x"))
    assert as_user(account).get(url("people")).status_code == 404


def test_search_by_email_ignores_case(world, as_user):
    EmailFactory(person=world.in_cdn, address="bea@example.org")
    response = as_user(world.montreal_organizer).get(url("people"), {"q": "BEA@Example.ORG"})
    assert names(response) == ["Bea Côte-des-Neiges"]


@pytest.mark.parametrize("typed", ["(514) 555-0123", "514.555.0123", "+1 514 555 0123",
                                   "5145550123"])
def test_search_by_phone_finds_the_person_whichever_way_it_is_typed(world, as_user, typed):
    PhoneFactory(person=world.in_montreal, number="+15145550123")
    response = as_user(world.montreal_organizer).get(url("people"), {"q": typed})
    assert names(response) == ["Ana Montréal"]


def test_search_does_not_reach_outside_the_scope(world, as_user):
    EmailFactory(person=world.in_bsl, address="carlos@example.org")
    response = as_user(world.montreal_organizer).get(url("people"), {"q": "carlos"})
    assert names(response) == []


def test_the_chapter_filter_includes_the_chapters_below(world, as_user):
    client = as_user(world.coordinator)
    assert names(client.get(url("people"), {"chapter": "montreal"})) == [
        "Ana Montréal", "Bea Côte-des-Neiges",
    ]
    assert names(client.get(url("people"), {"chapter": "cote-des-neiges"})) == [
        "Bea Côte-des-Neiges",
    ]


def test_language_filter_counts_the_preferred_and_the_other_languages(world, as_user):
    world.in_montreal.preferred_language = "es"
    world.in_montreal.save()
    world.in_cdn.other_languages.create(code="es")
    response = as_user(world.montreal_organizer).get(url("people"), {"language": "es"})
    assert names(response) == ["Ana Montréal", "Bea Côte-des-Neiges"]
    response = as_user(world.montreal_organizer).get(url("people"), {"language": "en"})
    assert names(response) == []


def test_tag_and_committee_filters(world, as_user):
    person_tag(person=world.in_cdn, names=["leader"])
    committee = CommitteeFactory(organization=world.centre, chapter=world.montreal,
                                 slug="housing")
    committee_join(committee=committee, person=world.in_montreal)
    client = as_user(world.montreal_organizer)
    assert names(client.get(url("people"), {"tag": "leader"})) == ["Bea Côte-des-Neiges"]
    assert names(client.get(url("people"), {"committee": "housing"})) == ["Ana Montréal"]


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Select a valid choice."),
    ("fr", "Sélectionnez un choix valide."),
])
def test_invalid_filters_show_an_error_and_keep_the_search(world, as_user, lang, message):
    client = as_user(world.montreal_organizer)
    # Bas-Saint-Laurent exists but is outside Montréal's scope: not a valid choice.
    response = client.get(url("people", lang=lang),
                          {"q": "Ana", "chapter": "bas-saint-laurent", "language": "xx",
                           "tag": "nope", "committee": "nope", "page": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(message) == 4
    assert 'value="Ana"' in html
    assert names(response) == ["Ana Montréal"]


def test_pagination_shows_the_total_and_keeps_the_filters(world, as_user, settings):
    settings.PEOPLE_PER_PAGE = 10
    PersonFactory.create_batch(1232, home_chapter=world.cdn)
    client = as_user(world.montreal_organizer)
    response = client.get(url("people"), {"chapter": "montreal"})
    html = response.content.decode()
    assert "1,234 people" in html
    assert len(names(response)) == 10
    assert "Page 1 of 124" in html
    assert "?chapter=montreal&amp;page=2" in html
    last = client.get(url("people"), {"chapter": "montreal", "page": 124})
    assert len(names(last)) == 4
    french = client.get(url("people", lang="fr"), {"chapter": "montreal"})
    assert "1\u202f234" in french.content.decode() or "1\xa0234" in french.content.decode()


def _people_with_contacts(chapter, count):
    for n in range(count):
        person = PersonFactory(home_chapter=chapter)
        EmailFactory(person=person)
        PhoneFactory(person=person, number=f"+1514555{n:04d}")
        person_tag(person=person, names=["leader"])


def test_the_people_list_query_count_does_not_grow_with_the_rows(
    world, as_user, django_assert_max_num_queries, django_assert_num_queries,
):
    client = as_user(world.montreal_organizer)
    _people_with_contacts(world.montreal, 5)
    with django_assert_max_num_queries(15) as few:
        response = client.get(url("people"))
    assert len(names(response)) == 7
    _people_with_contacts(world.cdn, 25)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("people"))
    assert len(names(response)) == 32
