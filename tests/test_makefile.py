"""The Makefile's virtualenv: made with the Python the lock file is for, and made again
when an earlier run made it with another one. Run on a copy of the Makefile in a
temporary folder, with stand-in Pythons that record what they are asked."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A stand-in Python of a given version: answers the Makefile's version check, makes a
# "virtualenv" holding a copy of itself, and accepts pip installs without doing them.
FAKE_PYTHON = """#!/bin/sh
VERSION={version}
case "$1" in
  --version) echo "Python $VERSION.0" ;;
  -c) [ "$VERSION" = "3.11" ] ;;
  -m) if [ "$2" = venv ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi ;;
esac
"""


def fake_python(folder: Path, name: str, version: str) -> Path:
    path = folder / name
    path.write_text(FAKE_PYTHON.format(version=version))
    path.chmod(0o755)
    return path


@pytest.fixture
def project(tmp_path):
    for name in ("Makefile", "pyproject.toml", "requirements/lock.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=project,
                          capture_output=True, text=True, timeout=60)


def stamp(project: Path) -> str:
    database = make(project, "-p", "-n", "venv").stdout
    return next(line.split(" := ", 1)[1] for line in database.splitlines()
                if line.startswith("STAMP := "))


def test_a_virtualenv_made_with_another_python_is_made_again_with_the_required_one(project):
    old = fake_python(project, "python3.9", "3.9")
    assert make(project, "venv", f"PYTHON={old}").returncode != 0
    # As an earlier make did: the virtualenv of the wrong Python, stamped as installed.
    subprocess.run([old, "-m", "venv", project / ".venv"], check=True)
    (project / stamp(project)).touch()
    right = fake_python(project, "python3.11", "3.11")

    done = make(project, "venv", f"PYTHON={right}")

    assert done.returncode == 0, done.stderr
    assert "made with Python 3.9.0; Solidaire needs Python 3.11: making it again" in done.stdout
    assert "VERSION=3.11" in (project / ".venv/bin/python").read_text()
    assert "Nothing to be done" in make(project, "venv", f"PYTHON={right}").stdout  # kept


def test_without_the_required_python_make_says_which_one_is_needed(project):
    old = fake_python(project, "python3.9", "3.9")

    done = make(project, "venv", f"PYTHON={old}")

    assert done.returncode != 0
    assert "Solidaire needs Python 3.11, and none was found" in done.stderr
    assert "make demo PYTHON=/path/to/python3.11" in done.stderr
    assert not (project / ".venv/bin/python").exists()


def test_make_demo_serves_on_the_port_given(project):
    done = make(project, "-n", "demo", "PORT=8001")
    assert "solidaire demo --addrport 127.0.0.1:8001" in done.stdout
