"""Public petition pages: sign, thanks, confirm, signers."""

from django.http import Http404


def petition_page(request, slug):
    raise Http404  # to be written (issue 5)


def petition_thanks(request, slug):
    raise Http404  # to be written (issue 5)


def petition_confirm(request, slug, token):
    raise Http404  # to be written (issue 5)


def petition_signers(request, slug):
    raise Http404  # to be written (issue 5)
