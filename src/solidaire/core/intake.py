"""What every public form shares: its idempotency key, the per-address rate limit, and
the keyed hash that makes "one per person" a unique constraint (decision 0018).

- Every rendered public form carries a fresh signed key (`form_token_new`). The key
  is stored with what the form creates, under a unique constraint, so a double click
  or a replayed POST creates one row, never two.
- `rate_limited` counts POSTs per client address in the shared cache (django-ratelimit;
  Redis in production) and says when an address has sent too many.
- `contact_key` turns a normalized e-mail or phone into a keyed hash, so a table can
  hold "this contact signed" without holding the contact.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac
from django_ratelimit.core import is_ratelimited

from .lockout import client_address

_TOKEN_SALT = "solidaire.intake.form"  # noqa: S105 (a salt, not a secret)
# A form may stay open in a tab for a long time (a rally, a night); older keys are refused
# and the form comes back, filled in, with a new key.
FORM_TOKEN_MAX_AGE = 7 * 24 * 3600
RATE_GROUP = "solidaire.public-forms"


def form_token_new() -> str:
    """A fresh, signed key for one rendered form."""
    return signing.TimestampSigner(salt=_TOKEN_SALT).sign(secrets.token_urlsafe(18))


def form_token_check(token: str) -> str | None:
    """The idempotency key inside a form key we signed, or None if forged or too old."""
    if not token or len(token) > 100:
        return None
    try:
        return signing.TimestampSigner(salt=_TOKEN_SALT).unsign(token, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None


def contact_key(*, email: str = "", phone: str = "") -> str:
    """A keyed hash of the normalized e-mail, else of the normalized phone."""
    value = f"email:{email}" if email else f"phone:{phone}"
    return salted_hmac("solidaire.intake.contact", value, algorithm="sha256").hexdigest()


def _client_key(group, request) -> str:
    return client_address(request) or ""


def rate_limited(request) -> bool:
    """True when this client address has posted more public forms than the limit allows.

    Counts the request as it asks. Addresses in PUBLIC_FORM_RATE_EXEMPT (a load test's
    loopback client, never set in production by default) are not counted.
    """
    if not getattr(settings, "PUBLIC_FORM_RATE", ""):
        return False
    if client_address(request) in getattr(settings, "PUBLIC_FORM_RATE_EXEMPT", ()):
        return False
    return is_ratelimited(
        request, group=RATE_GROUP, key=_client_key, rate=settings.PUBLIC_FORM_RATE,
        method="POST", increment=True,
    )
