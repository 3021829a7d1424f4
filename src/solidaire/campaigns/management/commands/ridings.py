"""`solidaire ridings load FILE --level federal|provincial`: the postal-prefix table.

The file format is in docs/ridings-table.md. The table of that level is replaced in
one transaction; ridings are kept (found by code, else by name) so targets keep
theirs. A bad line is reported and skipped. Re-running is safe.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from solidaire.campaigns import services, targets_csv
from solidaire.campaigns.models import Level
from solidaire.core.management.language import TerminalLanguageMixin


class Command(TerminalLanguageMixin, BaseCommand):
    help = "Ridings: `load FILE --level federal|provincial` (prefix,riding_code,riding_name," \
           "province)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="operation", required=True)
        load = commands.add_parser("load", help="Replace the postal-prefix table of a level.")
        load.add_argument("file", type=Path)
        load.add_argument("--level", required=True,
                          choices=[Level.FEDERAL, Level.PROVINCIAL, Level.MUNICIPAL])
        load.add_argument("--user", help="Record the load in the audit log as this account.")

    def handle(self, *, operation, file, level, user, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("No account named %(name)s.") % {"name": user})
        if not file.exists():
            raise CommandError(_("No file at %(path)s.") % {"path": file})
        try:
            summary = services.ridings_load(content=file.read_bytes(), level=level,
                                            actor=actor)
        except targets_csv.CsvFileError as error:
            raise CommandError(str(error.message)) from error
        for number, message in summary.problems:
            self.stderr.write(_("Line %(line)s: %(problem)s") % {"line": number,
                                                                  "problem": message})
        self.stdout.write(_("%(prefixes)s postal prefixes loaded; %(created)s ridings "
                            "created, %(updated)s updated; %(problems)s lines with "
                            "problems.") % {
            "prefixes": summary.prefixes, "created": summary.ridings_created,
            "updated": summary.ridings_updated, "problems": len(summary.problems),
        })
