"""The people search ignores accents and case on SQLite and PostgreSQL (decision 0063)."""

import pytest

from solidaire.people.models import Person
from solidaire.people.selectors import people_search

from tests.factories import EmailFactory, PersonFactory, PhoneFactory
from tests.organize.conftest import url


@pytest.fixture
def accented(db):
    return {
        "chavez": PersonFactory(chosen_name="María Chávez"),
        "belanger": PersonFactory(given_name="Émilie", family_name="Bélanger"),
        "nguyen": PersonFactory(chosen_name="Nguyễn Thị Lan"),
        "nunez": PersonFactory(chosen_name="Ñúñez"),
        "francois": PersonFactory(chosen_name="François Lefèvre-Crête"),
        "muller": PersonFactory(chosen_name="Jürgen Müller Öztürk"),
        "coeur": PersonFactory(chosen_name="Zoé Cœur"),
        "plain": PersonFactory(chosen_name="Sam Smith"),
    }


def found(text: str) -> set[str]:
    return set(people_search(Person.objects.all(), text)
               .values_list("chosen_name", "family_name").distinct())


def names_of(people, *keys) -> set[tuple[str, str]]:
    return {(people[k].chosen_name, people[k].family_name) for k in keys}


@pytest.mark.parametrize(("typed", "key"), [
    ("chavez", "chavez"), ("CHAVEZ", "chavez"), ("chávez", "chavez"), ("CHÁVEZ", "chavez"),
    ("maria chav", "chavez"),
    ("belanger", "belanger"), ("BÉLANGER", "belanger"), ("emilie", "belanger"),
    ("nguyen", "nguyen"), ("Nguyễn", "nguyen"), ("NGUYEN THI", "nguyen"),
    ("nunez", "nunez"), ("ÑÚÑEZ", "nunez"),
    ("francois", "francois"), ("lefevre-crete", "francois"), ("FRANÇOIS", "francois"),
    ("muller", "muller"), ("ozturk", "muller"), ("jürgen", "muller"),
    ("coeur", "coeur"), ("cœur", "coeur"),
])
def test_name_search_ignores_accents_and_case(accented, typed, key):
    assert found(typed) == names_of(accented, key)


def test_search_by_email_and_phone_still_finds_the_person(accented):
    EmailFactory(person=accented["chavez"], address="maria.chavez@example.org")
    PhoneFactory(person=accented["nunez"], number="+15145550199")
    assert found("Maria.Chavez@") == names_of(accented, "chavez")
    assert found("514 555-0199") == names_of(accented, "nunez")


def test_search_wildcards_are_taken_literally(accented):
    assert found("%") == set()
    assert found("_") == set()
    assert found("ch_vez") == set()


def test_people_list_finds_an_accented_name_typed_without_accents(world, client):
    client.force_login(world.montreal_organizer)
    response = client.get(url("people"), {"q": "COTE-DES"})
    assert "Bea Côte-des-Neiges" in response.content.decode()
    response = client.get(url("people"), {"q": "montreal"})
    assert "Ana Montréal" in response.content.decode()
