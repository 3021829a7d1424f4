"""Organizer pages for petitions: list, add, edit, figures."""

from django.http import Http404


def petition_list(request):
    raise Http404  # to be written (issue 5)


def petition_add(request):
    raise Http404  # to be written (issue 5)


def petition_detail(request, slug):
    raise Http404  # to be written (issue 5)


def petition_edit(request, slug):
    raise Http404  # to be written (issue 5)
