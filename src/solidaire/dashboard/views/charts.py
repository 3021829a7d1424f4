"""Organizer dashboard charts (stub)."""

from django.http import Http404


def chart_csv(request, *args, **kwargs):
    raise Http404

