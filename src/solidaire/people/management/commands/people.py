"""`solidaire people …`: import a spreadsheet, export a list, find duplicates.

    solidaire people import FILE [--user NAME] [--chapter SLUG] [--tag TAG]...
                                 [--map "Header=field"]...
    solidaire people export --user NAME [...]
    solidaire people duplicates [--scan]

An import runs in this process with a progress bar. Interrupted (Ctrl-C, a crash,
a killed machine), the same command again resumes it after its last finished chunk.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from solidaire.core import tabular
from solidaire.core.management.language import TerminalLanguageMixin
from solidaire.people.importing import engine, services
from solidaire.people.importing.columns import FIELDS, IGNORE
from solidaire.people.importing.selectors import import_column_notes
from solidaire.people.models import PersonImport

State = PersonImport.State


def _optional_cli(module: str):
    """The export and duplicates subcommands live next to their features."""
    try:
        return __import__(f"solidaire.people.management.{module}", fromlist=["*"])
    except ImportError:
        return None


class Command(TerminalLanguageMixin, BaseCommand):
    help = "People: `import FILE` (CSV or XLSX), `export`, `duplicates`."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="operation", required=True)
        imp = commands.add_parser("import", help=_("Import people from a CSV or XLSX file."))
        imp.add_argument("file", type=Path)
        imp.add_argument("--user", help=_("Import as this organizer (their scope applies)."))
        imp.add_argument("--chapter", help=_("Slug of the chapter for everyone in the file."))
        imp.add_argument("--tag", action="append", default=[],
                         help=_("A tag for everyone in the file (repeatable)."))
        imp.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                         help=_("Choose a column's field, e.g. \"Cell=phone\"; FIELD may be "
                                "empty to ignore it. Fields: %(fields)s.")
                              % {"fields": ", ".join(FIELDS)})
        imp.add_argument("--new", action="store_true",
                         help=_("Start a new import even if one of this file was interrupted."))
        imp.add_argument("--stop-after-chunks", type=int, default=None,
                         help="Stop after this many chunks (to test resuming).")
        self.export_cli = _optional_cli("export_cli")
        if self.export_cli:
            self.export_cli.add_export_arguments(
                commands.add_parser("export", help="Export people to CSV or XLSX."))
        self.duplicates_cli = _optional_cli("duplicates_cli")
        if self.duplicates_cli:
            self.duplicates_cli.add_duplicates_arguments(
                commands.add_parser("duplicates", help="Find possible duplicates."))

    def handle(self, *, operation, **options):
        if operation == "export":
            return self.export_cli.run_export(options, self.stdout)
        if operation == "duplicates":
            return self.duplicates_cli.run_duplicates(options, self.stdout)
        return self.import_file(**options)

    # -- import ---------------------------------------------------------------------

    def import_file(self, *, file, user, chapter, tag, map, new, stop_after_chunks, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("No account named %(name)s.") % {"name": user})
        if not file.exists():
            raise CommandError(_("No file at %(path)s.") % {"path": file})
        person_import = None if new else self._interrupted(file, actor)
        if person_import is not None:
            self.stdout.write(_("Resuming the import of %(file)s after row %(row)s.")
                              % {"file": person_import.original_name,
                                 "row": person_import.last_row})
        else:
            person_import = self._prepare(file, actor, chapter, tag, map)
        started = time.monotonic()
        try:
            person_import = services.person_import_run(
                import_id=person_import.pk, progress=self._progress,
                stop_after_chunks=stop_after_chunks)
        except engine.ImportStopped:
            self.stdout.write("")
            raise CommandError(_("Stopped on request; run the same command to resume.")) from None
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self._summary(person_import, elapsed)

    def _interrupted(self, file: Path, actor) -> PersonImport | None:
        import hashlib

        digest = hashlib.sha256()
        with open(file, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        return (PersonImport.objects.filter(
            sha256=digest.hexdigest(), created_by=actor,
            state__in=[State.QUEUED, State.RUNNING, State.FAILED]).order_by("-id").first())

    def _prepare(self, file, actor, chapter_slug, tags, choices) -> PersonImport:
        try:
            person_import = services.person_import_create(path=file, original_name=file.name,
                                                          actor=actor)
        except tabular.ImportFileError as error:
            raise CommandError(str(error.message)) from error
        mapping = dict(person_import.mapping)
        for choice in choices:
            header, _sep, key = choice.partition("=")
            indexes = [i for i, h in enumerate(person_import.headers) if h == header.strip()]
            if not indexes:
                raise CommandError(_("No column named “%(header)s”.") % {"header": header})
            if key.strip() and key.strip() not in FIELDS:
                raise CommandError(_("Unknown field “%(field)s”.") % {"field": key})
            mapping[str(indexes[0])] = key.strip() or IGNORE
        chapter = None
        if chapter_slug:
            Chapter = apps.get_model("organizing", "Chapter")
            chapter = Chapter.objects.filter(slug=chapter_slug).first()
            if chapter is None:
                raise CommandError(_("No chapter %(slug)s.") % {"slug": chapter_slug})
        for index, header in enumerate(person_import.headers):
            key = mapping.get(str(index), IGNORE)
            label = FIELDS.get(key, _("(ignored)")) if key else _("(ignored)")
            self.stdout.write(f"  {header or '#' + str(index + 1)} → {label}")
        notes = import_column_notes(person_import, mapping)
        if notes.format:
            self.stdout.write(_("Recognized: %(format)s.") % {"format": notes.format_label})
        if notes.unmapped:
            self.stdout.write(_("These columns look important but will not be imported: "
                                "%(columns)s") % {"columns": ", ".join(notes.unmapped)})
        if notes.language_default:
            self.stdout.write(_("No column gives the language: everyone added will get the "
                                "default language, %(language)s.")
                              % {"language": notes.language_default_name})
        try:
            services.person_import_configure(person_import=person_import, mapping=mapping,
                                             chapter=chapter, tag_names=tags,
                                             actor=actor if actor is not None else _System())
        except ValidationError as error:
            person_import.delete()
            raise CommandError(" ".join(error.messages)) from error
        person_import.state = State.QUEUED
        person_import.save(update_fields=["state"])
        return person_import

    def _progress(self, person_import: PersonImport) -> None:
        total = person_import.rows_total or 0
        done = person_import.rows_done
        width = 30
        filled = int(width * done / total) if total else width
        line = _("%(bar)s %(done)s / %(total)s rows") % {
            "bar": "[" + "#" * filled + "." * (width - filled) + "]",
            "done": f"{done:,}", "total": f"{total:,}"}
        end = "\r" if sys.stdout.isatty() else "\n"
        self.stdout.write(line, ending=end)
        self.stdout.flush()

    def _summary(self, imp: PersonImport, elapsed: float) -> None:
        rate = imp.rows_done / elapsed if elapsed else 0
        self.stdout.write(_("Imported %(rows)s rows in %(seconds).1f s (%(rate)s rows/s).") % {
            "rows": f"{imp.rows_done:,}", "seconds": elapsed, "rate": f"{rate:,.0f}"})
        # Every row read lands in one count: their total is the rows read.
        self.stdout.write(_(
            "People added: %(created)s; updated: %(updated)s; already up to date: "
            "%(unchanged)s; matched outside your scope (unchanged): %(skipped)s; rows "
            "repeating someone already in the file: %(repeated)s; rows not imported: "
            "%(rejected)s. Total: %(total)s of %(rows)s rows read.") % {
            "created": f"{imp.created_count:,}", "updated": f"{imp.updated_count:,}",
            "unchanged": f"{imp.unchanged_count:,}", "skipped": f"{imp.skipped_count:,}",
            "repeated": f"{imp.repeated_count:,}", "rejected": f"{imp.rejected_count:,}",
            "total": f"{imp.rows_accounted:,}", "rows": f"{imp.rows_done:,}"})
        self.stdout.write(_("Rows with problems (a cell or the whole row left out): "
                            "%(problems)s.") % {"problems": f"{imp.problem_count:,}"})
        if imp.problem_count:
            self.stdout.write(_("The problem report is on the import's page (import %(id)s).")
                              % {"id": imp.pk})


class _System:
    """The shell without --user: a staff operator, who sees everything."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    _solidaire_scope = None
    pk = None

    def __init__(self):
        from solidaire.core.access import EVERYTHING

        self._solidaire_scope = EVERYTHING
