"""Commands speak the terminal's language, not the site's default (LANGUAGE_CODE).

Django activates no language for a command, so its messages came out in
settings.LANGUAGE_CODE ("fr") while its untranslated --help was English: French to an
English terminal, and both mixed in the help. Every solidaire command takes this mixin instead.
The language is read once per process, as a terminal program does.
"""

from __future__ import annotations

import os

from django.utils import translation

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def terminal_language(environ=None) -> str:
    """"fr" or "en", read as the C library does: the first of LC_ALL, LC_MESSAGES, LANG
    that is set decides; anything else (C, POSIX, es_MX…) reads as English."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


class TerminalLanguageMixin:
    """Run from a terminal (and for `solidaire help CMD`), the command speaks the
    terminal's language, its --help too. Called from code (call_command: another
    command, a test) it keeps the caller's language."""

    def run_from_argv(self, argv):
        translation.activate(terminal_language())
        return super().run_from_argv(argv)  # type: ignore[misc]

    def print_help(self, prog_name, subcommand):
        translation.activate(terminal_language())
        return super().print_help(prog_name, subcommand)  # type: ignore[misc]
