"""Programs from Debian that some tests need, and the end-of-run notice when missing.

Outside CI a test that needs a missing program is skipped with a reason naming the
Debian package; at the end of the run `pytest_terminal_summary` (imported by
tests/conftest.py) repeats those reasons in one place, so a newcomer sees what was not
tested and what to install. On CI (CI=true) a missing program fails the test instead:
.ci/run installs them, and a quietly skipped browser suite would pass for green.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Skip reasons made here start with this, so the summary can find them among the
# skips of every xdist worker (only the reports travel back to the controller).
MISSING = "Not installed:"


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


def missing_tool(what: str, package: str) -> None:
    """Fail on CI, skip elsewhere: `what` (a program or a path) is not on this machine."""
    if on_ci():
        pytest.fail(f"{what} is missing: .ci/run must install Debian's {package}")
    pytest.skip(f"{MISSING} {what} (apt-get install {package})")


def require_program(program: str, package: str) -> str:
    """The path of `program`, or a skip (a failure on CI) naming its Debian package."""
    path = shutil.which(program)
    if path is None:
        missing_tool(program, package)
    return path  # type: ignore[return-value]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(MISSING):
            counts[reason] = counts.get(reason, 0) + 1
    if not counts:
        return
    terminalreporter.section("tests skipped: programs missing", sep="=", yellow=True,
                             bold=True)
    for reason, count in sorted(counts.items()):
        terminalreporter.line(f"{count} test(s) skipped. {reason}")
    terminalreporter.line("Install them and run the suite again to test everything.")
