"""Organizer pages for events and series (stub; filled in by the events work)."""

from django.http import Http404


def event_list(request, *args, **kwargs):
    raise Http404


def event_add(request, *args, **kwargs):
    raise Http404


def event_detail(request, *args, **kwargs):
    raise Http404


def event_edit(request, *args, **kwargs):
    raise Http404


def event_registrations(request, *args, **kwargs):
    raise Http404


def event_registration_decide(request, *args, **kwargs):
    raise Http404


def event_follow_up(request, *args, **kwargs):
    raise Http404


def series_list(request, *args, **kwargs):
    raise Http404


def series_add(request, *args, **kwargs):
    raise Http404


def series_detail(request, *args, **kwargs):
    raise Http404


def series_edit(request, *args, **kwargs):
    raise Http404


def event_review(request, *args, **kwargs):
    raise Http404

