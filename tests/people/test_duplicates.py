"""The duplicate finder: each rule finds its pair, decisions stick, merges and scope."""

import pytest

from solidaire.core.models import AuditEntry
from solidaire.people.duplicates import (
    EMAIL_LOCAL,
    OTHER_CHAPTER,
    PHONE,
    POSTAL_CODE,
    SAME_NAME,
    SIMILAR_NAME,
    TRANSPOSED,
    duplicate_mark_distinct,
    duplicate_merge,
    duplicate_pairs_visible_to,
    duplicates_merge_confident,
    duplicates_scan,
    name_fold,
    reason_labels,
)
from solidaire.people.models import DuplicatePair, Person
from solidaire.people.services import person_merge

from tests.factories import EmailFactory, PersonFactory, PhoneFactory


def pair_of(a, b):
    low, high = sorted((a.pk, b.pk))
    return DuplicatePair.objects.filter(person_low_id=low, person_high_id=high).first()


def test_names_fold_accents_case_punctuation_and_hyphens():
    assert name_fold("José  Garcia") == name_fold("jose garcia") == "jose garcia"
    assert name_fold("Marie-Ève") == name_fold("Marie Eve") == "marie eve"
    assert name_fold("O'Brien, Seán") == "o brien sean"


def test_same_name_ignoring_accents_is_a_pair(world):
    a = PersonFactory(chosen_name="José García", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="jose garcia", home_chapter=world.montreal)
    result = duplicates_scan()
    pair = pair_of(a, b)
    assert pair is not None and pair.reasons == [SAME_NAME]
    assert pair.decision == DuplicatePair.Decision.OPEN
    assert pair.person_low_id < pair.person_high_id
    assert result.counts["new"] >= 1 and result.seconds >= 0


