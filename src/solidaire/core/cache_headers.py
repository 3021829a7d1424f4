"""Organizer pages are never stored by a browser or a proxy.

A page of the organizer dashboard can list members, their chapters and (for some
accounts) their status; a shared computer's back button or disk cache must not
keep it. Keyed on the URL namespace the request resolved to, so a view added to
the dashboard later is covered without remembering a decorator.
"""

from django.utils.cache import add_never_cache_headers

NO_STORE_NAMESPACES = frozenset({"organize"})


class OrganizerPagesNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and NO_STORE_NAMESPACES.intersection(match.namespaces):
            # no-cache, no-store, must-revalidate, private, max-age=0 and an Expires in the past.
            add_never_cache_headers(response)
        return response
