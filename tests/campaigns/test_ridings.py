"""The postal-prefix-to-riding table: loading it and finding targets by postal code."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from solidaire.campaigns.models import Level, PostalPrefixRiding, Riding, Target
from solidaire.campaigns.selectors import (
    ridings_for_postal_code,
    targets_for_postal_code,
    targets_for_ridings,
)
from solidaire.campaigns.services import ridings_load
from solidaire.core.models import AuditEntry

from tests.factories import TargetFactory, TargetOfficeFactory

EXAMPLE = Path(__file__).parent / "data" / "ridings_example.csv"


@pytest.fixture
def loaded(db):
    return ridings_load(content=EXAMPLE.read_bytes(), level=Level.FEDERAL)


def names(ridings) -> list[str]:
    return [riding.name for riding in ridings]


def test_loading_counts_ridings_and_prefixes_and_reports_bad_lines(loaded):
    assert (loaded.ridings_created, loaded.prefixes) == (3, 5)
    assert [line for line, _message in loaded.problems] == [7, 8, 9]
    assert Riding.objects.get(code="99002").name == "Lac-Imaginaire"
    assert set(PostalPrefixRiding.objects.values_list("prefix", flat=True)) == {
        "H0A", "H0A1B", "H0B", "H0A1B2"}
    assert AuditEntry.objects.get(action="solidaire.ridings.loaded").data["prefixes"] == 5


def test_the_longest_prefix_wins(loaded):
    assert names(ridings_for_postal_code("H0A 9Z9", level=Level.FEDERAL)) == [
        "Rivière-des-Érables"]
    assert names(ridings_for_postal_code("h0a1b7", level=Level.FEDERAL)) == ["Lac-Imaginaire"]
    assert names(ridings_for_postal_code(" H0A 1B2 ", level=Level.FEDERAL)) == ["Mont-Fictif"]


def test_a_straddling_prefix_returns_both_ridings(loaded):
    assert names(ridings_for_postal_code("H0B 1A1", level=Level.FEDERAL)) == [
        "Lac-Imaginaire", "Mont-Fictif"]


def test_no_match_no_table_or_another_level_returns_nothing(loaded):
    assert ridings_for_postal_code("H0C 1A1", level=Level.FEDERAL) == []
    assert ridings_for_postal_code("H0", level=Level.FEDERAL) == []
    assert ridings_for_postal_code("", level=Level.FEDERAL) == []
    assert ridings_for_postal_code("H0A 1B2", level=Level.PROVINCIAL) == []


def test_loading_again_replaces_the_table_and_keeps_the_ridings_targets_point_at(loaded):
    riding = Riding.objects.get(code="99001")
    mp = TargetFactory(kind=Target.Kind.MP, riding=riding)
    summary = ridings_load(content="prefixe;code;circonscription;province\n"
                                   "H0D;99001;Rivière-des-Érables-Nord;QC\n".encode("cp1252"),
                           level=Level.FEDERAL)
    assert (summary.ridings_created, summary.ridings_updated, summary.prefixes) == (0, 1, 1)
    assert ridings_for_postal_code("H0A 9Z9", level=Level.FEDERAL) == []
    assert names(ridings_for_postal_code("H0D 1A1", level=Level.FEDERAL)) == [
        "Rivière-des-Érables-Nord"]
    mp.refresh_from_db()
    assert mp.riding_id == riding.pk


def test_loading_one_level_leaves_the_other_alone(loaded):
    ridings_load(content=b"H0A,24001,Circonscription provinciale,QC\n", level=Level.PROVINCIAL)
    assert names(ridings_for_postal_code("H0A 9Z9", level=Level.PROVINCIAL)) == [
        "Circonscription provinciale"]
    assert names(ridings_for_postal_code("H0A 9Z9", level=Level.FEDERAL)) == [
        "Rivière-des-Érables"]


def test_targets_for_postal_code_gives_the_active_targets_of_the_matched_ridings(loaded):
    lac, mont = Riding.objects.get(code="99002"), Riding.objects.get(code="99003")
    first = TargetFactory(name="Ana", kind=Target.Kind.MP, riding=lac)
    TargetOfficeFactory(target=first)
    second = TargetFactory(name="Bo", kind=Target.Kind.MP, riding=mont)
    TargetFactory(name="Retired", kind=Target.Kind.MP, riding=mont, is_active=False)
    TargetFactory(name="Elsewhere", kind=Target.Kind.MP,
                  riding=Riding.objects.get(code="99001"))
    found = targets_for_postal_code("H0B 1A1", level=Level.FEDERAL)
    assert sorted(t.name for t in found) == ["Ana", "Bo"]
    assert [t.name for t in targets_for_postal_code("H0A 1B2", level=Level.FEDERAL)] == ["Bo"]
    assert list(targets_for_postal_code("H0C 1A1", level=Level.FEDERAL)) == []
    assert {t.pk for t in targets_for_ridings([lac, mont])} == {first.pk, second.pk}


def test_the_command_loads_the_table_and_reports_bad_lines(db, capsys):
    with translation.override("en"):
        call_command("ridings", "load", str(EXAMPLE), "--level", "federal")
    out, err = capsys.readouterr()
    assert PostalPrefixRiding.objects.count() == 5
    assert "5 postal prefixes loaded; 3 ridings created, 0 updated; 3 lines with problems." \
        in out
    assert err.count("\n") == 3 and err.startswith("Line 7: ")
