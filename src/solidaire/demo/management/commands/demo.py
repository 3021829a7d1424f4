"""`solidaire demo`: migrate, load the demo into an empty database, run a worker and serve."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import signal
import socket
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from solidaire.core.management.language import TerminalLanguageMixin
from solidaire.demo.management.options import add_people_and_seed
from solidaire.demo.services import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    database_is_empty,
    demo_allowed,
    demo_two_factor_secret,
)

WORKER_STOP_SECONDS = 10


class Command(TerminalLanguageMixin, BaseCommand):
    help = (
        "Run the demo: apply migrations, load demo data when the database holds no "
        "organization yet, start a background worker and serve the site until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000",
            help="Address and port to serve on (default: %(default)s).",
        )
        add_people_and_seed(parser)

    def handle(self, *, addrport, people, seed, verbosity, **options):
        if not demo_allowed():
            raise CommandError(_(
                "The demo is not allowed with these settings (DEMO_ACCOUNTS_ALLOWED is off)."
            ))
        # Checked before anything else: runserver would only say "That port is already in
        # use" after the migrations and the demo data, with no way out.
        port_busy = _port_in_use(addrport)
        if port_busy:
            raise CommandError(_(
                "Port %(port)s is already in use (another server, or an earlier demo still "
                "running?). Stop it, or choose another port: make demo PORT=%(other)s (or "
                "solidaire demo --addrport 127.0.0.1:%(other)s)."
            ) % {"port": port_busy, "other": port_busy + 1})
        call_command("migrate", interactive=False, verbosity=min(verbosity, 1))
        if database_is_empty():
            call_command("demo-data", people=people, seed=seed, verbosity=0)
            self.stdout.write(_("Demo data loaded: %(people)s invented members.")
                              % {"people": f"{people:,}"})
        else:
            self.stdout.write(_("The database already holds organizations: kept as it is."))

        worker = self._worker_start()
        # A plain `kill` should stop the worker too, not only Ctrl-C.
        previous_sigterm = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            self._welcome(addrport)
            call_command("runserver", addrport, use_reloader=False)
        finally:
            signal.signal(signal.SIGTERM, previous_sigterm)
            self._worker_stop(worker)

    def _worker_start(self) -> subprocess.Popen:
        # Its own session: Ctrl-C reaches this process only, which then asks the
        # worker to finish its current job and stop (SIGTERM), once.
        worker = subprocess.Popen(
            [sys.executable, "-m", "solidaire", "worker"], start_new_session=True,
            preexec_fn=_stop_with_parent,
        )
        self.stdout.write(_("Background worker started (process %(pid)s).")
                          % {"pid": worker.pid})
        return worker

    def _worker_stop(self, worker: subprocess.Popen) -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write(_("Background worker stopped."))

    def _welcome(self, addrport: str) -> None:
        host, _sep, port = addrport.rpartition(":")
        if host in ("", "0.0.0.0", "0", "[::]"):  # noqa: S104 -- only to print a link
            host = "127.0.0.1"
        url = f"http://{host}:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Solidaire demo: %(url)s") % {"url": url}))
        self.stdout.write(_("Organizer pages: %(url)sfr/organize/ — accounts, password "
                            "“%(password)s”:") % {"url": url, "password": DEMO_PASSWORD})
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<12} {account.description}")
        self.stdout.write(_("coordinator logs in with a code from an authenticator app: add "
                            "the secret key %(secret)s to the app (or run: oathtool --totp "
                            "-b '%(secret)s').") % {"secret": demo_two_factor_secret()})
        self.stdout.write(_("Administration: %(url)sadmin/ (an account made with “solidaire "
                            "createsuperuser”, after a two-factor code)") % {"url": url})
        self.stdout.write(_("Press Ctrl-C to stop the server and the worker."))
        self.stdout.write("")


def _port_in_use(addrport: str) -> int | None:
    """The port, when something on this machine already listens there."""
    host, _sep, port_text = addrport.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    try:
        port = int(port_text)
    except ValueError:
        return None  # runserver says what is wrong with it
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As runserver binds: SO_REUSEADDR, so a port left in TIME_WAIT reads as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return port
    return None


def _exit_on_sigterm(signum, frame):
    raise SystemExit(0)


PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    """In the worker, before it starts: if the demo is killed outright (no `finally`
    runs), Linux sends the worker SIGTERM, so it finishes its job and stops instead of
    running on alone. Elsewhere nothing is done."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
