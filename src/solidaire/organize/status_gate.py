"""The step-up before immigration status: pages that show status, filter by it or hand
out what was made with it ask `status_unlocked(request)`. An account with status access
whose session has not passed the second factor recently is sent to the code page, which
comes back to the page asked for (decision 0046)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from solidaire.people.selectors import status_access, status_unlocked


def status_locked(request) -> bool:
    """The account may see status, but this session must type its code first."""
    return status_access(request.user) and not status_unlocked(request)


def step_up_url(request, back: str | None = None) -> str:
    """The code page, coming back to `back` (this page by default)."""
    return f"{reverse('organize:step_up')}?{urlencode({'next': back or request.get_full_path()})}"


def step_up_redirect(request, back: str | None = None) -> HttpResponseRedirect:
    return HttpResponseRedirect(step_up_url(request, back))
