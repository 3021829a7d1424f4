"""The site's own address for links in e-mails and calendar files.

While a request runs, links use the address that request came to (its scheme and
its host, which Django has checked against ALLOWED_HOSTS), so that a site served as
example.org sends example.org links. Outside a request (background jobs, commands)
they use SITE_URL, which production requires (SOLIDAIRE_SITE_URL; decision 0062).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_origin: ContextVar[str | None] = ContextVar("solidaire_site_origin", default=None)


def site_url() -> str:
    """https://host (no trailing slash): the request's while one runs, else SITE_URL."""
    return _origin.get() or settings.SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    """An absolute address for a path such as reverse() returns."""
    return site_url() + path


class SiteURLMiddleware:
    """Remembers the address the request came to while the request runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            # CommonMiddleware refuses the request; nothing here may trust the host.
            origin = None
        token = _origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)
