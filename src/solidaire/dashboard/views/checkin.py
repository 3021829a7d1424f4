"""Check-in on the day (stub)."""

from django.http import Http404


def event_checkin(request, *args, **kwargs):
    raise Http404


def event_checkin_search(request, *args, **kwargs):
    raise Http404


def event_checkin_mark(request, *args, **kwargs):
    raise Http404


def event_walk_in(request, *args, **kwargs):
    raise Http404

