"""French and English stay complete: every interface string has its French translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import solidaire

from tests.tools import require_program

PACKAGE = Path(solidaire.__file__).parent
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"

_ENTRY = re.compile(r'^(#, .*\n)?(msgctxt .*\n)?msgid ((?:".*"\n)+)(msgid_plural (?:".*"\n)+)?'
                    r'((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)', re.M)


def entries(po_text: str):
    for match in _ENTRY.finditer(po_text):
        flags, _ctx, msgid, _plural, msgstrs = match.groups()
        msgid = "".join(re.findall(r'"(.*)"', msgid))
        if not msgid:
            continue  # the header
        translations = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n)+)', msgstrs)
        texts = ["".join(re.findall(r'"(.*)"', t)) for t in translations]
        yield msgid, texts, (flags or "")


def test_every_french_entry_is_translated_and_not_fuzzy():
    missing = [msgid for msgid, texts, flags in entries(PO.read_text(encoding="utf-8"))
               if not all(texts) or "fuzzy" in flags]
    assert missing == [], f"untranslated or fuzzy French strings: {missing[:20]}"


def test_no_interface_string_is_missing_from_the_french_catalogue(tmp_path):
    # Extract the strings of the current code into a scratch copy and compare.
    require_program("xgettext", "gettext")
    copy = tmp_path / "solidaire"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete",
         "--verbosity", "0"],
        cwd=copy, check=True, capture_output=True, timeout=300,
        env={"DJANGO_SETTINGS_MODULE": "solidaire.settings.test",
             "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent)},
    )
    fresh = {msgid for msgid, _t, _f in
             entries((copy / "locale/fr/LC_MESSAGES/django.po").read_text(encoding="utf-8"))}
    known = {msgid for msgid, _t, _f in entries(PO.read_text(encoding="utf-8"))}
    assert sorted(fresh - known) == []
