"""The background worker: heartbeats, stale-job recovery, and surviving a killed worker."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.core.models import AuditEntry, WorkerHeartbeat
from solidaire.core.worker import heartbeat_record, jobs_requeue_stale

from tests import waiting
from tests.core import jobs
from tests.dbproxy import DatabaseProxy

REPO_ROOT = Path(__file__).resolve().parents[2]


def claimed_job(*, worker_id: str, started_ago: datetime.timedelta) -> DBTaskResult:
    result = jobs.apply_once_then_sleep.enqueue(key="k", workdir="/nonexistent")
    job = DBTaskResult.objects.get(id=result.id)
    job.claim(worker_id)
    DBTaskResult.objects.filter(id=job.id).update(started_at=timezone.now() - started_ago)
    return job


def test_requeue_hands_back_only_jobs_whose_worker_went_silent(db):
    silent = claimed_job(worker_id="silent", started_ago=datetime.timedelta(minutes=10))
    alive = claimed_job(worker_id="alive", started_ago=datetime.timedelta(minutes=10))
    just_claimed = claimed_job(worker_id="starting", started_ago=datetime.timedelta(seconds=1))
    heartbeat_record(worker_id="alive")
    WorkerHeartbeat.objects.create(
        worker_id="silent", last_seen=timezone.now() - datetime.timedelta(minutes=5)
    )

    assert jobs_requeue_stale(stale_after=datetime.timedelta(minutes=1)) == 1

    silent.refresh_from_db()
    assert silent.status == TaskResultStatus.READY
    assert silent.started_at is None
    assert silent.worker_ids == ["silent"]  # the history of attempts is kept
    assert DBTaskResult.objects.get(id=alive.id).status == TaskResultStatus.RUNNING
    # A job claimed moments ago is left alone even before its worker's first beat.
    assert DBTaskResult.objects.get(id=just_claimed.id).status == TaskResultStatus.RUNNING
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_worker_refuses_a_stale_delay_not_longer_than_the_heartbeat(db):
    with pytest.raises(CommandError, match="longer than"):
        call_command("worker", "--heartbeat-seconds", "5", "--stale-after-seconds", "5")


# Real worker processes, on the test database (SQLite file or PostgreSQL).


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    auth = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        auth += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{settings['NAME']}"


@pytest.fixture
def start_worker(tmp_path):
    """Start `python -m solidaire worker` processes; every one is killed at the end."""
    processes = []
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "solidaire.settings.test",
        "DATABASE_URL": database_url(),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                    os.environ.get("PYTHONPATH")])),
    }

    def start(name: str, *options: str, env: dict | None = None) -> subprocess.Popen:
        log = tmp_path / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "solidaire", "worker", "--interval", "0.2", *options],
                env={**base_env, **(env or {})}, cwd=REPO_ROOT, stdout=out,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        processes.append(process)
        return process

    try:
        yield start
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


def wait_until(condition, *, process: subprocess.Popen, timeout: float = 20) -> None:
    """`condition()`, polled while the worker runs; the worker's log when it fails."""
    def met():
        if process.poll() is not None:
            pytest.fail(f"worker exited ({process.returncode}):\n{process.log.read_text()}")
        return condition()

    waiting.wait_until(met, timeout=timeout, interval=0.1,
                       message=lambda: f"the worker; its log:\n{process.log.read_text()}")


def test_a_job_left_running_by_a_killed_worker_runs_again_and_applies_its_effect_once(
    transactional_db, tmp_path, start_worker
):
    (tmp_path / "sleep").write_text("60")
    result = jobs.apply_once_then_sleep.enqueue(key="kill-test", workdir=str(tmp_path))
    effect = AuditEntry.objects.filter(action="tests.job.effect", object_id="kill-test")

    first = start_worker("first", "--heartbeat-seconds", "1", "--stale-after-seconds", "2")
    wait_until(effect.exists, process=first)  # the job applied its effect and is sleeping
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    job = DBTaskResult.objects.get(id=result.id)
    assert job.status == TaskResultStatus.RUNNING  # what django_tasks_db alone leaves behind
    (tmp_path / "sleep").write_text("0")
    # Let the dead worker's last heartbeat, and the job's start, grow older than the
    # stale delay (2 s) that the second worker uses. Sleeping is the point here: that
    # time passing is what makes the job stale (nothing to poll for but the clock).
    last_sign_of_life = max(
        WorkerHeartbeat.objects.get(worker_id=job.worker_ids[-1]).last_seen, job.started_at
    )
    time.sleep(max(0, (last_sign_of_life - timezone.now()).total_seconds() + 2.2))

    second = start_worker(
        "second", "--batch", "--heartbeat-seconds", "1", "--stale-after-seconds", "2"
    )
    assert second.wait(timeout=30) == 0, second.log.read_text()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, second.log.read_text()
    assert len(job.worker_ids) == 2 and job.worker_ids[0] != job.worker_ids[1]
    assert (tmp_path / "starts").read_text().count("start") == 2  # at least once...
    assert effect.count() == 1  # ...and the idempotent handler applied its effect once
    assert "Re-queued 1 job" in second.log.read_text()
    assert not WorkerHeartbeat.objects.exists()  # the dead one's deleted, the other's cleared


