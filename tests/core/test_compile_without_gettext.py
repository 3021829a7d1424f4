"""`make demo` needs only Python: the catalogues compile where GNU gettext is missing."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

import solidaire

PACKAGE = Path(solidaire.__file__).parent


def compile_in(copy: Path, path: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "solidaire", "compilemessages", "--verbosity", "1"],
        cwd=copy, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PATH": path, "PYTHONPATH": str(PACKAGE.parent),
             "DJANGO_SETTINGS_MODULE": "solidaire.settings.test"},
    )


def test_catalogues_compile_with_python_alone_and_translate(tmp_path):
    copy = tmp_path / "solidaire"
    shutil.copytree(PACKAGE / "locale", copy / "locale",
                    ignore=shutil.ignore_patterns("*.mo"))
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()  # a PATH where no msgfmt can be found

    done = compile_in(copy, str(empty_bin))

    assert done.returncode == 0, done.stderr
    assert "without msgfmt" in done.stdout
    with open(copy / "locale/fr/LC_MESSAGES/django.mo", "rb") as mo:
        french = gettext.GNUTranslations(mo)
    catalogue = polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))
    login = catalogue.find("Organizer login")
    assert login.msgstr and login.msgstr != "Organizer login"
    assert french.gettext("Organizer login") == login.msgstr
    # Plural forms come from the catalogue's header, as with msgfmt.
    assert french.plural(0) == 0 and french.plural(2) == 1


def test_an_unchanged_catalogue_is_not_compiled_again(tmp_path):
    copy = tmp_path / "solidaire"
    shutil.copytree(PACKAGE / "locale", copy / "locale",
                    ignore=shutil.ignore_patterns("*.mo"))
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    compile_in(copy, str(empty_bin))

    again = compile_in(copy, str(empty_bin))

    assert again.returncode == 0, again.stderr
    assert "already compiled and up to date" in again.stdout
