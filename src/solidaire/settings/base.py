"""Settings shared by every environment. Secrets never live here."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ._proxies import trusted_proxies_from_env, trusted_proxy_addresses_from_env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout (or the working directory of an installed copy): var/ holds the
# SQLite database, development mail and other local state. It is git-ignored.
BASE_DIR = Path(os.environ.get("SOLIDAIRE_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("SOLIDAIRE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # Django's admin, asking for a recent second factor (decision 0046).
    "solidaire.core.admin_config.SecondFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    # Organizer login (issue 3): TOTP second factor and brute-force lockout.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_ratelimit",
    "solidaire.core",
    "solidaire.organizing",
    "solidaire.people",
    "solidaire.membership",
    "solidaire.campaigns",
    "solidaire.petitions",
    "solidaire.advocacy",
    "solidaire.events",
    # Stored summaries of the ledger, above the domain apps (decision 0054).
    "solidaire.analytics",
    "solidaire.messaging",
    "solidaire.organize",
    "solidaire.public",
    # `solidaire.demo` (demo data, `solidaire demo`) is added by dev.py and test.py only:
    # production never has the commands that fill a database with made-up people.
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Links in e-mails and calendar files use the address the request came to.
    "solidaire.core.site.SiteURLMiddleware",
    # Issue 5 (decision 0018): petition pages go straight to their views from here
    # (with the same Content-Security-Policy, set by the fast lane itself).
    "solidaire.public.fastlane.PetitionFastLaneMiddleware",
    "csp.middleware.CSPMiddleware",
    "solidaire.core.cache_headers.OrganizerPagesNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit trail (issue 3): the acting account and IP for entries written by signals.
    "solidaire.core.audit_context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Organizer login (issue 3): second factor, then timeouts and the 2FA gate.
    "django_otp.middleware.OTPMiddleware",
    "solidaire.core.sessions.SessionTimeoutMiddleware",
    "solidaire.core.two_factor.TwoFactorMiddleware",
    # Last, as django-axes asks: turns a lockout into the translated lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "solidaire.urls"
WSGI_APPLICATION = "solidaire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "solidaire.core.context_processors.site",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict:
    """DATABASE_URL when set (PostgreSQL in production); SQLite in WAL mode otherwise."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Health checks cost a round trip (SELECT 1) per request; where a dropped
        # connection is rare they can be turned off (decision 0018).
        health_checks = os.environ.get("SOLIDAIRE_DB_HEALTH_CHECKS", "true") == "true"
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=health_checks)
        if config["ENGINE"] == "django.db.backends.postgresql":
            # No JIT compilation: it pays off for hour-long reports, not for a page's
            # queries, where compiling took 290 of an audience's 570 ms (decision 0029).
            config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            {
                # WAL lets the web process read while the worker writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "solidaire.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "organize:login"
LOGIN_REDIRECT_URL = "organize:home"
LOGOUT_REDIRECT_URL = "public:home"

# Organizer login (issue 3): lockout, second factor, session timeouts.
# docs/decisions/0013-organizer-login.md explains the choices.
AUTHENTICATION_BACKENDS = [
    "solidaire.core.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair for 15 minutes;
# the same username from another address, or another username, can still log in.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "solidaire.organize.views.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "solidaire.core.lockout.client_address"
# Which forwarded headers to believe (docs/deploy-proxy.md, decision 0043): none unless the
# operator says how many proxies of ours stand in front of the site, or which addresses
# they connect from. The lockout, the public-form rate limit and the audit trail count
# the client address this decides.
SOLIDAIRE_TRUSTED_PROXIES = trusted_proxies_from_env()
SOLIDAIRE_TRUSTED_PROXY_ADDRESSES = trusted_proxy_addresses_from_env()
# The audit log records logins; axes keeps only the failure counters (no IP history).
AXES_DISABLE_ACCESS_LOG = True
# The audit log records logins; axes' own start-up and per-attempt chatter stays quiet.
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Solidaire"
# What reveals immigration status, and the admin, opens only within this long of the
# session's last right code; after it, the page asks for a code again and comes back
# ("sudo mode", decision 0046). Two hours, as GitHub asks again for its sensitive pages.
SOLIDAIRE_STATUS_STEP_UP_SECONDS = 2 * 60 * 60
SOLIDAIRE_SESSION_IDLE_SECONDS = 30 * 60
SOLIDAIRE_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
PASSWORD_RESET_TIMEOUT = 60 * 60
# End of organizer login.

# Interface languages: complete at all times.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Montreal"

# Languages people speak and organizers write content in. Wider than the
# interface languages: a petition can carry a Spanish or Tagalog text.
CONTENT_LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("tl", _("Tagalog")),
    ("pa", _("Punjabi")),
    ("ar", _("Arabic")),
    ("hi", _("Hindi")),
    ("pt", _("Portuguese")),
    ("zh", _("Mandarin")),
    ("vi", _("Vietnamese")),
    ("ht", _("Haitian Creole")),
    ("uk", _("Ukrainian")),
]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

# Background jobs: the database backend by default (no broker to run).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        # Queues, most urgent first (decision 0048): "intake" records what people did
        # (signatures); "email" sends one-to-one e-mails (confirmations, reminders);
        # "bulk" is for mass sending; "default" for the rest (imports, daily jobs).
        # Within one worker, a job's priority decides (intake jobs carry the highest).
        "QUEUES": ["intake", "default", "email", "bulk"],
    }
}
# A worker writes a heartbeat this often; a running job whose worker has been
# silent for WORKER_STALE_AFTER seconds is handed back to the queue.
WORKER_HEARTBEAT_SECONDS = 5
WORKER_STALE_AFTER_SECONDS = 60
# Tasks the worker enqueues once a day (dotted paths; at most once a day across workers).
# Public forms (issue 5, decision 0018). The rate limit counts POSTs per client address
# across every public form; a shared cache (Redis, see production.py) makes every
# server process count together. Generous on purpose: a whole rally, a campus or a
# phone carrier's shared address may sign from one address.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "solidaire",
    }
}
PUBLIC_FORM_RATE = os.environ.get("SOLIDAIRE_PUBLIC_FORM_RATE", "30/m")
PUBLIC_FORM_RATE_EXEMPT = tuple(
    a.strip() for a in os.environ.get("SOLIDAIRE_PUBLIC_FORM_RATE_EXEMPT", "").split(",")
    if a.strip()
)
RATELIMIT_USE_CACHE = "default"
# One machine's memory cache is shared by its one process in development and tests;
# production replaces it with Redis (production.py), so the check is silenced here only.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Called by every worker at each heartbeat; each queues a job when work is waiting.
SOLIDAIRE_SWEEPS = [
    "solidaire.petitions.tasks.signatures_sweep",
    "solidaire.events.tasks.reminders_sweep",
    "solidaire.analytics.tasks.activity_weeks_sweep",
    # Records what the web processes of this machine spooled while the database was
    # down (decision 0051): a worker must run on every web machine.
    "solidaire.core.spool.spool_sweep",
]
# While the database is down, signatures and registrations are kept here, sealed, one
# file per web process (decision 0051); on the web machine's own disk.
SOLIDAIRE_SPOOL_DIR = Path(os.environ.get("SOLIDAIRE_SPOOL_DIR", VAR_DIR / "spool"))
# What records each kind of spooled entry (dotted paths of `handler(data) -> outcome`).
SOLIDAIRE_SPOOL_HANDLERS = {
    "petition.signature": "solidaire.public.spooled.signature_record",
    "event.registration": "solidaire.public.spooled.registration_record",
}
# The audiences list counts saved audiences live for this long, then leaves the rest
# to the page's script (one request each) or to each audience's page.
AUDIENCE_LIST_COUNT_SECONDS = float(os.environ.get("SOLIDAIRE_AUDIENCE_LIST_COUNT_SECONDS", 1.0))
# The site's own address, for links in e-mails and calendar files written outside a
# request (background jobs); during a request, the request's own (core/site.py).
SITE_URL = os.environ.get("SOLIDAIRE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SOLIDAIRE_DAILY_TASKS = [
    "solidaire.people.tasks.status_retention_run",
    "solidaire.people.importing.tasks.imports_purge_run",
    "solidaire.analytics.tasks.activity_weeks_rebuild_run",
]

