"""The printable signature sheet of a petition."""

from django.http import Http404


def petition_sheet(request, slug):
    raise Http404  # to be written (issue 5)
