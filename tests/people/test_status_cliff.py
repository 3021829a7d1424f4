"""The permit-expiry cliff: counts per month, chapter and category, decrypted in the
application; erased or unreadable values counted apart; the people-list filter."""

import datetime

import pytest

from solidaire.core.crypto import keys_shred
from solidaire.people.models import PersonStatus
from solidaire.people.selectors import people_visible_to
from solidaire.people.services import status_set
from solidaire.people.status_cliff import (
    month_add,
    people_with_permit_ending_within,
    permit_cliff,
)

from tests.factories import PersonFactory
from tests.policies import accounts

START = datetime.date(2027, 1, 1)


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SOLIDAIRE_FIELD_KEYS", raising=False)
    settings.FIELD_KEYS_FILE = tmp_path / "keys" / "keys.json"
    settings.FIELD_KEYS_CREATE = True


def grant_status_access(user):
    role = user.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    return user


@pytest.fixture
def reader(world):
    return grant_status_access(world.coordinator)


def record(person, actor, month, category="closed_work_permit"):
    return status_set(person=person, actor=actor, category=category, expiry_month=month)


@pytest.fixture
def known_set(world, reader):
    """Montréal: 2 in Jan (closed, open), 1 in Mar; Côte-des-Neiges: 1 in Mar (study);
    Bas-Saint-Laurent: 1 in Dec; Toronto (other organization): 1 in Jan; one expired
    last year, one in 13 months, one with no expiry: never counted."""
    people = {}
    # A status is set by whoever sees the person: the other organization's coordinator
    # for its member.
    other_reader = grant_status_access(accounts(world)["other_coordinator"])

    def add(name, chapter, month, category="closed_work_permit"):
        person = PersonFactory(chosen_name=name, home_chapter=chapter)
        record(person, reader if chapter.organization_id == world.centre.pk else other_reader,
               month, category)
        people[name] = person

    add("m-jan-closed", world.montreal, START)
    add("m-jan-open", world.montreal, START.replace(day=20), "open_work_permit")
    add("m-mar", world.montreal, month_add(START, 2))
    add("cdn-mar", world.cdn, month_add(START, 2), "study_permit")
    add("bsl-dec", world.bsl, month_add(START, 11))
    add("tor-jan", world.toronto, START)
    add("m-expired", world.montreal, month_add(START, -1))
    add("m-later", world.montreal, month_add(START, 12))
    add("m-none", world.montreal, None)
    return people


def test_counts_by_month_chapter_and_category(world, reader, known_set):
    cliff = permit_cliff(people_visible_to(reader), start=START)
    assert cliff.months[0] == START and cliff.months[-1] == datetime.date(2027, 12, 1)
    assert cliff.by_month == [2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert cliff.total == 5
    assert cliff.by_chapter == {
        world.montreal.pk: [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        world.cdn.pk: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        world.bsl.pk: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    }
    assert cliff.by_category == {
        "closed_work_permit": [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        "open_work_permit": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        "study_permit": [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    }
    assert cliff.unreadable == 0


def test_people_out_of_scope_are_not_counted(world, known_set):
    organizer = grant_status_access(world.montreal_organizer)
    cliff = permit_cliff(people_visible_to(organizer), start=START)
    assert cliff.by_month == [2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert set(cliff.by_chapter) == {world.montreal.pk, world.cdn.pk}


def test_a_value_copied_from_another_row_is_counted_unreadable(world, reader, known_set):
    jan, mar = known_set["m-jan-closed"], known_set["m-mar"]
    moved = PersonStatus.objects.get(person=mar).sealed_expiry_month
    PersonStatus.objects.filter(person=jan).update(sealed_expiry_month=moved)
    cliff = permit_cliff(people_visible_to(reader), start=START)
    assert cliff.unreadable == 1
    assert cliff.by_month[:3] == [1, 0, 2]
    ids = people_with_permit_ending_within(people_visible_to(reader), months=1, start=START)
    assert ids == [known_set["m-jan-open"].pk]


def test_after_shredding_every_status_is_counted_as_erased(world, reader, known_set):
    keys_shred(purpose="status")
    cliff = permit_cliff(people_visible_to(reader), start=START)
    assert cliff.total == 0 and cliff.by_chapter == {} and cliff.by_category == {}
    assert cliff.unreadable == PersonStatus.objects.exclude(person=known_set["tor-jan"]).count()
    assert people_with_permit_ending_within(people_visible_to(reader), months=24,
                                            start=START) == []


def test_the_filter_finds_exactly_the_permits_ending_within_n_months(world, reader, known_set):
    def within(months):
        ids = people_with_permit_ending_within(people_visible_to(reader), months=months,
                                               start=START)
        return {name for name, person in known_set.items() if person.pk in ids}

    assert within(1) == {"m-jan-closed", "m-jan-open"}
    assert within(2) == {"m-jan-closed", "m-jan-open"}
    assert within(3) == {"m-jan-closed", "m-jan-open", "m-mar", "cdn-mar"}
    assert within(12) == {"m-jan-closed", "m-jan-open", "m-mar", "cdn-mar", "bsl-dec"}
    assert within(13) == within(12) | {"m-later"}
