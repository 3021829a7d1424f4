"""The spool keeps entries sealed on disk until they are recorded, each once, and never
lets a bad one hold up the rest (decision 0051). The forms that fill it are tested in
tests/public/test_database_outage.py."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import OperationalError
from django.utils import translation

from solidaire.core import spool
from solidaire.core.crypto import unseal
from solidaire.core.spool import (
    SpoolEntryRejected,
    spool_append,
    spool_dir,
    spool_drain,
    spool_sweep,
)

RECORDED: list[int] = []
FAIL_ONCE: set[int] = set()
WRITE_DURING_DRAIN: list[int] = []


def record(data: dict) -> str:
    """The handler of the test entries: a list stands in for the database."""
    number = data["n"]
    if number in FAIL_ONCE:
        FAIL_ONCE.discard(number)
        raise OperationalError("server closed the connection unexpectedly")
    if data.get("gone"):
        raise SpoolEntryRejected(f"entry {number} is for something deleted")
    if data.get("bug"):
        raise ValueError(f"secret {data['secret']}")
    if WRITE_DURING_DRAIN:
        spool_append(kind="test.entry", data={"n": WRITE_DURING_DRAIN.pop()})
    outcome = "replay" if number in RECORDED else "new"
    RECORDED.append(number)
    return outcome


@pytest.fixture(autouse=True)
def _spool(settings, tmp_path):
    settings.SOLIDAIRE_SPOOL_DIR = tmp_path / "spool"
    settings.SOLIDAIRE_SPOOL_HANDLERS = {"test.entry": f"{__name__}.record"}
    RECORDED.clear()
    FAIL_ONCE.clear()
    WRITE_DURING_DRAIN.clear()
    yield
    spool._unsent.clear()


def files(pattern="*"):
    return sorted(path for path in spool_dir().glob(pattern) if path.is_file())


def test_each_entry_is_a_sealed_line_that_names_no_one_on_disk():
    spool_append(kind="test.entry", data={"n": 1, "email": "amina@example.org"})
    spool_append(kind="test.entry", data={"n": 2, "email": "luc@example.org"})
    [path] = files("*.spool")
    content = path.read_bytes()
    assert content.count(b"\n") == 2 and b"@example.org" not in content
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    first = unseal(content.split(b"\n")[0].decode(), aad=spool.AAD)
    assert '"amina@example.org"' in first


def test_a_drain_records_every_entry_once_and_removes_the_file():
    for number in (1, 2, 3):
        spool_append(kind="test.entry", data={"n": number})
    result = spool_drain()
    assert (result.recorded, result.rejected, result.left) == (3, 0, 0)
    assert RECORDED == [1, 2, 3]
    assert files() == []
    assert spool_drain().recorded == 0 and RECORDED == [1, 2, 3]


def test_when_the_database_goes_away_again_the_rest_waits_for_the_next_drain():
    for number in (1, 2, 3):
        spool_append(kind="test.entry", data={"n": number})
    FAIL_ONCE.add(2)
    first = spool_drain()
    assert (first.recorded, first.left, first.database_down) == (1, 2, True)
    assert RECORDED == [1]
    assert len(files("*.draining")) == 1
    second = spool_drain()
    assert (second.recorded, second.left) == (2, 0)
    assert RECORDED == [1, 2, 3]  # the first is not recorded again
    assert files() == []


def test_a_bad_entry_is_set_aside_with_its_reason_and_the_others_go_through(caplog):
    spool_append(kind="test.entry", data={"n": 1, "gone": True})
    spool_append(kind="test.entry", data={"n": 2, "bug": True, "secret": "amina@example.org"})
    spool_append(kind="other.kind", data={"n": 3})
    spool_append(kind="test.entry", data={"n": 4})
    result = spool_drain()
    assert (result.recorded, result.rejected) == (1, 3)
    assert RECORDED == [4]
    assert "entry 1 is for something deleted" in caplog.text
    assert "the handler raised ValueError" in caplog.text
    assert "no handler for this kind" in caplog.text
    assert "amina" not in caplog.text
    [aside] = files("rejected/*.spool")
    assert aside.read_bytes().count(b"\n") == 3 and b"amina" not in aside.read_bytes()
    assert not files("*.spool") and not files("*.draining")


def test_entries_set_aside_are_tried_again_when_their_file_is_moved_back(settings):
    spool_append(kind="other.kind", data={"n": 7})
    assert spool_drain().rejected == 1
    settings.SOLIDAIRE_SPOOL_HANDLERS = {"test.entry": f"{__name__}.record",
                                         "other.kind": f"{__name__}.record"}
    [aside] = files("rejected/*.spool")
    aside.rename(spool_dir() / aside.name)
    assert spool_drain().recorded == 1 and RECORDED == [7]


def test_a_line_cut_short_by_a_crash_is_set_aside_and_the_whole_lines_recorded():
    spool_append(kind="test.entry", data={"n": 1})
    [path] = files("*.spool")
    with path.open("ab") as handle:
        handle.write(b"v1:status-half-written")
    result = spool_drain()
    assert (result.recorded, result.rejected) == (1, 1)
    assert RECORDED == [1]


def test_an_entry_written_while_a_drain_runs_goes_to_a_new_file_and_is_not_lost():
    spool_append(kind="test.entry", data={"n": 1})
    WRITE_DURING_DRAIN.append(2)
    assert spool_drain().recorded == 1
    assert len(files("*.spool")) == 1  # the writer started a new file
    assert spool_drain().recorded == 1
    assert RECORDED == [1, 2]


def test_a_sweep_works_within_its_time_and_leaves_the_rest_for_the_next():
    for number in range(5):
        spool_append(kind="test.entry", data={"n": number})
    result = spool_drain(seconds=0)
    assert (result.recorded, result.left) == (0, 5)
    assert spool_sweep() is True
    assert RECORDED == [0, 1, 2, 3, 4]


def test_every_worker_sweeps_the_spool_and_the_command_drains_it(capsys):
    assert "solidaire.core.spool.spool_sweep" in django_settings.SOLIDAIRE_SWEEPS
    spool_append(kind="test.entry", data={"n": 1})
    with translation.override("en"):
        call_command("spool-drain")
    assert "1 entries recorded, 0 set aside, 0 still waiting" in capsys.readouterr().out
    assert RECORDED == [1]


def test_the_web_process_drains_its_own_spool_in_the_background_only_when_it_wrote_one():
    assert spool.spool_drain_soon() is None
    spool_append(kind="test.entry", data={"n": 1})
    drainer = spool.spool_drain_soon()
    drainer.join(5)
    assert RECORDED == [1]
    assert spool.spool_drain_soon() is None
