"""Starting over as the README says: `demo-data --reset` after `make demo`, a clear word
on an unmigrated database, and `solidaire demo` on a busy port."""

import os
import socket
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from solidaire.organizing.models import Organization

from tests.factories import OrganizationFactory


def solidaire(*args: str, tmp_path, lang: str = "en_CA.UTF-8") -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG=lang, DJANGO_SETTINGS_MODULE="solidaire.settings.dev",
               DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
               SOLIDAIRE_VAR_DIR=str(tmp_path))
    return subprocess.run([sys.executable, "-m", "solidaire", *args], env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_demo_data_on_a_database_with_organizations_says_how_to_start_over(db):
    OrganizationFactory(slug="already-here")
    with translation.override("en"), pytest.raises(CommandError, match="--reset"):
        call_command("demo-data", people=5, seed=1, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_demo_data_reset_deletes_everything_and_loads_the_demo_again():
    OrganizationFactory(slug="already-here")
    get_user_model().objects.create_user(username="someone-else")

    call_command("demo-data", people=20, seed=1, reset=True, interactive=False, verbosity=0)

    assert not Organization.objects.filter(slug="already-here").exists()
    assert not get_user_model().objects.filter(username="someone-else").exists()
    assert Organization.objects.filter(slug="iwc-cti").exists()


def test_demo_data_reset_deletes_nothing_unless_the_answer_is_yes(db, monkeypatch):
    OrganizationFactory(slug="already-here")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was deleted"):
        call_command("demo-data", people=5, seed=1, reset=True, verbosity=0)
    assert Organization.objects.filter(slug="already-here").exists()


def test_demo_data_reset_is_refused_when_demo_accounts_are_off(db, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    OrganizationFactory(slug="already-here")
    with translation.override("en"), pytest.raises(CommandError, match="refused"):
        call_command("demo-data", people=5, seed=1, reset=True, interactive=False,
                     verbosity=0)
    assert Organization.objects.filter(slug="already-here").exists()


@pytest.mark.parametrize(("lang", "message"), [
    ("en_CA.UTF-8", "run `solidaire migrate` first"),
    ("fr_CA.UTF-8", "lancez d'abord `solidaire migrate`"),
])
def test_demo_data_on_an_unmigrated_database_says_to_migrate_first(tmp_path, lang, message):
    done = solidaire("demo-data", "--people", "5", tmp_path=tmp_path, lang=lang)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("lang", "message"), [
    ("en_CA.UTF-8", "is already in use"),
    ("fr_CA.UTF-8", "est déjà utilisé"),
])
def test_demo_on_a_busy_port_says_so_and_how_to_choose_another(tmp_path, lang, message):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = solidaire("demo", "--addrport", f"127.0.0.1:{port}", tmp_path=tmp_path,
                         lang=lang)
    assert done.returncode != 0
    assert message in done.stderr
    assert f"make demo PORT={port + 1}" in done.stderr
    # Said before anything else was done: no database was made.
    assert not (tmp_path / "demo.sqlite3").exists()
