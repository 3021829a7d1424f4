"""Organizer sessions: idle and absolute timeouts, and ending an account's sessions.

A login stamps the session with when it started and when it was last used
(`session_stamp_login`, connected to `user_logged_in` in CoreConfig.ready). The
middleware logs a session out once it has been idle for SOLIDAIRE_SESSION_IDLE_SECONDS
or open for SOLIDAIRE_SESSION_ABSOLUTE_SECONDS, whatever is done with it.

Sessions live in the database (Django's default engine), so an account's sessions are
found by decoding the unexpired ones: a few hundred organizers at most, and ending
sessions is rare. No extra table is needed.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import require
from .accounts import accounts_visible_to
from .services import audit_log

STARTED_KEY = "solidaire_session_started"
SEEN_KEY = "solidaire_session_seen"
# "Last used" is written at most this often, so that reading a page does not always
# write the session row; the idle timeout is exact to within this many seconds.
SEEN_RESOLUTION_SECONDS = 60
# Pages a logged-out visitor may still open; everything else sends them to log in.
OPEN_PAGES = {"login", "login_code", "logout", "password_reset", "password_reset_done",
              "password_reset_confirm", "password_reset_complete"}


def session_stamp_login(sender, request, user, **kwargs) -> None:
    """On login: the session starts now (receiver of `user_logged_in`)."""
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now


def is_open_page(request) -> bool:
    """A public page or a login step: needs no (verified) session."""
    match = request.resolver_match
    if match is None:
        return True
    if match.namespace == "public" or match.url_name == "healthz":
        return True
    return match.namespace == "organize" and match.url_name in OPEN_PAGES


class SessionTimeoutMiddleware:
    """Logs out idle and too-old sessions with a message, and sends them to log in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = request.session
        if SESSION_KEY not in session:
            return None
        now = int(time.time())
        started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
        if started is None or seen is None:
            # A session opened before timeouts existed: its clock starts now.
            session[STARTED_KEY] = started or now
            session[SEEN_KEY] = now
            return None
        if now - seen > settings.SOLIDAIRE_SESSION_IDLE_SECONDS:
            message = _("You were logged out after %(minutes)d minutes without activity. "
                        "Please log in again.") % {
                "minutes": settings.SOLIDAIRE_SESSION_IDLE_SECONDS // 60}
        elif now - started > settings.SOLIDAIRE_SESSION_ABSOLUTE_SECONDS:
            message = _("Your session lasted its longest allowed time (%(hours)d hours). "
                        "Please log in again.") % {
                "hours": settings.SOLIDAIRE_SESSION_ABSOLUTE_SECONDS // 3600}
        else:
            if now - seen >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_KEY] = now
            return None
        logout(request)
        messages.info(request, message)
        if is_open_page(request):
            return None
        return redirect_to_login(request.get_full_path())


def _session_model():
    return import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()


def _unexpired_sessions():
    """(session row, its user id or None) for every unexpired session."""
    model = _session_model()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    rows = model.objects.filter(expire_date__gt=timezone.now()).iterator()
    for row in rows:
        user_id = store.decode(row.session_data).get(SESSION_KEY)
        yield row, user_id


def sessions_count_by_account() -> dict[str, int]:
    """How many open sessions each account has, keyed by user id as a string."""
    counts: dict[str, int] = {}
    for _row, user_id in _unexpired_sessions():
        if user_id is not None:
            counts[str(user_id)] = counts.get(str(user_id), 0) + 1
    return counts


@transaction.atomic
def account_sessions_end(*, account, actor) -> int:
    """Log an account out everywhere: delete its sessions. Returns how many ended.

    Done by a coordinator who looks after the account (`accounts_visible_to`, decision
    0056)."""
    require(accounts_visible_to(actor).filter(pk=account.pk).exists(),
            "this account may not end that account's sessions")
    keys = [row.session_key for row, user_id in _unexpired_sessions()
            if user_id is not None and str(user_id) == str(account.pk)]
    _session_model().objects.filter(session_key__in=keys).delete()
    audit_log(action="solidaire.account.sessions.ended", actor=actor, obj=account,
              data={"sessions": len(keys)})
    return len(keys)