def test_sigterm_lets_the_running_job_finish_then_stops_the_worker_cleanly(
    transactional_db, tmp_path, start_worker
):
    (tmp_path / "sleep").write_text("1.5")
    result = jobs.apply_once_then_sleep.enqueue(key="sigterm-test", workdir=str(tmp_path))

    worker = start_worker("worker", "--heartbeat-seconds", "1", "--stale-after-seconds", "3")
    wait_until((tmp_path / "starts").exists, process=worker)
    worker.send_signal(signal.SIGTERM)

    assert worker.wait(timeout=15) == 0, worker.log.read_text()
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.SUCCESSFUL
    assert not WorkerHeartbeat.objects.exists()


def test_sigterm_during_a_long_job_hands_it_back_within_seconds_and_another_worker_ends_it(
    transactional_db, tmp_path, start_worker
):
    result = jobs.batches_until_done.enqueue(workdir=str(tmp_path), batches=80)  # ~8 s
    done = tmp_path / "done"

    worker = start_worker("first", "--heartbeat-seconds", "1", "--stale-after-seconds", "3")
    wait_until(lambda: done.exists() and len(done.read_text().split()) >= 3, process=worker)
    asked = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=15) == 0, worker.log.read_text()
    assert time.monotonic() - asked < 5  # a deploy waits seconds, not the job's end
    job = DBTaskResult.objects.get(id=result.id)
    assert job.status == TaskResultStatus.READY, worker.log.read_text()  # handed back
    stopped_at = len(done.read_text().split())
    assert stopped_at < 80

    # The next worker resumes it; no batch is done twice.
    second = start_worker("second", "--batch")
    assert second.wait(timeout=30) == 0, second.log.read_text()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert done.read_text().split() == [str(i) for i in range(80)]
    assert not WorkerHeartbeat.objects.exists()


def test_the_worker_rides_out_a_database_restart_and_finishes_its_jobs(
    transactional_db, tmp_path, start_worker
):
    if connection.vendor != "postgresql":
        pytest.skip("a database server to lose: PostgreSQL (SQLite is a file)")
    settings = connection.settings_dict
    proxy = DatabaseProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    try:
        through_proxy = database_url().replace(
            f"{settings['HOST'] or 'localhost'}:{settings['PORT']}"
            if settings["PORT"] else (settings["HOST"] or "localhost"),
            f"127.0.0.1:{proxy.port}")
        assert f":{proxy.port}/" in through_proxy
        (tmp_path / "sleep").write_text("2")
        running = jobs.apply_once_then_sleep.enqueue(key="cut-while-running",
                                                     workdir=str(tmp_path))
        worker = start_worker("worker", "--heartbeat-seconds", "1",
                              "--stale-after-seconds", "3", env={"DATABASE_URL": through_proxy})
        wait_until((tmp_path / "starts").exists, process=worker)

        # The database goes away while the job runs, and stays away for 4 seconds: the
        # outage's length is what is tested (longer than the heartbeat and the stale
        # delay), so this sleep is the outage itself, not a wait for something.
        proxy.cut()
        later = jobs.apply_once_then_sleep.enqueue(key="queued-while-down",
                                                   workdir=str(tmp_path))
        time.sleep(4)
        assert worker.poll() is None, worker.log.read_text()
        (tmp_path / "sleep").write_text("0")
        proxy.restore()

        def finished():
            return DBTaskResult.objects.filter(
                id__in=[running.id, later.id], status=TaskResultStatus.SUCCESSFUL).count() == 2

        wait_until(finished, process=worker, timeout=40)
        assert worker.poll() is None  # still running, ready for more
        log = worker.log.read_text()
        assert "lost the database" in log
        for key in ("cut-while-running", "queued-while-down"):
            assert AuditEntry.objects.filter(action="tests.job.effect", object_id=key).count() == 1
    finally:
        proxy.close()
