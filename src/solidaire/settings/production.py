"""Production: every secret from the environment; refuses to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


SECRET_KEY = required("SOLIDAIRE_SECRET_KEY")
if len(SECRET_KEY) < 32 or SECRET_KEY.startswith(("dev-", "test-")):
    raise ImproperlyConfigured("SOLIDAIRE_SECRET_KEY must be a long random value.")
ALLOWED_HOSTS = [h.strip() for h in required("SOLIDAIRE_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS]
# Links in e-mails written by background jobs and in calendar UIDs; `check --deploy`
# wants it https and on an allowed host (core/checks.py, decision 0062).
SITE_URL = required("SOLIDAIRE_SITE_URL").rstrip("/")

# Field encryption keys: the keyring in the environment or a secrets file; never created here.
if not (os.environ.get("SOLIDAIRE_FIELD_KEYS", "").strip()
        or os.environ.get("SOLIDAIRE_FIELD_KEYS_FILE", "").strip()):
    raise ImproperlyConfigured(
        "SOLIDAIRE_FIELD_KEYS or SOLIDAIRE_FIELD_KEYS_FILE must be set for production "
        "(see docs/keys-runbook.md)."
    )
FIELD_KEYS_CREATE = False

DEBUG = False
DEMO_ACCOUNTS_ALLOWED = False

# Security headers (issue 3): HTTPS only, cookies only over HTTPS and never readable
# by scripts (HTTP-only is set in base.py). `solidaire check --deploy --fail-level
# WARNING` passes with these; tests/core/test_deploy_check.py keeps it so.
# X-Forwarded-Proto is believed only from a proxy the operator declared, like
# X-Forwarded-For (SOLIDAIRE_TRUSTED_PROXIES in base.py; docs/deploy-proxy.md). Served
# directly, deploy/serve speaks TLS itself and the request knows its own scheme.
if SOLIDAIRE_TRUSTED_PROXIES or SOLIDAIRE_TRUSTED_PROXY_ADDRESSES:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SOLIDAIRE_SSL_REDIRECT", "true") == "true"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
# The host serves only HTTPS, so do its subdomains. `preload` in the header submits
# nothing by itself; the organization decides whether to list its domain.
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# End of security headers.

# Issue 5 (decision 0018): no SELECT 1 before each request's first query.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = (  # noqa: F405
    os.environ.get("SOLIDAIRE_DB_HEALTH_CHECKS", "false") == "true"
)

# Public forms (issue 5): the rate limit and cached public pages live in Redis, shared
# by every server process and machine.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": required("SOLIDAIRE_CACHE_URL"),
    }
}
# django-ratelimit lists django-redis but not Django's own Redis backend, which it
# supports the same way (atomic INCR); only that warning is silenced.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("SOLIDAIRE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SOLIDAIRE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SOLIDAIRE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SOLIDAIRE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SOLIDAIRE_EMAIL_TLS", "true") == "true"
# Seconds before a silent mail server counts as gone: the outbox then reconnects or
# leaves the rest pending, and a stopping worker is not held up (decision 0049).
EMAIL_TIMEOUT = float(os.environ.get("SOLIDAIRE_EMAIL_TIMEOUT", "10"))
