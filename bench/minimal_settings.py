"""A minimal Django project: the baseline of bench/bench_petition_intake.py.

What a bare Django application needs to take a signature and nothing more: no
installed apps, no middleware, no sessions, authentication or templates; one view
(bench/minimal_app.py) that stores the form with one INSERT. The database connection
is configured as production's (persistent for 60 s, no health check, no JIT), so the
difference with the petition is the application, not the connection.

    DJANGO_SETTINGS_MODULE=bench.minimal_settings DATABASE_URL=postgres://… deploy/serve
"""

import os
import secrets

import dj_database_url

SECRET_KEY = os.environ.get("MINIMAL_SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.minimal_app"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
USE_I18N = False

DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60,
                                     conn_health_checks=False),
}
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# Errors go to the server's standard error, as in production, and nowhere else.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
