"""Who is acting, and from where, while a request runs: for audit entries written by signals.

Model signals (an organizer role saved in the admin, a staff flag ticked) receive no
request. The middleware below keeps the request's account and IP address in a context
variable for the length of the request, so that the receivers in `audit_receivers` can
name the actor. Outside a request (commands, jobs, tests calling services) there is no
context and entries have no actor.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class AuditContext:
    user: AbstractBaseUser | AnonymousUser | None
    ip: str | None


_current: ContextVar[AuditContext | None] = ContextVar("solidaire_audit_context", default=None)


def client_ip(request) -> str | None:
    """The address the request came from, as the login lockout counts it; None if invalid.

    `lockout.client_address` decides which proxies to trust (SOLIDAIRE_TRUSTED_PROXIES):
    the trail and the lockout name the same address.
    """
    from .lockout import client_address

    if not hasattr(request, "META"):
        return None
    try:
        return str(ipaddress.ip_address((client_address(request) or "").strip()))
    except ValueError:
        return None


def current() -> AuditContext | None:
    return _current.get()


class AuditContextMiddleware:
    """Remembers the request's account and IP address while the request runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(AuditContext(user=getattr(request, "user", None),
                                          ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
