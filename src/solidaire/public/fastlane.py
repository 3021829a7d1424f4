"""The fast lane: a petition's page and its thanks page skip the session stack.

On the day a petition goes viral nearly every request is one of two: the petition
page (GET for the form, POST to sign) and its thanks page. Neither reads a session,
a logged-in user, a message, a CSRF cookie or a CSP nonce (decision 0018). This
middleware sits just inside the security and frame-options middleware, which still
handle every response, and sends those two addresses straight to their views, with
the language taken from the address as LocaleMiddleware would. It sets their
Content-Security-Policy itself: the header django-csp builds from the settings,
built once rather than for every response. Every other request goes down the whole
stack unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.utils import translation

from .petition_views import petition_page, petition_thanks

_PATH = re.compile(r"^/(?P<lang>[a-z]{2})/petitions/(?P<slug>[-a-zA-Z0-9_]+)/(?P<thanks>thanks/)?$")


@lru_cache(maxsize=8)
def _policies(policy: str, report_only: str) -> tuple[str, str]:
    # Keyed on the settings' text so that a changed setting (tests) builds anew.
    return build_policy(), build_policy(report_only=True)


def policy_headers() -> tuple[str, str]:
    """django-csp's Content-Security-Policy (and report-only) header for the settings."""
    return _policies(repr(getattr(settings, "CONTENT_SECURITY_POLICY", None)),
                     repr(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)))


class PetitionFastLaneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)

    def __call__(self, request):
        match = _PATH.match(request.path_info)
        if match is None or match["lang"] not in self.languages:
            return self.get_response(request)
        language = match["lang"]
        view = petition_thanks if match["thanks"] else petition_page
        request.LANGUAGE_CODE = language
        with translation.override(language):
            try:
                response = view(request, slug=match["slug"])
            except Http404 as exc:
                response = response_for_exception(request, exc)
        policy, report_only = policy_headers()
        if policy and HEADER not in response:
            response[HEADER] = policy
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        response.headers.setdefault("Content-Language", language)
        if not response.streaming and "Content-Length" not in response:
            # CommonMiddleware would add it further down; keep-alive clients need it.
            response["Content-Length"] = str(len(response.content))
        return response