def test_hyphenated_and_spaced_names_are_a_pair(world):
    a = PersonFactory(chosen_name="Marie-Ève Tremblay", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Marie Eve Tremblay", home_chapter=world.montreal)
    duplicates_scan()
    assert pair_of(a, b).reasons == [SAME_NAME]


def test_transposed_given_and_family_names_are_a_pair(world):
    a = PersonFactory(chosen_name="Nguyen Linh", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Linh Nguyen", home_chapter=world.montreal)
    duplicates_scan()
    assert pair_of(a, b).reasons == [TRANSPOSED]


def test_a_typo_in_the_same_chapter_is_a_pair_but_not_across_chapters(world):
    a = PersonFactory(chosen_name="Jonathan Pelletier", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Jonathan Peletier", home_chapter=world.montreal)
    c = PersonFactory(chosen_name="Johnathan Pelletier", home_chapter=world.montreal)
    elsewhere = PersonFactory(chosen_name="Jonathan Pelltier", home_chapter=world.bsl)
    duplicates_scan()
    assert pair_of(a, b).reasons == [SIMILAR_NAME]
    assert pair_of(a, c).reasons == [SIMILAR_NAME]
    assert pair_of(b, c) is None  # two tokens apart: not one typo
    assert pair_of(a, elsewhere) is None


def test_two_common_names_one_letter_apart_are_not_a_typo(world):
    for _ in range(21):
        PersonFactory(chosen_name="Jian Wang", home_chapter=world.bsl)
        PersonFactory(chosen_name="Jian Yang", home_chapter=world.bsl)
    a = PersonFactory(chosen_name="Li Wang", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Li Yang", home_chapter=world.montreal)
    c = PersonFactory(chosen_name="Li Wamg", home_chapter=world.montreal)
    duplicates_scan()
    assert pair_of(a, b) is None
    assert pair_of(a, c).reasons == [SIMILAR_NAME]


def test_a_shared_phone_is_a_pair_and_stronger_with_the_same_name(world):
    mother = PersonFactory(chosen_name="Rosa Mendoza", home_chapter=world.montreal)
    son = PersonFactory(chosen_name="Luis Mendoza", home_chapter=world.montreal)
    PhoneFactory(person=mother, number="+15145550101")
    PhoneFactory(person=son, number="+15145550101")
    first = PersonFactory(chosen_name="Amadou Diallo", home_chapter=world.montreal)
    second = PersonFactory(chosen_name="Amadou Diallo", home_chapter=world.montreal)
    PhoneFactory(person=first, number="+15145550102")
    PhoneFactory(person=second, number="+15145550102")
    duplicates_scan()
    family, same = pair_of(mother, son), pair_of(first, second)
    assert family.reasons == [PHONE]
    assert same.reasons == [PHONE, SAME_NAME]
    assert same.score >= 90 > family.score


def test_email_local_part_and_postal_code_support_a_name_match(world):
    a = PersonFactory(chosen_name="Fatou Ndiaye", home_chapter=world.montreal,
                      postal_code="H2X 1Y4")
    b = PersonFactory(chosen_name="Fatou Ndiaye", home_chapter=world.montreal,
                      postal_code="H2X1Y4")
    EmailFactory(person=a, address="fatou.ndiaye@gmail.com")
    EmailFactory(person=b, address="fatou.ndiaye@hotmail.com")
    alone_a = PersonFactory(chosen_name="Kofi Mensah", home_chapter=world.montreal)
    alone_b = PersonFactory(chosen_name="Kofi Mensah", home_chapter=world.montreal)
    duplicates_scan()
    supported = pair_of(a, b)
    assert supported.reasons == [SAME_NAME, EMAIL_LOCAL, POSTAL_CODE]
    assert supported.score > pair_of(alone_a, alone_b).score


def test_same_name_in_other_chapters_ranks_lower(world):
    a = PersonFactory(chosen_name="Yolanda Quispe", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Yolanda Quispe", home_chapter=world.bsl)
    c = PersonFactory(chosen_name="Wilmer Quispe", home_chapter=world.montreal)
    d = PersonFactory(chosen_name="Wilmer Quispe", home_chapter=world.montreal)
    duplicates_scan()
    assert pair_of(a, b).reasons == [SAME_NAME, OTHER_CHAPTER]
    assert pair_of(a, b).score < pair_of(c, d).score


def test_unrelated_people_do_not_pair(world):
    PersonFactory(chosen_name="Tran Van Minh", home_chapter=world.montreal)
    PersonFactory(chosen_name="Grace Okafor", home_chapter=world.montreal)
    duplicates_scan()
    assert not DuplicatePair.objects.exists()  # the world's people are unrelated too


def test_a_name_shared_by_too_many_people_is_not_evidence_alone(world):
    crowd = [PersonFactory(chosen_name="Maria Garcia", home_chapter=world.montreal)
             for _ in range(52)]
    crowd[0].postal_code = crowd[1].postal_code = "H3S 1A1"
    Person.objects.filter(pk__in=[crowd[0].pk, crowd[1].pk]).update(postal_code="H3S 1A1")
    duplicates_scan()
    assert DuplicatePair.objects.count() == 1
    assert pair_of(crowd[0], crowd[1]).reasons == [SAME_NAME, POSTAL_CODE]


def test_a_pair_marked_distinct_never_comes_back(world):
    a = PersonFactory(chosen_name="Ana Lima", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Ana Lima", home_chapter=world.montreal)
    duplicates_scan()
    pair = duplicate_mark_distinct(pair=pair_of(a, b), actor=world.montreal_organizer)
    assert pair.decided_by == world.montreal_organizer and pair.decided_at
    PhoneFactory(person=a, number="+15145550103")
    PhoneFactory(person=b, number="+15145550103")
    duplicates_scan()
    pair.refresh_from_db()
    assert pair.decision == DuplicatePair.Decision.DISTINCT
    assert pair.reasons == [SAME_NAME]  # not rescored either
    assert DuplicatePair.objects.count() == 1


def test_rescan_refreshes_open_pairs_and_removes_those_no_longer_found(world):
    a = PersonFactory(chosen_name="Pedro Alves", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Pedro Alves", home_chapter=world.montreal)
    c = PersonFactory(chosen_name="Irina Petrova", home_chapter=world.montreal)
    d = PersonFactory(chosen_name="Irina Petrova", home_chapter=world.montreal)
    duplicates_scan()
    kept = pair_of(a, b)
    PhoneFactory(person=a, number="+15145550104")
    PhoneFactory(person=b, number="+15145550104")
    Person.objects.filter(pk=d.pk).update(chosen_name="Olga Ivanova")
    result = duplicates_scan()
    refreshed = pair_of(a, b)
    assert refreshed.pk == kept.pk and refreshed.reasons == [PHONE, SAME_NAME]
    assert refreshed.score > kept.score
    assert pair_of(c, d) is None
    assert result.counts["removed"] == 1 and result.counts["refreshed"] == 1
    assert AuditEntry.objects.filter(action="solidaire.duplicates.scanned").count() == 2


def test_merge_keeps_the_chosen_record_and_the_pair_disappears(world):
    a = PersonFactory(chosen_name="Ibrahim Sow", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Ibrahim Sow", home_chapter=world.montreal)
    EmailFactory(person=b, address="ibrahim@example.org")
    duplicates_scan()
    kept = duplicate_merge(pair=pair_of(a, b), keep=b, actor=world.montreal_organizer)
    assert kept.pk == b.pk and not Person.objects.filter(pk=a.pk).exists()
    assert not DuplicatePair.objects.exists()
    assert AuditEntry.objects.filter(action="solidaire.person.merged").count() == 1


def test_pairs_of_the_removed_record_follow_the_kept_one(world):
    a = PersonFactory(chosen_name="Lina Haddad", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Lina Haddad", home_chapter=world.montreal)
    c = PersonFactory(chosen_name="Lina Hadad", home_chapter=world.montreal)
    duplicates_scan()
    assert pair_of(a, c).decision == DuplicatePair.Decision.OPEN
    duplicate_mark_distinct(pair=pair_of(b, c), actor=world.montreal_organizer)
    # The decision that b is not c carries over to a once b is merged into a...
    person_merge(keep=a, remove=b)  # also by hand, not only from the finder
    assert pair_of(a, c).decision == DuplicatePair.Decision.DISTINCT
    # ...and a rescan does not reopen it.
    duplicates_scan()
    assert DuplicatePair.objects.get().decision == DuplicatePair.Decision.DISTINCT


def test_only_an_open_pair_of_the_two_records_can_be_merged(world):
    a = PersonFactory(chosen_name="Omar Farah", home_chapter=world.montreal)
    b = PersonFactory(chosen_name="Omar Farah", home_chapter=world.montreal)
    duplicates_scan()
    pair = pair_of(a, b)
    with pytest.raises(ValueError):
        duplicate_merge(pair=pair, keep=world.in_montreal, actor=world.montreal_organizer)
    duplicate_mark_distinct(pair=pair, actor=world.montreal_organizer)
    with pytest.raises(ValueError):
        duplicate_merge(pair=pair, keep=a, actor=world.montreal_organizer)


def test_bulk_merge_merges_only_confident_pairs_in_the_scope(world):
    def twins(name, chapter, number):
        people = [PersonFactory(chosen_name=name, home_chapter=chapter) for _ in range(2)]
        for person in people:
            PhoneFactory(person=person, number=number)
        return people

    mtl = twins("Samuel Joseph", world.montreal, "+15145550105")
    cdn = twins("Nadia Benali", world.cdn, "+15145550106")
    bsl = twins("Carlos Rimouski", world.bsl, "+14185550107")
    across = [PersonFactory(chosen_name="Hugo Ferreira", home_chapter=chapter)
              for chapter in (world.montreal, world.bsl)]
    for person in across:
        PhoneFactory(person=person, number="+15145550108")
    weak = [PersonFactory(chosen_name="Priya Nair", home_chapter=world.montreal)
            for _ in range(2)]
    EmailFactory(person=mtl[1], address="samuel@example.org")  # more contact points
    duplicates_scan()
    merged = duplicates_merge_confident(user=world.montreal_organizer, min_score=90,
                                        actor=world.montreal_organizer)
    assert merged == 2
    assert not Person.objects.filter(pk=mtl[0].pk).exists()  # kept the richer record
    assert Person.objects.filter(pk=mtl[1].pk).exists()
    assert Person.objects.filter(pk=cdn[0].pk).exists()  # the older record is kept
    assert not Person.objects.filter(pk=cdn[1].pk).exists()
    assert pair_of(*bsl) is not None and pair_of(*across) is not None
    assert pair_of(*weak).decision == DuplicatePair.Decision.OPEN


def test_a_chapter_organizer_sees_only_pairs_of_two_people_in_scope(world):
    mine = [PersonFactory(chosen_name="Elena Popescu", home_chapter=world.montreal),
            PersonFactory(chosen_name="Elena Popescu", home_chapter=world.cdn)]
    across = [PersonFactory(chosen_name="Gabriel Tessier", home_chapter=world.montreal),
              PersonFactory(chosen_name="Gabriel Tessier", home_chapter=world.bsl)]
    unassigned = [PersonFactory(chosen_name="Rania Aziz"),
                  PersonFactory(chosen_name="Rania Aziz")]
    duplicates_scan()
    assert list(duplicate_pairs_visible_to(world.montreal_organizer)) == [pair_of(*mine)]
    assert not duplicate_pairs_visible_to(world.rimouski_organizer).exists()
    coordinator = set(duplicate_pairs_visible_to(world.coordinator))
    assert coordinator == {pair_of(*mine), pair_of(*across), pair_of(*unassigned)}
    assert not duplicate_pairs_visible_to(world.volunteer).exists()


def test_reason_labels_follow_a_stable_order():
    from django.utils import translation

    with translation.override("en"):
        assert reason_labels([POSTAL_CODE, "unknown", PHONE]) == [
            "Same phone number", "Same postal code"]


def test_the_command_scans_and_prints_counts_and_time(world):
    import io

    from solidaire.people.management.duplicates_cli import run_duplicates

    PersonFactory(chosen_name="Awa Diop", home_chapter=world.montreal)
    PersonFactory(chosen_name="Awa Diop", home_chapter=world.montreal)
    from django.utils import translation

    out = io.StringIO()
    with translation.override("en"):
        assert run_duplicates({"scan": True}, out) == 0
    text = out.getvalue()
    assert "Scanned 7 people in" in text and "Possible duplicates to review: 1 " in text
