"""Public campaign story and toolkit (stub)."""

from django.http import Http404


def campaign_story(request, *args, **kwargs):
    raise Http404


def resource_download(request, *args, **kwargs):
    raise Http404

