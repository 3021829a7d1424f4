"""Organizer pages for events and series: lists, adding, editing, approving a chapter's
event for a series, the registrations, the figures after the event and the follow-up."""

from __future__ import annotations

import secrets
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidaire.core.access import scope_for
from solidaire.events import editing
from solidaire.events.models import Event, FollowUp, Province, Registration
from solidaire.events.selectors import (
    event_may_edit,
    event_stats,
    events_editable_by,
    events_visible_to,
    registrations_for,
    series_editable_by,
    series_may_approve,
    series_may_edit,
    series_visible_to,
)
from solidaire.events.services import registration_cancel, registration_decide
from solidaire.organizing.selectors import organizations_for_new, organizations_run_by
from solidaire.people.selectors import people_visible_to

from ..forms.events import (
    EventForm,
    FollowUpForm,
    RegistrationDecisionForm,
    RegistrationFilterForm,
    ReviewForm,
    SeriesForm,
)
from .editing import save_or_slug_error

REGISTRATIONS_PER_PAGE = 100
EVENTS_PER_PAGE = 50


def _organizers_only(user) -> None:
    """Volunteers have check-in and paper sheets only: these pages do not exist for them."""
    if scope_for(user).is_empty:
        raise Http404("no organizer scope")


def _event(user, slug: str, *, editable: bool = False) -> Event:
    _organizers_only(user)
    events = events_editable_by(user) if editable else events_visible_to(user)
    return get_object_or_404(
        events.select_related("organization", "chapter", "campaign", "series"), slug=slug)


# -- events ------------------------------------------------------------------------------------

@login_required
def event_list(request):
    _organizers_only(request.user)
    past = request.GET.get("when") == "past"
    now = timezone.now()
    events = (events_visible_to(request.user)
              .select_related("chapter", "series")
              .annotate(registered=Count("registrations", filter=Q(
                  registrations__status=Registration.Status.CONFIRMED))))
    if past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organize/events/list.html", {
        "page": page,
        "events": page.object_list,
        "past": past,
        "may_add": organizations_for_new(request.user).exists(),
    })


@login_required
def event_add(request):
    _organizers_only(request.user)
    if not organizations_for_new(request.user).exists():
        raise Http404("no organization to add an event to")
    form = EventForm(request.POST or None, user=request.user,
                     initial={"chapter": request.GET.get("chapter", ""),
                              "series": request.GET.get("series", "")})
    if request.method == "POST" and form.is_valid():
        try:
            event = save_or_slug_error(form, lambda: editing.event_create(
                actor=request.user, **form.service_arguments()))
        except PermissionDenied:
            form.add_error("series", _("This series takes no events from chapters."))
            event = None
        if event is not None:
            if event.status == Event.Status.SUBMITTED:
                messages.success(request, _("The event %(title)s was created and submitted: "
                                            "a coordinator of the series will approve it.")
                                 % {"title": event.display_title})
            else:
                messages.success(request, _("The event %(title)s was created.")
                                 % {"title": event.display_title})
            return redirect("organize:event_detail", slug=event.slug)
    return render(request, "organize/events/form.html", {"form": form, "event": None})


