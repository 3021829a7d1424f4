"""Brute-force lockout: django-axes, keyed on username and client address together.

Settings (AXES_*) are in settings/base.py; the translated lockout page is
`solidaire.dashboard.views.security.locked_out`.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' gate in front of the model backend, for web logins only.

    A login with no request (a management command, the test client's `login()`)
    cannot be a guess from the network, so there is nothing to count or lock: it is
    passed on to the next backend instead of failing with axes' "request required".
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """The address a login attempt came from, as django-axes counts it.

    With SOLIDAIRE_TRUSTED_PROXIES = 0 (no proxy) it is REMOTE_ADDR. Behind N proxies it
    is the N-th address from the right of X-Forwarded-For, the one our own first proxy
    wrote: anything left of it came from the client and could be made up to dodge the
    lockout.
    """
    proxies = getattr(settings, "SOLIDAIRE_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
