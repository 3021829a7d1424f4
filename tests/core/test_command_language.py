"""Every solidaire command speaks the terminal's language (LC_ALL, LC_MESSAGES, LANG),
in its --help and in what it prints; English when the terminal says nothing else."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from solidaire.core.management.language import terminal_language


def solidaire(*args: str, lang: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG=lang, DJANGO_SETTINGS_MODULE="solidaire.settings.dev")
    return subprocess.run([sys.executable, "-m", "solidaire", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "en_CA.UTF-8"}, "en"),
    ({"LANG": "fr_CA.UTF-8"}, "fr"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_CA.UTF-8"}, "en"),
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_CA.UTF-8"}, "fr"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "es_MX.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_terminal_language_is_read_from_the_locale_variables(environ, language):
    assert terminal_language(environ) == language


def test_people_import_help_is_english_in_an_english_terminal():
    done = solidaire("people", "import", "--help", lang="en_CA.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "Import as this organizer (their scope applies)." in done.stdout
    assert "organisatrice" not in done.stdout


def test_people_import_help_is_french_in_a_french_terminal():
    done = solidaire("people", "import", "--help", lang="fr_CA.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "Importer au nom de ce compte" in done.stdout


@pytest.mark.parametrize(("lang", "message"), [
    ("en_CA.UTF-8", "No file at /no/such/file.csv."),
    ("fr_CA.UTF-8", "Aucun fichier à l'emplacement /no/such/file.csv."),
])
def test_a_command_prints_in_the_terminal_language(lang, message):
    done = solidaire("targets", "import", "/no/such/file.csv", lang=lang)
    assert done.returncode != 0
    assert message in done.stderr


def test_targets_import_help_names_the_columns_it_reads():
    done = solidaire("targets", "import", "--help", lang="en_CA.UTF-8")
    text = " ".join(done.stdout.split())
    for column in ("name / nom", "kind / type", "riding / circonscription", "email",
                   "phone / telephone"):
        assert column in text


def test_the_readme_names_the_target_columns_and_links_the_riding_table_format():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "[docs/ridings-table.md](docs/ridings-table.md)" in readme
    assert "riding/circonscription" in readme and "name/nom" in readme
    assert "demo-data --reset" in readme
