"""`solidaire demo-data`: load the demo organizations, accounts and invented members.

The file name carries a hyphen so that the command reads `demo-data`; Django finds
commands by file name and imports them with importlib, which accepts it.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from solidaire.core.management.language import TerminalLanguageMixin
from solidaire.demo.management.options import add_people_and_seed, people_count
from solidaire.demo.services import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoRefused,
    database_is_empty,
    demo_allowed,
    demo_data_load,
    demo_two_factor_secret,
)


class Command(TerminalLanguageMixin, BaseCommand):
    help = (
        "Load the demo into an empty database: the workers' centre and its allies, their "
        "chapters, committees and campaigns, the demo accounts and N invented members. "
        "The same seed always gives the same members."
    )

    def add_arguments(self, parser):
        add_people_and_seed(parser)
        parser.add_argument(
            "--ledger-rows", type=people_count, default=0,
            help="How many more ledger rows of history (e-mails and calls to "
                 "decision-makers) to add over three years, for benchmarks "
                 "(default: %(default)s).",
        )

        parser.add_argument(
            "--reset", action="store_true",
            help=_("Start over: delete everything in the database (organizations, people, "
                   "accounts, their history), then load the demo. Development only."),
        )
        parser.add_argument(
            "--yes", "--noinput", "--no-input", action="store_false", dest="interactive",
            help=_("With --reset, do not ask for confirmation."),
        )

    def handle(self, *, people, seed, ledger_rows, verbosity, reset, interactive, **options):
        started = time.monotonic()
        if migrations_pending():
            raise CommandError(_("This database is not migrated yet: run `solidaire migrate` "
                                 "first (or `make demo`, which does it)."))
        if reset:
            self._reset(interactive=interactive)
        elif not database_is_empty():
            raise CommandError(_(
                "This database already holds organizations (`make demo` loads the demo "
                "once). To start over with new demo data, run the same command with "
                "--reset: it deletes everything in this database first."
            ))
        step = max(people // 20, 50_000)

        def progress(done: int, total: int) -> None:
            if verbosity >= 1 and total >= 100_000 and (done % step == 0 or done == total):
                self.stdout.write(_("  %(done)s of %(total)s members…")
                                  % {"done": f"{done:,}", "total": f"{total:,}"})

        def ledger_progress(done: int, total: int) -> None:
            if verbosity >= 1 and total >= 1_000_000 and (done % 1_000_000 == 0 or done == total):
                self.stdout.write(_("  %(done)s of %(total)s ledger rows…")
                                  % {"done": f"{done:,}", "total": f"{total:,}"})

        try:
            demo_data_load(people=people, seed=seed, progress=progress,
                           ledger_rows=ledger_rows, ledger_progress=ledger_progress)
        except DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the tables hold a million rows
            # instead of waiting for autovacuum.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(
                _("Demo data loaded: %(people)s invented members (seed %(seed)s) in "
                  "%(seconds).1f s.")
                % {"people": f"{people:,}", "seed": seed, "seconds": time.monotonic() - started}
            ))
            self.stdout.write(_("Demo accounts (password “%(password)s”):")
                              % {"password": DEMO_PASSWORD})
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.username:<12} {account.description}")
            self.stdout.write(_("coordinator logs in with a code from an authenticator app: "
                                "add the secret key %(secret)s to the app (or run: oathtool "
                                "--totp -b '%(secret)s').") % {"secret": demo_two_factor_secret()})

    def _reset(self, *, interactive: bool) -> None:
        # Refused outside development: a reset empties the whole database.
        if not demo_allowed():
            raise CommandError(_(
                "--reset is refused with these settings (DEMO_ACCOUNTS_ALLOWED is off): it "
                "would delete everything in the database."
            ))
        database = connection.settings_dict["NAME"]
        if interactive:
            try:
                answer = input(_(
                    "This deletes everything in the database %(database)s (organizations, "
                    "people, accounts and their history) and loads the demo again. Type "
                    "“yes” to continue: ") % {"database": database})
            except EOFError:  # no terminal to answer (stdin closed): nothing is deleted
                answer = ""
            if answer.strip().lower() not in ("yes", "oui", _("yes")):
                raise CommandError(_("Nothing was deleted."))
        call_command("flush", interactive=False, verbosity=0)


def migrations_pending() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
