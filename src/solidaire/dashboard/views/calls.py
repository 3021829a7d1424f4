"""Call lists (stub)."""

from django.http import Http404


def call_list_index(request, *args, **kwargs):
    raise Http404


def call_list_add(request, *args, **kwargs):
    raise Http404


def call_list_detail(request, *args, **kwargs):
    raise Http404


def assignment_detail(request, *args, **kwargs):
    raise Http404


def entry_outcome(request, *args, **kwargs):
    raise Http404

