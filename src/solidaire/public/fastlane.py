"""The fast lane: a petition's page and its thanks page skip the session stack.

On the day a petition goes viral nearly every request is one of two: the petition
page (GET for the form, POST to sign) and its thanks page. Neither reads a session,
a logged-in user, a message or a CSRF cookie (decision 0018). This middleware sits
just inside the security, CSP and frame-options middleware, which still handle
every response. It sends those two addresses straight to their views, with the
language taken from the address as LocaleMiddleware would. Every other request
goes down the whole stack unchanged.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation

from .petition_views import petition_page, petition_thanks

_PATH = re.compile(r"^/(?P<lang>[a-z]{2})/petitions/(?P<slug>[-a-zA-Z0-9_]+)/(?P<thanks>thanks/)?$")


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
            response = view(request, slug=match["slug"])
        response.headers.setdefault("Content-Language", language)
        if not response.streaming and "Content-Length" not in response:
            # CommonMiddleware would add it further down; keep-alive clients need it.
            response["Content-Length"] = str(len(response.content))
        return response
