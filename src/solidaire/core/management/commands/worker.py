"""`solidaire worker`: run background jobs, re-queueing those a dead worker left behind."""

import logging
import os
import socket
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import valid_interval, valid_max_tasks

from solidaire.core.management.language import TerminalLanguageMixin
from solidaire.core.worker import HeartbeatWorker


def positive_seconds(value: str) -> float:
    seconds = valid_interval(value)
    if seconds <= 0:
        raise ArgumentTypeError("Must be greater than zero")
    return seconds


class Command(TerminalLanguageMixin, BaseCommand):
    help = (
        "Run background jobs from the database queue. A job left running by a worker "
        "that stopped sending heartbeats is put back on the queue and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name", default="*",
            help="Queues to process, comma-separated; '*' for all (default: %(default)r).",
        )
        parser.add_argument(
            "--interval", type=valid_interval, default=1.0,
            help="Seconds to wait when there is no job before looking again (default: 1).",
        )
        parser.add_argument(
            "--batch", action="store_true",
            help="Run every job that is ready, then exit.",
        )
        parser.add_argument(
            "--max-tasks", type=valid_max_tasks, default=None,
            help="Exit after running this many jobs.",
        )
        parser.add_argument(
            "--heartbeat-seconds", type=positive_seconds, default=None,
            help="Seconds between heartbeats (default: settings.WORKER_HEARTBEAT_SECONDS).",
        )
        parser.add_argument(
            "--stale-after-seconds", type=positive_seconds, default=None,
            help="A running job whose worker has been silent this long is re-queued "
                 "(default: settings.WORKER_STALE_AFTER_SECONDS).",
        )

    def handle(self, *, queue_name, interval, batch, max_tasks, heartbeat_seconds,
               stale_after_seconds, verbosity, **options):
        heartbeat_seconds = heartbeat_seconds or settings.WORKER_HEARTBEAT_SECONDS
        stale_after_seconds = stale_after_seconds or settings.WORKER_STALE_AFTER_SECONDS
        if stale_after_seconds <= heartbeat_seconds:
            raise CommandError(
                "--stale-after-seconds must be longer than --heartbeat-seconds, or the jobs "
                "of live workers would be re-queued."
            )
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError("`solidaire worker` runs jobs of the database task backend only.")
        self.configure_logging(verbosity)

        worker = HeartbeatWorker(
            queue_names=queue_name.split(","),
            excluded_queue_names=[],
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            # A random pause at start spreads out workers started together; a batch
            # run (tests, cron) has no reason to wait.
            startup_delay=not batch,
            worker_id=self.new_worker_id(),
            heartbeat_seconds=heartbeat_seconds,
            stale_after_seconds=stale_after_seconds,
        )
        worker.configure_signals()  # SIGTERM/SIGINT: finish the current job, then exit
        worker.run()

    @staticmethod
    def new_worker_id() -> str:
        """Readable in the job table (which machine, which process) and unique."""
        return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]

    @staticmethod
    def configure_logging(verbosity: int) -> None:
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("django_tasks", "django_tasks_db", "solidaire"):
            logging.getLogger(name).setLevel(level)
