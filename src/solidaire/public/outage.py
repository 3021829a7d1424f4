"""While the database is down: the last good copy of a public page, and the pages that
tell people where they stand (decision 0051).

The petition and event pages keep a "last good" copy of what they rendered, with the
placeholder where each visitor's form key goes, in the shared cache (Redis in
production) for days and in the process's memory. When a query fails because the
database cannot be reached, the page is served from that copy with a fresh key; a
form sent meanwhile goes to the spool (core.spool) and is recorded once the database
is back. Without a copy, a 503 says "we are back in a minute" in the visitor's
language.

The pages rendered here read nothing from the database: no context processor runs
(the site's name would be a query), and what they show comes from the copy.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from solidaire.core.intake import rate_limited

# A copy outlives any outage worth planning for; a page nobody visited in that time
# has no copy and answers 503.
LAST_GOOD_SECONDS = getattr(settings, "PUBLIC_LAST_GOOD_SECONDS", 7 * 24 * 3600)
RETRY_AFTER_SECONDS = 30
_PREFIX = "last-good:"
_LOCAL_MAX = 200  # pages of ~20 kB: a few MB per process at most
_local: dict[str, object] = {}
_shared_at: dict[str, float] = {}


def last_good_keep(key: str, value, *, shared: bool = True) -> None:
    """Remember `value` as the last good copy of `key`: in this process, and (unless
    it came from there) in the shared cache."""
    _local.pop(key, None)
    _local[key] = value
    if len(_local) > _LOCAL_MAX:
        _local.pop(next(iter(_local)))
    if shared:
        cache.set(_PREFIX + key, value, LAST_GOOD_SECONDS)
        _shared_at[key] = time.monotonic()
        if len(_shared_at) > 10 * _LOCAL_MAX:
            _shared_at.clear()


def last_good_due(key: str, seconds: float) -> bool:
    """Whether this process last shared `key` more than `seconds` ago (or never)."""
    at = _shared_at.get(key)
    return at is None or time.monotonic() - at >= seconds


def last_good(key: str):
    """The last good copy of `key`: the shared one (the newest any process rendered),
    else this process's own; None when there is none."""
    try:
        value = cache.get(_PREFIX + key)
    except Exception:  # the shared cache may be down too: use our own copy
        value = None
    if value is not None:
        _local.pop(key, None)
        _local[key] = value
        return value
    return _local.get(key)


def last_good_forget(keys: list[str]) -> None:
    """The page is gone (unpublished, deleted): an outage must not bring it back."""
    for key in keys:
        _local.pop(key, None)
        _shared_at.pop(key, None)
    cache.delete_many([_PREFIX + key for key in keys])


def last_good_keys(prefix: str) -> list[str]:
    """The keys of one page in every interface language."""
    return [f"{prefix}:{code}" for code, _name in settings.LANGUAGES]


def local_clear() -> None:
    """Forget this process's copies (tests; the shared cache is cleared separately)."""
    _local.clear()
    _shared_at.clear()


def rate_limited_once(request) -> bool:
    """The rate limit, counted once per request even when the answer is worked out a
    second time because the database went away half-way."""
    if not hasattr(request, "_solidaire_rate_limited"):
        request._solidaire_rate_limited = rate_limited(request)
    return request._solidaire_rate_limited


def not_stored(response: HttpResponse) -> HttpResponse:
    """A copy served during an outage, or an answer about one person's form: no proxy
    or browser keeps it (the next visit must see the live page again)."""
    response["Cache-Control"] = "private, no-store"
    return response


def page(template: str, context: dict, *, status: int = 200) -> HttpResponse:
    """A page rendered without a request: no context processor, so no query."""
    response = HttpResponse(render_to_string(template, context), status=status)
    return not_stored(response)


def unavailable(*, form=None, fields: str = "", action: str = "", title: str = "",
                problem: str = "") -> HttpResponse:
    """503 "we are back in a minute"; with the form as it was sent, when there was one,
    so that nothing typed is lost."""
    response = page("public/outage/unavailable.html", {
        "form": form, "fields": fields, "action": action, "title": title,
        "problem": problem or (_("What you typed is kept below: send it again in a minute.")
                               if form is not None else ""),
    }, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
