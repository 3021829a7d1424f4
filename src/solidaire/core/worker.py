"""The background worker: django_tasks_db's worker, plus heartbeats and stale-job recovery.

django_tasks_db marks a job RUNNING when a worker claims it and nothing ever hands it
back if that worker dies (killed, out of memory, machine lost). Here every worker
writes a heartbeat row while it runs; a RUNNING job whose worker has been silent for
longer than the stale delay goes back to READY and runs again. Jobs therefore run at
least once, and handlers must be idempotent (see docs/decisions/0005-background-jobs.md).

It also rides out a database restart (it reconnects with backoff instead of exiting) and
stops within seconds of SIGTERM: long jobs ask `stop_requested()` between batches and
either return or raise `JobHandedBack` to put themselves back on the queue
(docs/decisions/0048-worker-queues-and-restarts.md).
"""

from __future__ import annotations

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# The outbox sweep looks for e-mails older than a minute; looking more often is waste.
OUTBOX_FLUSH_SECONDS = 60
# After losing the database, wait 1 s, then 2, 4… up to this, before trying again.
RECONNECT_MAX_SECONDS = 15

# Set once this process was asked to stop (SIGTERM, SIGINT): long jobs look at it
# between batches so that a deploy never waits for a 10,000-signature job to end.
_stopping = threading.Event()


def stop_requested() -> bool:
    """True once this worker process was asked to stop: long jobs return between batches."""
    return _stopping.is_set()


class JobHandedBack(Exception):
    """Raised by a job that stops early because the worker is stopping: the job goes back
    on the queue (READY) instead of being marked failed, and another worker resumes it.
    Only for jobs that are safe to run again from the start (all of ours are)."""


def hand_back_if_stopping() -> None:
    """For long jobs, between two units of work: give the job back if asked to stop."""
    if _stopping.is_set():
        raise JobHandedBack


def jobs_requeue_own(*, worker_id: str) -> int:
    """Hand back the jobs this worker holds as RUNNING but is not running any more (its
    database connection died under them, so it could not record their end)."""
    requeued = 0
    running = DBTaskResult.objects.running()
    for job_id, started_at, worker_ids in running.values_list("id", "started_at", "worker_ids"):
        if worker_ids and worker_ids[-1] == worker_id:
            requeued += DBTaskResult.objects.filter(
                id=job_id, status=TaskResultStatus.RUNNING, started_at=started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
    return requeued


@transaction.atomic
def daily_task_enqueue(*, task_path: str, today: datetime.date | None = None) -> bool:
    """Enqueue the task at `task_path` unless it was already enqueued today (local time).

    Several workers call this: the check and the enqueue happen under one lock (SQLite's
    IMMEDIATE transactions write-lock at the start; PostgreSQL takes an advisory lock
    named after the task), so the task is enqueued at most once a day. True if enqueued.
    """
    today = today or timezone.localdate()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                           [f"solidaire.daily:{task_path}"])
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    if DBTaskResult.objects.filter(task_path=task_path, enqueued_at__gte=start).exists():
        return False
    import_string(task_path).enqueue()
    return True


def daily_tasks_enqueue(*, today: datetime.date | None = None) -> tuple[list[str], bool]:
    """Enqueue every task of settings.SOLIDAIRE_DAILY_TASKS not yet enqueued today.

    Returns the dotted paths enqueued now, and False if any failed (logged; the
    others still go ahead).
    """
    enqueued, ok = [], True
    for task_path in getattr(settings, "SOLIDAIRE_DAILY_TASKS", ()):
        try:
            if daily_task_enqueue(task_path=task_path, today=today):
                enqueued.append(task_path)
        except Exception:
            ok = False
            logger.exception("Enqueueing the daily task %s failed; retrying later.", task_path)
    return enqueued, ok


@transaction.atomic
def heartbeat_record(*, worker_id: str) -> None:
    """Say that `worker_id` is alive now (insert or refresh its row)."""
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now):
        WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=now, last_seen=now)


