"""The background worker: django_tasks_db's worker, plus heartbeats and stale-job recovery.

django_tasks_db marks a job RUNNING when a worker claims it and nothing ever hands it
back if that worker dies (killed, out of memory, machine lost). Here every worker
writes a heartbeat row while it runs; a RUNNING job whose worker has been silent for
longer than the stale delay goes back to READY and runs again. Jobs therefore run at
least once, and handlers must be idempotent (see docs/decisions/0005-background-jobs.md).
"""

from __future__ import annotations

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# The outbox sweep looks for e-mails older than a minute; looking more often is waste.
OUTBOX_FLUSH_SECONDS = 60


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
        # Before the first claim: be seen alive, and put stale jobs back so that a
        # --batch run picks them up too.
        heartbeat_record(worker_id=self.worker_id)
        self.maintain()
        self._thread = threading.Thread(
            target=self._heartbeat_loop, name=f"heartbeat-{self.worker_id}", daemon=True
        )
        self._thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            self._thread.join(timeout=self.heartbeat_seconds + 5)
            try:
                heartbeat_clear(worker_id=self.worker_id)
            except DatabaseError:
                logger.warning("Could not remove the heartbeat of worker %s.", self.worker_id)
            logger.info("Worker %s stopped.", self.worker_id)

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