# Uploaded campaign toolkit files (issue 7); served through a view that counts downloads.
MEDIA_ROOT = Path(os.environ.get("SOLIDAIRE_MEDIA_DIR", VAR_DIR / "media"))

# Spreadsheet imports (issue 4): uploaded files wait here until their undo window
# closes (24 hours after the import finishes); a daily job deletes them.
IMPORT_DIR = Path(os.environ.get("SOLIDAIRE_IMPORT_DIR", VAR_DIR / "imports"))
# Rows per transaction: a killed import loses at most one chunk's work (redone on rerun).
IMPORT_CHUNK_ROWS = int(os.environ.get("SOLIDAIRE_IMPORT_CHUNK_ROWS", 20_000))
# From this many rows on, a second process reads and cleans ahead (decision 0015).
IMPORT_READER_PROCESS_ROWS = int(os.environ.get("SOLIDAIRE_IMPORT_READER_PROCESS_ROWS", 100_000))

# Every upload (people, targets, ridings, participant reports, toolkit files) within
# limits no workers' centre reaches by accident, each refused with its own message
# (decision 0040). Past UPLOAD_MAX_BYTES an upload is not even written to disk.
UPLOAD_MAX_BYTES = int(os.environ.get("SOLIDAIRE_UPLOAD_MAX_BYTES", 100 * 1024 * 1024))
# What an Excel workbook may unpack to (a zip bomb is refused before anything is
# unpacked): about 70,000 rows of a member list. Reading a workbook costs about half a
# second a megabyte, in the upload's request; a larger list goes in as CSV.
UPLOAD_MAX_UNPACKED_BYTES = int(os.environ.get("SOLIDAIRE_UPLOAD_MAX_UNPACKED_BYTES",
                                               20 * 1024 * 1024))