def heartbeat_clear(*, worker_id: str) -> None:
    """A worker that stops cleanly removes its row."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def jobs_requeue_stale(*, stale_after: datetime.timedelta) -> int:
    """Hand back to the queue every RUNNING job whose worker has been silent too long.

    A job is stale when it started more than `stale_after` ago and its last worker
    (worker_ids[-1]) has no heartbeat newer than that. Heartbeats older than that are
    deleted. Returns how many jobs were re-queued.
    """
    cutoff = timezone.now() - stale_after
    WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).delete()
    alive = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))

    requeued = 0
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for job_id, started_at, worker_ids in running.values_list("id", "started_at", "worker_ids"):
        if worker_ids and worker_ids[-1] in alive:
            continue
        # Conditional update: if another worker re-queued or re-claimed the job since we
        # read it, its status or started_at changed and this touches nothing.
        requeued += DBTaskResult.objects.filter(
            id=job_id, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY, started_at=None)
    if requeued:
        logger.warning("Re-queued %d job(s) left running by a silent worker.", requeued)
    return requeued


_HANDED_BACK = f"{JobHandedBack.__module__}.{JobHandedBack.__qualname__}"


class HeartbeatWorker(Worker):
    """django_tasks_db's Worker, with a heartbeat thread that also recovers stale jobs."""

    def __init__(
        self,
        *,
        heartbeat_seconds: float,
        stale_after_seconds: float,
        **worker_options,
    ):
        super().__init__(**worker_options)
        self.heartbeat_seconds = heartbeat_seconds
        self.stale_after = datetime.timedelta(seconds=stale_after_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_flush: float | None = None
        self._daily_done: datetime.date | None = None

    def run(self) -> None:
        self._thread = threading.Thread(
            target=self._heartbeat_loop, name=f"heartbeat-{self.worker_id}", daemon=True
        )
        started = False
        backoff, last_failure = 1.0, 0.0
        try:
            while self.running:
                try:
                    if not started:
                        # Before the first claim: be seen alive, and put stale jobs back
                        # so that a --batch run picks them up too.
                        heartbeat_record(worker_id=self.worker_id)
                        self.maintain()
                        self._thread.start()
                        started = True
                    super().run()
                    return  # --batch or --max-tasks reached, or asked to stop
                except (OperationalError, InterfaceError) as error:
                    # The database went away (restart, failover, network): wait and go
                    # on rather than exit. The class only: the message may hold data.
                    if time.monotonic() - last_failure > 60:
                        backoff = 1.0  # a new outage, not the same one
                    last_failure = time.monotonic()
                    logger.warning("Worker %s lost the database (%s); trying again in %.0f s.",
                                   self.worker_id, type(error).__name__, backoff)
                    connections.close_all()
                    self.startup_delay = False
                    if self._stopping_wait(backoff):
                        return
                    backoff = min(backoff * 2, RECONNECT_MAX_SECONDS)
                    self._requeue_own()
        finally:
            self._stop.set()
            if self._thread.is_alive():
                self._thread.join(timeout=self.heartbeat_seconds + 5)
            try:
                heartbeat_clear(worker_id=self.worker_id)
            except DatabaseError:
                logger.warning("Could not remove the heartbeat of worker %s.", self.worker_id)
            logger.info("Worker %s stopped.", self.worker_id)

    def _stopping_wait(self, seconds: float) -> bool:
        """Sleep `seconds`, or less if asked to stop; True if asked to stop."""
        return _stopping.wait(seconds) or not self.running

    def _requeue_own(self) -> None:
        """After a lost connection: a job this worker was running when it happened could
        not be marked done or failed, so it goes back on the queue (handlers are
        idempotent). If the database is still away, the next loop tries again."""
        try:
            requeued = jobs_requeue_own(worker_id=self.worker_id)
        except (OperationalError, InterfaceError):
            connections.close_all()
            return
        if requeued:
            logger.warning("Worker %s handed back %d job(s) cut off by the database.",
                           self.worker_id, requeued)

    def shutdown(self, signum, frame) -> None:
        # Long jobs see this between batches and return or hand themselves back.
        _stopping.set()
        super().shutdown(signum, frame)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if (db_task_result.status == TaskResultStatus.FAILED
                and db_task_result.exception_class_path == _HANDED_BACK):
            # Not a failure: the job stopped early because this worker is stopping.
            DBTaskResult.objects.filter(
                id=db_task_result.id, status=TaskResultStatus.FAILED
            ).update(status=TaskResultStatus.READY, started_at=None, finished_at=None,
                     exception_class_path="", traceback="")
            logger.info("Job %s handed back to the queue: the worker is stopping.",
                        db_task_result.id)

    def maintain(self) -> None:
        """Periodic housekeeping: re-queue stale jobs, sweep the e-mail outbox, daily jobs.

        A failure is logged and tried again next time: it must never stop the heartbeat.
        """
        from .outbox import outbox_flush  # the outbox enqueues tasks; import late

        try:
            jobs_requeue_stale(stale_after=self.stale_after)
        except Exception:
            logger.exception("Re-queueing stale jobs failed; retrying at the next beat.")
        # Sweeps (settings.SOLIDAIRE_SWEEPS) run at every beat: each is one cheap query
        # that queues a job when work was left waiting (e.g. signatures not yet recorded).
        for path in getattr(settings, "SOLIDAIRE_SWEEPS", ()):
            try:
                import_string(path)()
            except Exception:
                logger.exception("The sweep %s failed; retrying at the next beat.", path)
        if self._last_flush is None or time.monotonic() - self._last_flush >= OUTBOX_FLUSH_SECONDS:
            self._last_flush = time.monotonic()
            try:
                outbox_flush()
            except Exception:
                logger.exception("Sweeping the e-mail outbox failed; retrying later.")
            # Daily jobs are looked at as often as the outbox: one query per task
            # until it is enqueued, then nothing more in this process until tomorrow.
            today = timezone.localdate()
            if self._daily_done != today:
                _enqueued, ok = daily_tasks_enqueue(today=today)
                if ok:
                    self._daily_done = today

    def _heartbeat_loop(self) -> None:
        # Runs in its own thread, hence on its own database connection.
        try:
            while not self._stop.wait(self.heartbeat_seconds):
                close_old_connections()
                try:
                    heartbeat_record(worker_id=self.worker_id)
                except DatabaseError:
                    # A locked or unreachable database: try again at the next beat.
                    logger.warning("Heartbeat of worker %s failed; retrying.", self.worker_id,
                                   exc_info=True)
                    continue
                self.maintain()
        finally:
            connections.close_all()
