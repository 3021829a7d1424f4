"""On CI, property tests have no per-example deadline: a shared, busy machine makes an
example slow without anything being wrong (tests/conftest.py)."""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import django; django.setup(); import tests.conftest; "
         "from hypothesis import settings; print(settings.default.deadline)")


def deadline_with(ci: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["DJANGO_SETTINGS_MODULE"] = "solidaire.settings.test"
    if ci is not None:
        env["CI"] = ci
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_on_ci_hypothesis_has_no_deadline():
    assert deadline_with("true") == "None"  # what .ci/run exports


def test_elsewhere_hypothesis_keeps_its_deadline():
    assert deadline_with(None) != "None"
