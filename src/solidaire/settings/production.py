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

DEBUG = False
DEMO_ACCOUNTS_ALLOWED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SOLIDAIRE_SSL_REDIRECT", "true") == "true"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000

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
