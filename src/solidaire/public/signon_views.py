"""Public sign-on pages: the statement, its endorsers, the endorsement form."""

from django.http import Http404


def signon_page(request, slug):
    raise Http404  # to be written (issue 5)


def signon_thanks(request, slug):
    raise Http404  # to be written (issue 5)
