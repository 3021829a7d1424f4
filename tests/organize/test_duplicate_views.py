"""The duplicate finder pages: ranked list, review and merge, bulk merge, scope."""

import pytest
from django_tasks_db.models import DBTaskResult

from solidaire.people.duplicates import duplicates_scan
from solidaire.people.models import DuplicatePair, Person

from tests.factories import EmailFactory, PersonFactory, PhoneFactory
from tests.organize.conftest import url


def pair_of(a, b):
    low, high = sorted((a.pk, b.pk))
    return DuplicatePair.objects.filter(person_low_id=low, person_high_id=high).first()


@pytest.fixture
def pairs(world):
    """An in-scope pair for Montréal, a confident one, and one across Montréal and BSL."""
    same = [PersonFactory(chosen_name="Aminata Traoré", home_chapter=world.montreal),
            PersonFactory(chosen_name="aminata traore", home_chapter=world.cdn)]
    twins = [PersonFactory(chosen_name="Jean-Baptiste Noël", home_chapter=world.montreal,
                           postal_code="H2X 1Y4") for _ in range(2)]
    for person in twins:
        PhoneFactory(person=person, number="+15145550199")
    across = [PersonFactory(chosen_name="Carlos Rimouski", home_chapter=world.bsl),
              PersonFactory(chosen_name="Carlos Rimousky", home_chapter=world.bsl),
              PersonFactory(chosen_name="Rimouski Carlos", home_chapter=world.montreal)]
    duplicates_scan()

    class Pairs:
        pass

    p = Pairs()
    p.same, p.twins, p.across = pair_of(*same), pair_of(*twins), pair_of(across[0], across[2])
    p.bsl = pair_of(across[0], across[1])
    p.people = {"same": same, "twins": twins, "across": across}
    assert p.same and p.twins and p.across and p.bsl
    return p


