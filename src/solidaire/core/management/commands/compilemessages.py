"""`compilemessages` that works on a machine with Python and nothing else.

Django's command needs GNU gettext's `msgfmt`; the README promises that `make demo`
needs only Python, so where `msgfmt` is missing the catalogues are compiled with polib
(decision 0072). Where `msgfmt` is present Django's command runs unchanged, with its
format checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.commands import compilemessages
from django.core.management.utils import find_command


class Command(compilemessages.Command):
    def handle(self, **options):
        if find_command(self.program) is not None:
            return super().handle(**options)
        self.verbosity = options["verbosity"]
        wanted = set(options["locale"] or [])
        excluded = set(options["exclude"] or [])
        for po_path in sorted(self.catalogues()):
            language = po_path.parent.parent.name
            if (wanted and language not in wanted) or language in excluded:
                continue
            self.compile_with_python(po_path)

    def catalogues(self) -> set[Path]:
        """Every `<locale dir>/<language>/LC_MESSAGES/*.po` below the current directory
        and in LOCALE_PATHS, the places Django's command looks."""
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        for dirpath, dirnames, _files in os.walk("."):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
            if "locale" in dirnames:
                roots.append(Path(dirpath) / "locale")
        return {po.resolve() for root in roots for po in root.glob("*/LC_MESSAGES/*.po")}

    def compile_with_python(self, po_path: Path) -> None:
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            if self.verbosity > 0:
                self.stdout.write(f"File “{po_path}” is already compiled and up to date.")
            return
        if self.verbosity > 0:
            self.stdout.write(
                f"processing file {po_path.name} in {po_path.parent} (without msgfmt)")
        # Fuzzy and untranslated entries are left out, as msgfmt leaves them out.
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
