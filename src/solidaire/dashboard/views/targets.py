"""Organizer pages for targets: list, add, edit, CSV import."""

from django.http import Http404


def target_list(request):
    raise Http404  # to be written (issue 5)


def target_add(request):
    raise Http404  # to be written (issue 5)


def target_import(request):
    raise Http404  # to be written (issue 5)


def target_detail(request, pk):
    raise Http404  # to be written (issue 5)
