"""`solidaire targets import FILE [--update]`: record targets from a CSV file.

The columns are listed in decision 0019 (French or English headers). Without
`--update`, targets already recorded (same name, kind and riding) are left as they
are; with it, the file's non-empty cells replace theirs. Re-running is safe.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from solidaire.campaigns import services, targets_csv
from solidaire.core.management.language import TerminalLanguageMixin


class Command(TerminalLanguageMixin, BaseCommand):
    help = "Targets: `import FILE [--update]` (CSV, French or English headers)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="operation", required=True)
        imp = commands.add_parser("import", help=_("Import targets from a CSV file."))
        # The headers it recognizes, so nobody has to read the code to make a file.
        columns = ", ".join(" / ".join(dict.fromkeys(headers[:2]))
                            for headers in targets_csv.TARGET_HEADERS.values())
        imp.add_argument("file", type=Path, help=_(
            "A CSV file with a header row. Columns read (French or English headers, "
            "any order, case and accents ignored): %(columns)s. Other columns are "
            "ignored and listed.") % {"columns": columns})
        imp.add_argument("--update", action="store_true",
                         help="Also change the targets already recorded (same name, kind "
                              "and riding) with the file's non-empty cells.")
        imp.add_argument("--user", help="Record the import in the audit log as this account.")
        imp.add_argument("--language", default=settings.LANGUAGE_CODE,
                         choices=[code for code, _name in settings.LANGUAGES],
                         help="The language of a plain “role” column.")

    def handle(self, *, operation, file, update, user, language, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("No account named %(name)s.") % {"name": user})
        if not file.exists():
            raise CommandError(_("No file at %(path)s.") % {"path": file})
        try:
            summary = services.targets_import(content=file.read_bytes(), update=update,
                                              language=language, actor=actor)
        except targets_csv.CsvFileError as error:
            raise CommandError(str(error.message)) from error
        for number, message in summary.problems:
            self.stderr.write(_("Row %(row)s: %(problem)s") % {"row": number,
                                                                "problem": message})
        if summary.ignored_columns:
            self.stdout.write(_("Columns ignored: %(columns)s")
                              % {"columns": ", ".join(summary.ignored_columns)})
        self.stdout.write(_("%(created)s created, %(updated)s updated, %(unchanged)s "
                            "unchanged, %(problems)s rows with problems.") % {
            "created": summary.created, "updated": summary.updated,
            "unchanged": summary.unchanged, "problems": len(summary.problems),
        })
