"""Public call and e-mail action pages."""

from django.http import Http404


def action_page(request, slug):
    raise Http404  # to be written (issue 5)


def action_report(request, slug):
    raise Http404  # to be written (issue 5)


def action_thanks(request, slug):
    raise Http404  # to be written (issue 5)
