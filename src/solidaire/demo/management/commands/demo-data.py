"""`solidaire demo-data`: load the demo organizations, accounts and invented members.

The file name carries a hyphen so that the command reads `demo-data`; Django finds
commands by file name and imports them with importlib, which accepts it.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from solidaire.demo.management.options import add_people_and_seed, people_count
from solidaire.demo.services import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoRefused,
    demo_data_load,
    demo_two_factor_secret,
)


class Command(BaseCommand):
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

    def handle(self, *, people, seed, ledger_rows, verbosity, **options):
        started = time.monotonic()
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
