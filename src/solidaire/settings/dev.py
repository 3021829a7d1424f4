"""Development: a laptop or the demo. Never for real members' data."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "solidaire.demo"]

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Mail is printed and also written, one file per message, under var/mail/.
EMAIL_BACKEND = "solidaire.core.mail.ConsoleAndFileBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"

DEMO_ACCOUNTS_ALLOWED = True
FIELD_KEYS_CREATE = True  # var/keys/keys.json, made on first use
