"""Brute-force lockout: django-axes, keyed on username and client address together.

Settings (AXES_*) are in settings/base.py; the translated lockout page is
`solidaire.organize.views.security.locked_out`.
"""

from __future__ import annotations

import ipaddress

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
    """The address a request came from, as the lockout and the public-form rate limit count it.

    No forwarded header is believed unless the operator said which proxies are ours
    (docs/deploy-proxy.md, decision 0043): with neither setting it is REMOTE_ADDR, since
    a client can write any X-Forwarded-For it likes.

    - SOLIDAIRE_TRUSTED_PROXIES = N: the N-th address from the right of X-Forwarded-For,
      the one our own outermost proxy wrote; anything left of it came from the client.
    - SOLIDAIRE_TRUSTED_PROXY_ADDRESSES (addresses or networks): X-Forwarded-For is read
      only on a connection from one of them; the client is the rightmost address that
      is not one of them (or, with N set too, the N-th from the right). A connection
      from anywhere else came around the proxy and counts as itself.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "SOLIDAIRE_TRUSTED_PROXIES", 0)
    networks = _networks(getattr(settings, "SOLIDAIRE_TRUSTED_PROXY_ADDRESSES", ()))
    if not proxies and not networks:
        return remote
    if networks and not _within(remote, networks):
        return remote
    forwarded = [part.strip() for part in
                 request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies:
        return forwarded[-proxies] if len(forwarded) >= proxies else remote
    for address in reversed(forwarded):
        if not _within(address, networks):
            return address
    return forwarded[0] if forwarded else remote


def _networks(addresses) -> tuple:
    return tuple(ipaddress.ip_network(address, strict=False) for address in addresses)


def _within(address: str | None, networks) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)