@login_required
def event_edit(request, slug: str):
    event = _event(request.user, slug, editable=True)
    form = EventForm(request.POST or None, user=request.user, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_or_slug_error(form, lambda: editing.event_update(
                event=event, actor=request.user, **form.service_arguments()))
        except PermissionDenied:
            form.add_error("series", _("This series takes no events from chapters."))
            saved = None
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:event_detail", slug=saved.slug)
    return render(request, "organize/events/form.html", {"form": form, "event": event})


def public_url(event: Event) -> str:
    link = reverse("public:event", kwargs={"slug": event.slug})
    if event.visibility == Event.Visibility.PRIVATE:
        link += f"?k={event.private_key}"
    return link


@login_required
def event_detail(request, slug: str):
    event = _event(request.user, slug)
    may_edit = event_may_edit(request.user, event)
    stats = event_stats(event)
    return render(request, "organize/events/detail.html", {
        "event": event,
        "may_edit": may_edit,
        "may_review": (event.series_id is not None
                       and series_may_approve(request.user, event.series)),
        "stats": stats,
        "stat_rows": [
            (_("Registered"), stats.get("registered", 0)),
            (_("On the waiting list"), stats.get("waitlisted", 0)),
            (_("Waiting for approval"), stats.get("awaiting", 0)),
            (_("Cancelled"), stats.get("cancelled", 0)),
            (_("Came"), stats.get("attended", 0)),
            (_("Registered and did not come"), stats.get("no_shows", 0)),
            (_("Walk-ins"), stats.get("walk_ins", 0)),
            (_("First time with us"), stats.get("first_time", 0)),
        ],
        "started": event.starts_at <= timezone.now(),
        "public_url": public_url(event),
        "cosponsors": list(event.cosponsors.order_by("name")),
    })


@login_required
def event_registrations(request, slug: str):
    event = _event(request.user, slug)
    may_edit = event_may_edit(request.user, event)
    form = RegistrationFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    rows = (registrations_for(event)
            .annotate(person_visible=Exists(
                people_visible_to(request.user).filter(pk=OuterRef("person_id"))))
            .only("id", "event_id", "status", "source", "language", "created_at",
                  "attended_at", "attendance_source", "first_time", "sheet_number",
                  "person__id", "person__chosen_name"))
    if filters["status"]:
        rows = rows.filter(status=filters["status"])
    if filters["source"]:
        rows = rows.filter(source=filters["source"])
    if filters["attended"] == "yes":
        rows = rows.filter(attended_at__isnull=False)
    elif filters["attended"] == "no":
        rows = rows.filter(attended_at__isnull=True)
    page = Paginator(rows, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organize/events/registrations.html", {
        "event": event,
        "form": form,
        "page": page,
        "registrations": page.object_list,
        "may_edit": may_edit,
    })


@login_required
@require_POST
def event_registration_decide(request, slug: str, pk: int):
    event = _event(request.user, slug, editable=True)
    registration = get_object_or_404(Registration.objects.select_related("event"),
                                     event=event, pk=pk)
    form = RegistrationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: the request was incomplete."))
    else:
        decision = form.cleaned_data["decision"]
        if decision == "cancel":
            if registration.status != Registration.Status.CANCELLED:
                registration_cancel(registration=registration, actor=request.user)
            messages.success(request, _("The registration was cancelled."))
        elif registration.status != Registration.Status.AWAITING:
            messages.error(request, _("This registration is not waiting for a decision."))
        else:
            decided = registration_decide(registration=registration,
                                          approve=decision == "approve", actor=request.user)
            if decision == "approve":
                messages.success(request, _("Approved: %(status)s.")
                                 % {"status": decided.get_status_display()})
            else:
                messages.success(request, _("The registration was declined."))
    back = reverse("organize:event_registrations", kwargs={"slug": event.slug})
    query = request.POST.get("next_query", "")
    return redirect(f"{back}?{query}" if query and "\n" not in query else back)


@login_required
@require_POST
def event_review(request, slug: str):
    """A coordinator of the series' organization approves or sends back a chapter's event."""
    _organizers_only(request.user)
    # The coordinators of the series' organization decide, even on another
    # organization's event submitted to their series.
    event = get_object_or_404(Event.objects.select_related("series"),
                              slug=slug, series__isnull=False)
    if not series_may_approve(request.user, event.series):
        raise Http404("only the series' coordinators decide")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: the request was incomplete."))
    elif event.status != Event.Status.SUBMITTED:
        messages.error(request, _("This event is not waiting for approval."))
    elif form.cleaned_data["decision"] == "approve":
        editing.event_approve(actor=request.user, event=event)
        messages.success(request, _("%(title)s is approved and published.")
                         % {"title": event.display_title})
    else:
        editing.event_reject(actor=request.user, event=event)
        messages.success(request, _("%(title)s was sent back to its chapter as a draft.")
                         % {"title": event.display_title})
    return redirect("organize:series_detail", slug=event.series.slug)


def _audience_count(event: Event, audience: str) -> int:
    return (editing.follow_up_audience(event, audience)
            .filter(person__emails__isnull=False).values("person_id").distinct().count())


