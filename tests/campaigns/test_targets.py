"""Targets: the services that record them and the CSV import."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from solidaire.campaigns.models import Level, Riding, Target
from solidaire.campaigns.services import target_create, target_update, targets_import
from solidaire.campaigns.targets_csv import CsvFileError
from solidaire.core.models import AuditEntry

DATA = Path(__file__).parent / "data"
FRENCH_FILE = DATA / "targets_fr_cp1252.csv"


def offices(target) -> list[tuple]:
    return [(o.label, o.phone) for o in target.offices.order_by("position")]


def test_creating_a_target_stores_offices_with_e164_phones_and_writes_the_audit_log(world):
    target = target_create(
        name="  Marie   Exemple ", kind=Target.Kind.MP, role={"fr": "Députée", "en": ""},
        email="Marie@Example.org", languages=["fr", "en"], social={"twitter": "@marie"},
        offices=[{"label": "Circonscription", "phone": "514 555-0111"}, {"label": ""}],
        riding_name="Lac-Imaginaire", actor=world.coordinator,
    )
    assert (target.name, target.email, target.role) == (
        "Marie Exemple", "marie@example.org", {"fr": "Députée"})
    assert target.riding == Riding.objects.get(name="Lac-Imaginaire", level=Level.FEDERAL)
    assert offices(target) == [("Circonscription", "+15145550111")]
    entry = AuditEntry.objects.get(action="solidaire.target.created")
    assert entry.actor == world.coordinator and entry.object_id == str(target.pk)


def test_a_bad_phone_is_refused_and_nothing_is_recorded(world):
    with pytest.raises(ValidationError):
        target_create(name="Sans Numéro", offices=[{"phone": "12"}])
    assert not Target.objects.exists()


def test_updating_replaces_offices_in_order_and_logs_only_a_real_change(world):
    target = target_create(name="Marie", offices=[{"label": "A", "phone": "5145550111"},
                                                  {"label": "B"}])
    first_office = target.offices.get(label="A").pk
    target_update(target=target, actor=world.coordinator, body="Parti",
                  offices=[{"label": "A2", "phone": "5145550112"}])
    target.refresh_from_db()
    assert target.body == "Parti"
    assert offices(target) == [("A2", "+15145550112")]
    assert target.offices.get().pk == first_office
    assert AuditEntry.objects.get(action="solidaire.target.updated").data == {
        "fields": ["body", "offices"]}
    target_update(target=target, body="Parti", offices=[{"label": "A2",
                                                         "phone": "+15145550112"}])
    assert AuditEntry.objects.filter(action="solidaire.target.updated").count() == 1


def test_a_french_windows_1252_semicolon_file_is_imported_and_bad_rows_reported(world):
    with translation.override("en"):
        summary = targets_import(content=FRENCH_FILE.read_bytes(), actor=world.coordinator)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert [number for number, _message in summary.problems] == [6, 7, 8, 9]
    messages = dict(summary.problems)
    assert messages[6] == "The name is empty."
    assert "Sénateur" in messages[7]
    assert "555" in messages[8]
    assert "pas-une-adresse" in messages[9]
    assert summary.ignored_columns == ["Couleur préférée"]

    elise = Target.objects.get(name="Élise Tremblay-Côté")
    assert (elise.kind, elise.level, elise.body) == (Target.Kind.MP, Level.FEDERAL,
                                                    "Parti imaginaire")
    assert elise.role == {"fr": "Députée de Rivière-des-Érables",
                          "en": "Member for Rivière-des-Érables"}
    assert (elise.riding.name, elise.riding.code, elise.riding.province) == (
        "Rivière-des-Érables", "99001", "QC")
    assert elise.languages == ["fr", "en"]
    assert elise.social == {"twitter": "@elise_exemple"}
    # The second row of the same target added its Ottawa office.
    assert offices(elise) == [("Bureau de circonscription", "+15145550101"),
                              ("Bureau d'Ottawa", "+16135550102")]
    assert elise.offices.first().address == "123, rue Principale\r\nVille-Exemple (Québec)"
    assert elise.offices.first().hours == "lun.–ven. 9 h à 17 h"
    minister = Target.objects.get(name="Jérôme Lévesque")
    assert (minister.kind, minister.riding, minister.languages) == (
        Target.Kind.MINISTER, None, ["fr"])
    employer = Target.objects.get(name="Entrepôts Exemple inc.")
    assert (employer.kind, employer.level) == (Target.Kind.EMPLOYER, Level.OTHER)
    entry = AuditEntry.objects.get(action="solidaire.targets.imported")
    assert entry.data == {"created": 3, "updated": 0, "unchanged": 0, "problems": 4}


def test_problems_are_written_in_the_importers_language(world):
    with translation.override("fr"):
        summary = targets_import(content=FRENCH_FILE.read_bytes())
    with translation.override("fr"):
        expected = translation.gettext("The name is empty.")
    assert dict(summary.problems)[6] == expected


def test_importing_again_updates_without_duplicates_and_keeps_what_cells_leave_empty(world):
    targets_import(content=FRENCH_FILE.read_bytes())
    changed = ("Nom,Type,Circonscription,Code circonscription,Organisation,Courriel\n"
               "élise tremblay-côté,MP,Rivière-des-Érables,99001,,elise@example.org\n"
               "Jérôme Lévesque,minister,,,Nouveau ministère,\n")
    summary = targets_import(content=FRENCH_FILE.read_bytes())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    summary = targets_import(content=changed.encode(), update=False)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert not Target.objects.filter(email="elise@example.org").exists()
    summary = targets_import(content=changed.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 0)
    assert Target.objects.count() == 3
    elise = Target.objects.get(email="elise@example.org")
    assert elise.body == "Parti imaginaire"  # the empty cell did not erase it
    assert elise.offices.count() == 2
    assert Target.objects.get(name="Jérôme Lévesque").body == "Nouveau ministère"


def test_a_file_without_a_name_column_is_refused_whole(world):
    with pytest.raises(CsvFileError):
        targets_import(content=b"Courriel;Telephone\na@example.org;5145550111\n")
    with pytest.raises(CsvFileError):
        targets_import(content=b"")


def test_the_command_imports_and_updates_only_when_asked(world, capsys):
    with translation.override("en"):
        call_command("targets", "import", str(FRENCH_FILE))
        out, err = capsys.readouterr()
        assert "3 created, 0 updated, 0 unchanged, 4 rows with problems." in out
        assert err.count("\n") == 4  # one line per bad row
        assert err.startswith("Row 6: ")
        call_command("targets", "import", str(FRENCH_FILE), "--update")
        out, _err = capsys.readouterr()
    assert "0 created, 0 updated, 3 unchanged" in out
    assert Target.objects.count() == 3