# Excel's own limits: its sheets end at row 1,048,576 and its cells at 32,767 characters.
UPLOAD_MAX_ROWS = int(os.environ.get("SOLIDAIRE_UPLOAD_MAX_ROWS", 1_048_576))
UPLOAD_MAX_CELL_CHARS = int(os.environ.get("SOLIDAIRE_UPLOAD_MAX_CELL_CHARS", 32_767))
UPLOAD_MAX_COLUMNS = int(os.environ.get("SOLIDAIRE_UPLOAD_MAX_COLUMNS", 500))
# Uploads one account may send in an hour, of every kind together (0: no limit).
UPLOADS_PER_HOUR = int(os.environ.get("SOLIDAIRE_UPLOADS_PER_HOUR", 30))
FILE_UPLOAD_HANDLERS = [
    "solidaire.core.uploads.UploadSizeCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

DEFAULT_FROM_EMAIL = os.environ.get("SOLIDAIRE_FROM_EMAIL", "Solidaire <no-reply@example.org>")
MAIL_DIR = VAR_DIR / "mail"

# Security headers (issue 3): the production transport settings (HSTS, secure
# cookies) are in production.py; everything that holds in every environment is here.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: every style lives in a static sheet, so an
# injected <script> or style="" does nothing. docs/security-headers.md explains it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# End of security headers.

PEOPLE_PER_PAGE = 50

# Field encryption keys (decision 0011): never derived from SECRET_KEY. A keys file
# (development: created on first use under var/keys/, git-ignored) or the keyring
# itself in SOLIDAIRE_FIELD_KEYS.
FIELD_KEYS_FILE = Path(os.environ.get("SOLIDAIRE_FIELD_KEYS_FILE", VAR_DIR / "keys" / "keys.json"))
FIELD_KEYS_CREATE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
