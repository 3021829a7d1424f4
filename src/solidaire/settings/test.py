"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, VAR_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "solidaire.demo"]  # the demo's commands are tested

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
DEMO_ACCOUNTS_ALLOWED = True
# Each test process gets its own field keys, never the development keys file.
FIELD_KEYS_FILE = Path(tempfile.gettempdir()) / f"solidaire-test-keys-{os.getpid()}" / "keys.json"
FIELD_KEYS_CREATE = True
# Uploaded spreadsheets of the tests (shared with worker subprocesses; names are unique).
IMPORT_DIR = Path(tempfile.gettempdir()) / "solidaire-test-imports"
# Each test process spools apart from development and from other runs (decision 0051).
SOLIDAIRE_SPOOL_DIR = Path(tempfile.gettempdir()) / f"solidaire-test-spool-{os.getpid()}"
# Every signature asks for its processing job (no debounce): tests see each request.
PETITION_SCHEDULE_SECONDS = 0
# Every commit that writes an e-mail asks for its send job (no debounce), likewise.
OUTBOX_SCHEDULE_SECONDS = 0

# A file, not memory, so that a worker subprocess in the tests sees the same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file per test run, so that two runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Flushes by DELETE rather than TRUNCATE after transactional tests (decision 0030).
    DATABASES["default"]["ENGINE"] = "solidaire.core.backends.postgresql_tests"
