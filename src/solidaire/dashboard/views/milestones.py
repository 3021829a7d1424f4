"""Campaign milestones (stub)."""

from django.http import Http404


def milestone_add(request, *args, **kwargs):
    raise Http404


def milestone_edit(request, *args, **kwargs):
    raise Http404

