"""Paper sign-in sheets for events (stub)."""

from django.http import Http404


def event_paper(request, *args, **kwargs):
    raise Http404


def event_sheet(request, *args, **kwargs):
    raise Http404

