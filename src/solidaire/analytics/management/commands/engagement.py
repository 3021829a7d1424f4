"""`solidaire engagement …`: the engagement digest that audiences and the dashboard read.

The digest follows the ledger by itself (decisions 0029, 0054); `check` says whether it does,
and `rebuild` recomputes it whole (after restoring a backup or writing the ledger by
hand).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from solidaire.analytics.engagement import engagement_check, engagement_rebuild
from solidaire.core.management.language import TerminalLanguageMixin


class Command(TerminalLanguageMixin, BaseCommand):
    help = ("The engagement digest of each person's ledger: `check` (people whose digest "
            "differs from their ledger), `rebuild` (recompute it whole).")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="operation", required=True)
        commands.add_parser("check", help="List the people whose digest is out of step.")
        commands.add_parser("rebuild", help="Recompute every person's digest from the ledger.")

    def handle(self, *, operation, **options):
        if operation == "rebuild":
            started = time.perf_counter()
            people = engagement_rebuild()
            self.stdout.write(_("Engagement digest rebuilt for %(count)s people in %(seconds)s s.")
                              % {"count": people,
                                 "seconds": f"{time.perf_counter() - started:.1f}"})
            return
        wrong = engagement_check()
        if wrong:
            raise CommandError(
                _("The digest of %(count)s people differs from their ledger (first ids: "
                  "%(ids)s); run `solidaire engagement rebuild`.")
                % {"count": len(wrong), "ids": ", ".join(str(pk) for pk in wrong[:10])})
        self.stdout.write(_("The engagement digest matches the ledger."))
