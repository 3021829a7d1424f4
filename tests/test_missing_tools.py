"""A missing Debian program is named at the end of the run, with the package to install;
on CI it fails the tests that need it instead."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NEEDS_A_MISSING_PROGRAM = '''
from tests.tools import require_program


def test_reads_a_pdf():
    require_program("no-such-program-here", "poppler-utils")
'''


def run_pytest(tmp_path: Path, *, ci: str) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text(
        "from tests.tools import pytest_terminal_summary  # noqa: F401\n")
    (tmp_path / "test_pdf.py").write_text(NEEDS_A_MISSING_PROGRAM)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": ci}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:xdist",
         "-p", "no:cacheprovider", "-p", "no:randomly", "-c", str(tmp_path / "pytest.ini"),
         str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_missing_program_is_skipped_and_named_with_its_package_at_the_end_of_the_run(
        tmp_path):
    done = run_pytest(tmp_path, ci="")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout
    summary = done.stdout.split("tests skipped: programs missing", 1)[1]
    assert "no-such-program-here (apt-get install poppler-utils)" in summary


def test_a_missing_program_fails_the_test_on_ci(tmp_path):
    done = run_pytest(tmp_path, ci="true")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    assert ".ci/run must install Debian's poppler-utils" in done.stdout
