"""Public event pages, registration, calendar files and feeds (stub)."""

from django.http import Http404


def event_list(request, *args, **kwargs):
    raise Http404


def event_page(request, *args, **kwargs):
    raise Http404


def event_thanks(request, *args, **kwargs):
    raise Http404


def event_registration(request, *args, **kwargs):
    raise Http404


def event_ics(request, *args, **kwargs):
    raise Http404


def series_page(request, *args, **kwargs):
    raise Http404


def chapter_feed(request, *args, **kwargs):
    raise Http404


def series_feed(request, *args, **kwargs):
    raise Http404


def events_feed(request, *args, **kwargs):
    raise Http404