def test_the_list_ranks_pairs_with_their_reasons(world, pairs, as_user):
    response = as_user(world.montreal_organizer).get(url("duplicates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Jean-Baptiste Noël") < html.index("Aminata Traoré")
    assert "Same phone number" in html and "Same postal code" in html
    assert "Côte-des-Neiges" in html  # the chapter of each side
    assert "Carlos" not in html and "Bas-Saint-Laurent" not in html
    assert "2 pairs to review" in html
    assert "Last scan" in html


def test_the_list_filters_by_minimum_confidence(world, pairs, as_user):
    client = as_user(world.montreal_organizer)
    html = client.get(url("duplicates"), {"min_score": 90}).content.decode()
    assert "Jean-Baptiste Noël" in html and "Aminata Traoré" not in html
    bad = client.get(url("duplicates"), {"min_score": "lots"})
    assert bad.status_code == 200 and 'value="lots"' in bad.content.decode()


def test_scan_now_queues_one_background_scan(world, as_user):
    client = as_user(world.montreal_organizer)
    assert client.get(url("duplicate_scan")).status_code == 405
    response = client.post(url("duplicate_scan"), follow=True)
    assert response.status_code == 200
    assert "The scan has started" in response.content.decode()
    client.post(url("duplicate_scan"))
    assert DBTaskResult.objects.filter(
        task_path="solidaire.people.tasks.duplicates_scan_task").count() == 1


def test_review_shows_both_records_side_by_side(world, pairs, as_user):
    twin = pairs.people["twins"][0]
    EmailFactory(person=twin, address="jb@example.org")
    response = as_user(world.montreal_organizer).get(url("duplicate_review", pk=pairs.twins.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "jb@example.org" in html and "(514) 555-0199" in html
    assert "Merge, keep left" in html and "Not the same person" in html
    assert "Montréal" in html


def test_merge_from_review_keeps_the_chosen_side_and_the_pair_disappears(world, pairs, as_user):
    low, high = pairs.twins.person_low_id, pairs.twins.person_high_id
    response = as_user(world.montreal_organizer).post(
        url("duplicate_review", pk=pairs.twins.pk), {"action": "keep_right"}, follow=True)
    assert response.status_code == 200
    assert "was merged into" in response.content.decode()
    assert Person.objects.filter(pk=high).exists() and not Person.objects.filter(pk=low).exists()
    assert not DuplicatePair.objects.filter(pk=pairs.twins.pk).exists()
    assert "Jean-Baptiste" not in as_user(world.montreal_organizer).get(
        url("duplicates")).content.decode()


def test_not_the_same_person_is_kept_and_never_comes_back(world, pairs, as_user):
    client = as_user(world.montreal_organizer)
    client.post(url("duplicate_review", pk=pairs.same.pk), {"action": "distinct"})
    duplicates_scan()
    pair = DuplicatePair.objects.get(pk=pairs.same.pk)
    assert pair.decision == DuplicatePair.Decision.DISTINCT
    assert pair.decided_by == world.montreal_organizer
    assert "Aminata" not in client.get(url("duplicates")).content.decode()
    assert client.get(url("duplicate_review", pk=pair.pk)).status_code == 404


def test_an_unknown_action_says_so_and_changes_nothing(world, pairs, as_user):
    response = as_user(world.montreal_organizer).post(
        url("duplicate_review", pk=pairs.same.pk), {"action": "explode"})
    assert response.status_code == 200
    assert "Choose one of the three buttons." in response.content.decode()
    assert DuplicatePair.objects.get(pk=pairs.same.pk).decision == "open"


def test_bulk_merge_counts_then_merges_only_in_scope_confident_pairs(world, pairs, as_user):
    # The same confident evidence in Bas-Saint-Laurent, out of the Montréal scope.
    bsl_twins = [PersonFactory(chosen_name="Sofia Rimouski", home_chapter=world.bsl)
                 for _ in range(2)]
    for person in bsl_twins:
        PhoneFactory(person=person, number="+14185550198")
    duplicates_scan()
    client = as_user(world.montreal_organizer)
    page = client.get(url("duplicate_bulk_merge")).content.decode()
    assert "1 pair scores 90 or more" in page
    unconfirmed = client.post(url("duplicate_bulk_merge"), {"min_score": 90})
    assert "Tick this box to merge." in unconfirmed.content.decode()
    assert DuplicatePair.objects.filter(pk=pairs.twins.pk).exists()
    too_low = client.post(url("duplicate_bulk_merge"), {"min_score": 10, "confirm": "on"})
    assert too_low.status_code == 200 and DuplicatePair.objects.filter(pk=pairs.same.pk).exists()
    response = client.post(url("duplicate_bulk_merge"), {"min_score": 90, "confirm": "on"},
                           follow=True)
    assert "1 pair was merged." in response.content.decode()
    assert not DuplicatePair.objects.filter(pk=pairs.twins.pk).exists()
    assert pair_of(*bsl_twins) is not None  # out of scope: untouched
    assert DuplicatePair.objects.filter(pk=pairs.same.pk).exists()  # below the threshold


def test_a_pair_with_someone_out_of_scope_is_404(world, pairs, as_user):
    client = as_user(world.montreal_organizer)
    for pair in (pairs.across, pairs.bsl):
        page = url("duplicate_review", pk=pair.pk)
        assert client.get(page).status_code == 404
        assert client.post(page, {"action": "keep_left"}).status_code == 404
    assert Person.objects.filter(pk__in=[p.pk for p in pairs.people["across"]]).count() == 3
    # The Bas-Saint-Laurent organizer reviews their own pair, not the one across chapters.
    rimouski = as_user(world.rimouski_organizer)
    assert rimouski.get(url("duplicate_review", pk=pairs.bsl.pk)).status_code == 200
    assert rimouski.get(url("duplicate_review", pk=pairs.across.pk)).status_code == 404


def test_the_coordinator_sees_every_pair(world, pairs, as_user):
    PersonFactory(chosen_name="Eve Sans Chapitre")  # like the world's unassigned person
    duplicates_scan()
    html = as_user(world.coordinator).get(url("duplicates")).content.decode()
    assert "Carlos Rimousky" in html and "Rimouski Carlos" in html
    assert "Eve Sans Chapitre" in html and "No chapter" in html


@pytest.mark.parametrize("name", ["duplicates", "duplicate_bulk_merge", "duplicate_scan"])
def test_volunteers_get_404(world, pairs, as_user, name):
    client = as_user(world.volunteer)
    assert client.get(url(name)).status_code in (404, 405)
    assert client.post(url(name), {"confirm": "on", "min_score": 90}).status_code == 404
    assert client.get(url("duplicate_review", pk=pairs.same.pk)).status_code == 404
    assert DuplicatePair.objects.filter(pk=pairs.twins.pk).exists()
