"""`solidaire demo`: a real process that migrates, loads, serves and stops with its worker."""

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    def answers() -> bool:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 -- loopback
                return response.status == 200
        except OSError:
            return False

    wait_until(answers, timeout=timeout, interval=0.3, message="the demo server to answer")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def start_demo(tmp_path: Path, port: int, **popen) -> subprocess.Popen:
    """`solidaire demo` on a new SQLite database in `tmp_path`, serving on `port`."""
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "SOLIDAIRE_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "solidaire", "demo", "--addrport", f"127.0.0.1:{port}",
         "--people", "20"],
        env=env, **popen,
    )


def _interrupt_by_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc for children")
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_demo_loads_an_empty_database_serves_and_stops_with_its_worker(tmp_path, stop_signal):
    port = free_port()
    database = tmp_path / "demo.sqlite3"
    process = start_demo(
        tmp_path, port, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # Ctrl-C as in a terminal, even when the suite itself runs in the background
        # (a shell starts background jobs with SIGINT ignored, and Python keeps that).
        preexec_fn=_interrupt_by_default,
    )
    try:
        wait_for_health(f"http://127.0.0.1:{port}/healthz", process)
        workers = children_of(process.pid)
        assert len(workers) == 1
        assert "worker" in Path(f"/proc/{workers[0]}/cmdline").read_text()

        process.send_signal(stop_signal)  # Ctrl-C, or a plain `kill`
        # Read the output while waiting (a full pipe would block the server and its
        # worker); the worker may take its 10 s to finish a job, more on a loaded machine.
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        for pid in workers:  # its own session, and our pipe: not killed with the demo
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"the demo did not stop within 60 s of the signal:\n{output}")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert gone(workers[0]), output
    assert "coordinator" in output and "solidaire-demo" in output
    assert "ONXW Y2LE MFUX EZJN MRSW 23ZN ORXX I4BB" in output  # its two-factor secret
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM people_person").fetchone() == (20,)
        assert db.execute(
            "SELECT count(*) FROM auth_user WHERE username IN ('coordinator', 'montreal', "
            "'rimouski')").fetchone() == (3,)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux parent-death signal")
def test_the_worker_stops_when_the_demo_is_killed_outright(tmp_path):
    port = free_port()
    process = start_demo(tmp_path, port, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    workers = []
    try:
        wait_for_health(f"http://127.0.0.1:{port}/healthz", process)
        workers = children_of(process.pid)
        assert len(workers) == 1
        process.kill()  # no handler, no `finally`: as when a machine runs out of memory
        process.wait()
        wait_until(lambda: gone(workers[0]), timeout=30, interval=0.2,
                   message="the worker to stop with the demo")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
