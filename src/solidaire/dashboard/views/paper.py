"""Organizer pages for paper signatures and deliveries."""

from django.http import Http404


def petition_paper(request, slug):
    raise Http404  # to be written (issue 5)


def petition_delivery(request, slug, target_pk):
    raise Http404  # to be written (issue 5)


def petition_packet_pdf(request, slug, target_pk):
    raise Http404  # to be written (issue 5)


def petition_packet_csv(request, slug, target_pk):
    raise Http404  # to be written (issue 5)
