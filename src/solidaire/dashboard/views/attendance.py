"""Attendance import from a video-meeting report (stub)."""

from django.http import Http404


def event_attendance_import(request, *args, **kwargs):
    raise Http404


def event_attendance_import_detail(request, *args, **kwargs):
    raise Http404

