"""Organizer pages for call and e-mail actions."""

from django.http import Http404


def action_list(request):
    raise Http404  # to be written (issue 5)


def action_add(request):
    raise Http404  # to be written (issue 5)


def action_detail(request, slug):
    raise Http404  # to be written (issue 5)


def action_edit(request, slug):
    raise Http404  # to be written (issue 5)
