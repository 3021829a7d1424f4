"""Audiences (stub)."""

from django.http import Http404


def audience_list(request, *args, **kwargs):
    raise Http404


def audience_new(request, *args, **kwargs):
    raise Http404


def audience_count(request, *args, **kwargs):
    raise Http404


def audience_detail(request, *args, **kwargs):
    raise Http404


def audience_edit(request, *args, **kwargs):
    raise Http404


def audience_export(request, *args, **kwargs):
    raise Http404