@login_required
def event_follow_up(request, slug: str):
    event = _event(request.user, slug, editable=True)
    started = event.starts_at <= timezone.now()
    form = FollowUpForm(request.POST or None, event=event,
                        initial={"token": secrets.token_urlsafe(24)})
    if request.method == "POST" and started and form.is_valid():
        follow_up = editing.follow_up_send(
            event=event, audience=form.cleaned_data["audience"],
            subject=form.texts("subject"), body=form.texts("body"),
            token=form.cleaned_data["token"], actor=request.user)
        messages.success(request, _("The follow-up e-mail is on its way to %(count)s "
                                    "people.") % {"count": follow_up.recipients})
        return redirect("organize:event_follow_up", slug=event.slug)
    return render(request, "organize/events/follow_up.html", {
        "event": event,
        "form": form,
        "started": started,
        "counts": [(label, _audience_count(event, value))
                   for value, label in FollowUp.Audience.choices] if started else [],
        "follow_ups": list(event.follow_ups.select_related("sent_by")),
    })


# -- series ------------------------------------------------------------------------------------

@login_required
def series_list(request):
    _organizers_only(request.user)
    series = (series_visible_to(request.user).select_related("organization")
              .annotate(event_count=Count("events", distinct=True),
                        submitted=Count("events", distinct=True, filter=Q(
                            events__status=Event.Status.SUBMITTED)))
              .order_by("-starts_on", "slug"))
    return render(request, "organize/events/series_list.html", {
        "series_list": series,
        "may_add": organizations_run_by(request.user).exists(),
    })


@login_required
def series_add(request):
    _organizers_only(request.user)
    if not organizations_run_by(request.user).exists():
        raise Http404("only coordinators add a series")
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        series = save_or_slug_error(form, lambda: editing.series_create(
            actor=request.user, **form.service_arguments()))
        if series is not None:
            messages.success(request, _("The series %(title)s was created.")
                             % {"title": series.display_title})
            return redirect("organize:series_detail", slug=series.slug)
    return render(request, "organize/events/series_form.html", {"form": form, "series": None})


@login_required
def series_edit(request, slug: str):
    _organizers_only(request.user)
    series = get_object_or_404(series_editable_by(request.user), slug=slug)
    form = SeriesForm(request.POST or None, user=request.user, instance=series)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: editing.series_update(
            series=series, actor=request.user, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:series_detail", slug=saved.slug)
    return render(request, "organize/events/series_form.html",
                  {"form": form, "series": series})


@login_required
def series_detail(request, slug: str):
    _organizers_only(request.user)
    series = get_object_or_404(series_visible_to(request.user).select_related("organization",
                                                                              "campaign"),
                               slug=slug)
    may_review = series_may_approve(request.user, series)
    mine = events_visible_to(request.user).filter(series=series)
    events = list(
        Event.objects.filter(series=series)
        .filter(Q(status=Event.Status.PUBLISHED) | Q(pk__in=mine.values("pk"))
                | (Q(status=Event.Status.SUBMITTED) if may_review else Q(pk__in=[])))
        .select_related("chapter")
        .annotate(registered=Count("registrations", filter=Q(
            registrations__status=Registration.Status.CONFIRMED)))
        .order_by("province", "city", "starts_at", "id")
    )
    visible_ids = set(mine.values_list("pk", flat=True))
    for event in events:
        event.in_scope = event.pk in visible_ids
    waiting = [e for e in events if e.status == Event.Status.SUBMITTED]
    listed = [e for e in events if e.status != Event.Status.SUBMITTED or not may_review]
    provinces = dict(Province.choices)
    regions = [(provinces.get(code, "") or _("Online or no region"), list(rows))
               for code, rows in groupby(listed, key=lambda e: e.province)]
    return render(request, "organize/events/series_detail.html", {
        "series": series,
        "may_review": may_review,
        "may_edit": series_may_edit(request.user, series),
        "may_add": (may_review or series.accepts_submissions)
        and organizations_for_new(request.user).exists(),
        "waiting": waiting if may_review else [],
        "regions": regions,
    })
