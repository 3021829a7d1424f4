"""Campaign toolkits (stub)."""

from django.http import Http404


def resource_list(request, *args, **kwargs):
    raise Http404


def resource_add(request, *args, **kwargs):
    raise Http404


def resource_edit(request, *args, **kwargs):
    raise Http404

