"""Organizer pages for sign-on statements and their endorsements."""

from django.http import Http404


def signon_list(request):
    raise Http404  # to be written (issue 5)


def signon_add(request):
    raise Http404  # to be written (issue 5)


def signon_detail(request, slug):
    raise Http404  # to be written (issue 5)


def signon_edit(request, slug):
    raise Http404  # to be written (issue 5)


def endorsement_decide(request, slug, pk):
    raise Http404  # to be written (issue 5)
