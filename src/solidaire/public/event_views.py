"""Public event pages: the list, an event and its registration form, a person's own
registration page, series pages, calendar files and feeds (issue 6).

What a page shows never depends on who a typed e-mail address belongs to: the answer
to a registration is the person's own page only when the registration was just made
for them; "already registered" and everything about members-only events get a
neutral message, and the links arrive by e-mail.

While the database is down (decision 0051) an event's page is served from its last
good copy, and a registration goes to the spool, made with its form key once the
database is back.
"""

from __future__ import annotations

import datetime
import secrets
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format, time_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.core.i18n import content_language_name
from solidaire.core.intake import form_token_check, form_token_new
from solidaire.core.spool import DATABASE_DOWN, SpoolWriteError, spool_append, spool_drain_soon
from solidaire.events import services
from solidaire.events.calendar import calendar_links, feed_ics
from solidaire.events.calendar import event_ics as event_ics_text
from solidaire.events.models import Event, Province, Registration, Series
from solidaire.events.selectors import event_for_public, listed_events
from solidaire.events.zones import zone_label
from solidaire.organizing.models import Chapter

from . import outage
from .event_forms import ONLINE, EventFilterForm, RegistrationForm

EVENTS_PER_PAGE = 30
SERIES_EVENTS_PER_PAGE = 30
FEED_PAST_DAYS = 30
LIST_CACHE_SECONDS = 60
FEED_CACHE_SECONDS = 300
CALENDAR_TYPE = "text/calendar; charset=utf-8"
# Answers to a registration that are not the person's own page.
THANKS_OUTCOMES = ("email", "already", "full", "replay")
# Where each visitor's own form key goes in the page kept for an outage.
KEY_PLACEHOLDER = "__SOLIDAIRE_FORM_KEY__"
# The copy kept for an outage is refreshed at most this often per process and page.
LAST_GOOD_EVERY_SECONDS = 5
SPOOL_KIND = "event.registration"


# --- Helpers ------------------------------------------------------------------------------

def _when(event: Event) -> dict:
    """The event's dates and times as people there read them: in the event's time zone."""
    start, end = event.local_start, event.local_end

    def day(moment):
        return _("%(weekday)s %(date)s") % {"weekday": date_format(moment, "l"),
                                            "date": date_format(moment, "DATE_FORMAT")}

    return {
        "day": day(start),
        "start_time": time_format(start, "TIME_FORMAT"),
        "end_day": day(end) if end.date() != start.date() else "",
        "end_time": time_format(end, "TIME_FORMAT"),
        "zone": zone_label(start),
        "iso_start": start.isoformat(),
    }


def _decorate(events) -> list[Event]:
    """Attach what the templates show for each event of a list."""
    events = list(events)
    for event in events:
        event.when = _when(event)
        event.language_names = [content_language_name(code) for code in event.languages]
    return events


def _upcoming():
    return listed_events().filter(ends_at__gte=timezone.now())


def _cities(events) -> list[str]:
    seen: dict[str, str] = {}
    for city in events.exclude(city="").values_list("city", flat=True).distinct():
        seen.setdefault(city.strip().casefold(), city.strip())
    return sorted(seen.values(), key=str.casefold)


def _filtered(events, form: EventFilterForm):
    """The events that pass the filters the form holds (invalid filters are ignored)."""
    form.is_valid()
    data = form.cleaned_data
    region = data.get("region")
    if region == ONLINE:
        events = events.filter(format__in=(Event.Format.ONLINE, Event.Format.HYBRID))
    elif region:
        events = events.filter(province=region)
    if data.get("city"):
        events = events.filter(city__iexact=data["city"])
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("language"):
        quoted = f'"{data["language"]}"'
        events = events.filter(Q(languages__icontains=quoted)
                               | Q(interpretation__icontains=quoted))
    if data.get("date"):
        since = datetime.datetime.combine(data["date"], datetime.time.min,
                                          tzinfo=timezone.get_current_timezone())
        events = events.filter(ends_at__gte=since)
    return events


def _page_query(request) -> str:
    """The filters of the current address, to keep them in the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _private_headers(response: HttpResponse) -> HttpResponse:
    """A page with a personal link, or a form key of its own: kept by nobody else."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


def _calendar_response(text: str, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(text, content_type=CALENDAR_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _event_or_404(slug: str, key: str) -> Event:
    event = event_for_public(slug, key=key)
    if event is None:
        raise Http404("no such public event")
    return event


def _is_members(event: Event) -> bool:
    return event.visibility == Event.Visibility.MEMBERS


def _is_over(event: Event) -> bool:
    return event.ends_at <= timezone.now()


def _registration_state(event: Event) -> str:
    """Why the form is shown or not: open, waitlist, full, closed, over or cancelled."""
    if event.status == Event.Status.CANCELLED:
        return "cancelled"
    if _is_over(event):
        return "over"
    if not event.registration_open or event.status != Event.Status.PUBLISHED:
        return "closed"
    if event.seats_left == 0:
        return "waitlist" if event.waitlist else "full"
    return "open"


# --- The list of events -------------------------------------------------------------------

@require_safe
def event_list(request):
    upcoming = _upcoming()
    form = EventFilterForm(request.GET or None, cities=_cities(upcoming))
    events = _filtered(upcoming, form) if form.is_bound else upcoming
    events = events.order_by("starts_at", "id")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    days = [
        {"day": day, "label": items[0].when["day"], "events": items}
        for day, items in ((day, list(group)) for day, group in groupby(
            _decorate(page.object_list), key=lambda event: event.local_start.date()))
    ]
    response = render(request, "public/events/list.html", {
        "form": form, "page": page, "days": days, "page_query": _page_query(request),
    })
    patch_cache_control(response, public=True, max_age=LIST_CACHE_SECONDS)
    return response


# --- One event and its registration form --------------------------------------------------

def _event_context(event: Event) -> dict:
    chapter = event.chapter
    series = event.series if event.series_id and event.series.is_public else None
    return {
        "event": event,
        "when": _when(event),
        "members_only": _is_members(event),
        "show_place": not _is_members(event),
        "online_link": False,
        "private": event.visibility == Event.Visibility.PRIVATE,
        "chapter": chapter,
        "cosponsors": list(event.cosponsors.order_by("name")),
        "series": series,
        "languages": [content_language_name(code) for code in event.languages],
        "interpretation": [content_language_name(code) for code in event.interpretation],
        "paragraphs": [p.strip() for p in event.display_body.split("\n\n") if p.strip()],
        "calendar_links": calendar_links(event, language=translation.get_language()),
    }


def _key_query(event: Event) -> str:
    """"?k=…" for a private-link event (the key of the link the visitor already has)."""
    if event.visibility == Event.Visibility.PRIVATE:
        return "?" + urlencode({"k": event.private_key})
    return ""


def _cosponsor_names(event: Event) -> list[str]:
    return list(event.cosponsors.exclude(pk=event.organization_id)
            .order_by("name").values_list("name", flat=True))


def _page_key(slug: str, language: str) -> str:
    return f"event-page:{slug}:{language}"


def _render_event(request, event: Event, form: RegistrationForm | None, *, problem: str = "",
                  status: int = 200) -> HttpResponse:
    state = _registration_state(event)
    cosponsors = None
    if state in ("open", "waitlist") and form is None:
        cosponsors = _cosponsor_names(event)
        form = RegistrationForm(initial={"k": event.private_key if _key_query(event) else ""},
                                cosponsors=cosponsors)
    if state not in ("open", "waitlist"):
        form = None
    if form is not None:
        # Every rendering carries a fresh key; a rejected POST keeps all it typed but the key.
        if form.is_bound:
            form.data = form.data.copy()
            form.data["key"] = form_token_new()
        else:
            form.initial["key"] = KEY_PLACEHOLDER
    context = _event_context(event)
    context.update({"form": form, "state": state, "problem": problem,
                    "key_query": _key_query(event)})
    html = render_to_string("public/events/event.html", context, request=request)
    fresh = request.method != "POST" and status == 200 and not problem
    key = _page_key(event.slug, translation.get_language())
    if fresh and outage.last_good_due(key, LAST_GOOD_EVERY_SECONDS):
        # What a registration sent during an outage needs to know about the event.
        about = {
            "pk": event.pk, "slug": event.slug, "title": event.display_title, "state": state,
            "private_key": event.private_key if _key_query(event) else "",
            "noindex": event.visibility != Event.Visibility.PUBLIC,
            "cosponsors": cosponsors if cosponsors is not None else _cosponsor_names(event),
        }
        outage.last_good_keep(key, {"html": html, "event": about})
    response = HttpResponse(html.replace(KEY_PLACEHOLDER, form_token_new()), status=status)
    _private_headers(response)
    if event.visibility != Event.Visibility.PUBLIC:
        _noindex(response)
    return response


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _thanks(event: Event, outcome: str) -> HttpResponse:
    url = reverse("public:event_thanks", kwargs={"slug": event.slug})
    query = {"outcome": outcome}
    if event.visibility == Event.Visibility.PRIVATE:
        query["k"] = event.private_key
    return _see_other(f"{url}?{urlencode(query)}")


@csrf_exempt  # the signed form key stands in for the CSRF token (decision 0018)
@require_http_methods(["GET", "HEAD", "POST"])
def event_page(request, slug: str):
    try:
        return _event_page(request, slug)
    except DATABASE_DOWN:
        return _event_page_offline(request, slug)


def _link_key(request) -> str:
    return request.POST.get("k", "") if request.method == "POST" else request.GET.get("k", "")


def _event_page(request, slug: str) -> HttpResponse:
    key = _link_key(request)
    event = event_for_public(slug, key=key)
    if event is None:
        if not Event.objects.filter(
                slug=slug, status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]).exists():
            # Unpublished or deleted: an outage must not bring its page back.
            outage.last_good_forget(outage.last_good_keys(f"event-page:{slug}"))
        raise Http404("no such public event")
    if request.method != "POST":
        return _render_event(request, event, None)
    if _registration_state(event) not in ("open", "waitlist"):
        return _render_event(request, event, None, status=400)
    form = RegistrationForm(request.POST, cosponsors=_cosponsor_names(event))
    if outage.rate_limited_once(request):
        return _render_event(request, event, form, status=429, problem=_(
            "Too many forms were sent from your connection in the last minute. Wait a "
            "minute, then send again: what you typed is kept."))
    if not form.is_valid():
        return _render_event(request, event, form, status=400)
    idempotency_key = form_token_check(form.cleaned_data["key"])
    if idempotency_key is None:
        return _render_event(request, event, form, status=400, problem=_(
            "This page was open for a long time. Check what you typed and send it again."))
    if form.is_robot:
        # A robot that filled the hidden field sees what a person would.
        return _thanks(event, "email" if _is_members(event) else "replay")
    data = form.cleaned_data
    result = services.registration_create(
        event=event, chosen_name=data["chosen_name"], email=data["email"],
        phone=data["phone"], language=data["language"], postal_code=data["postal_code"],
        consent_email=data["consent_email"], consent_sms=data["consent_sms"],
        token=idempotency_key, share_with_cosponsors=bool(data.get("share_with_cosponsors")),
    )
    spool_drain_soon()  # the database answers: what this process spooled can go in
    if result.outcome == services.CLOSED:
        event.refresh_from_db()
        return _render_event(request, event, None, status=400, problem=_(
            "Registration for this event is closed."))
    if _is_members(event):
        # Whether the e-mail belongs to a member is nobody else's business.
        return _thanks(event, "email")
    if result.outcome in (services.CONFIRMED, services.WAITLISTED):
        return _see_other(reverse("public:event_registration",
                                  kwargs={"token": result.registration.manage_token}))
    if result.outcome == services.ALREADY:
        return _thanks(event, "already")
    if result.outcome == services.FULL:
        return _thanks(event, "full")
    if result.outcome == services.AWAITING:
        return _thanks(event, "email")
    return _thanks(event, "replay")


# --- While the database is down (decision 0051) -------------------------------------------

def _event_page_offline(request, slug: str) -> HttpResponse:
    """The last good copy of the page; a registration goes to the spool."""
    page = outage.last_good(_page_key(slug, translation.get_language()))
    about = page["event"] if page is not None else {}
    if about.get("private_key") and not secrets.compare_digest(str(_link_key(request)),
                                                               about["private_key"]):
        page, about = None, {}  # a private event's page needs its key, now as always
    if request.method != "POST":
        if page is None:
            return outage.unavailable()
        html = page["html"].replace(KEY_PLACEHOLDER, form_token_new())
        response = _private_headers(HttpResponse(html))
        return _noindex(response) if about["noindex"] else response
    form = RegistrationForm(request.POST, cosponsors=about.get("cosponsors", ()))
    if not about:
        return outage.unavailable(form=_renew_key(form), fields="public/act/fields.html",
                                  action=request.path)
    if about["state"] not in ("open", "waitlist"):
        response = _private_headers(HttpResponse(page["html"], status=400))
        return _noindex(response) if about["noindex"] else response
    if outage.rate_limited_once(request):
        return _offline_form(request, about, _renew_key(form), status=429, problem=_(
            "Too many forms were sent from your connection in the last minute. Wait a "
            "minute, then send again: what you typed is kept."))
    if not form.is_valid():
        return _offline_form(request, about, _renew_key(form), status=400)
    idempotency_key = form_token_check(form.cleaned_data["key"])
    if idempotency_key is None:
        return _offline_form(request, about, _renew_key(form), status=400, problem=_(
            "This page was open for a long time. Check what you typed and send it again."))
    back = request.path + ("?" + urlencode({"k": about["private_key"]})
                           if about["private_key"] else "")
    received = outage.page("public/outage/received.html", {
        "kind": "registration", "title": about["title"], "back": back,
    }, status=202)
    if form.is_robot:
        return received
    data = form.cleaned_data
    try:
        spool_append(kind=SPOOL_KIND, data={
            "event": about["pk"], "key": idempotency_key, "chosen_name": data["chosen_name"],
            "email": data["email"], "phone": data["phone"], "language": data["language"],
            "postal_code": data["postal_code"], "consent_email": data["consent_email"],
            "consent_sms": data["consent_sms"],
            "share_with_cosponsors": bool(data.get("share_with_cosponsors")),
        })
    except SpoolWriteError:
        return outage.unavailable(form=form, fields="public/act/fields.html",
                                  action=request.path, title=about["title"])
    return received


def _renew_key(form: RegistrationForm) -> RegistrationForm:
    """A form shown again keeps all it typed; its key is fresh, as on the live page."""
    form.is_valid()
    form.data = form.data.copy()
    form.data["key"] = form_token_new()
    return form


def _offline_form(request, about: dict, form: RegistrationForm, *, status: int,
                  problem: str = "") -> HttpResponse:
    """The form again, as typed, on a page that reads nothing from the database."""
    button = _("Join the waiting list") if about["state"] == "waitlist" else _("Register")
    return outage.page("public/outage/form.html", {
        "title": about["title"], "form": form, "fields": "public/act/fields.html",
        "action": request.path, "button": button, "problem": problem,
    }, status=status)


@require_safe
def event_thanks(request, slug: str):
    event = _event_or_404(slug, request.GET.get("k", ""))
    outcome = request.GET.get("outcome", "")
    if outcome not in THANKS_OUTCOMES:
        outcome = "email" if _is_members(event) else "replay"
    response = render(request, "public/events/thanks.html", {
        "event": event, "outcome": outcome, "key_query": _key_query(event),
    })
    response["Cache-Control"] = "private, no-store"
    return _noindex(response)


# --- A person's own registration page -----------------------------------------------------

def _waitlist_position(registration: Registration) -> int:
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED,
    ).filter(Q(created_at__lt=registration.created_at)
             | Q(created_at=registration.created_at, id__lt=registration.id))
    return ahead.count() + 1


@csrf_exempt  # the secret link is the credential; GET never changes anything
@require_http_methods(["GET", "HEAD", "POST"])
def event_registration(request, token: str):
    registration = None
    if len(token) <= 40:
        registration = (Registration.objects
                        .select_related("event__chapter", "event__series", "event__organization")
                        .filter(manage_token=token).first())
    if registration is None:
        raise Http404("no such registration")
    event = registration.event
    cancellable = (registration.status != Registration.Status.CANCELLED
                   and event.status != Event.Status.CANCELLED and not _is_over(event))
    if request.method == "POST":
        if cancellable:
            services.registration_cancel(registration=registration)
        url = reverse("public:event_registration", kwargs={"token": token})
        return _private_headers(_noindex(_see_other(url)))
    confirmed = registration.status == Registration.Status.CONFIRMED
    if request.GET.get("format") == "ics":
        text = event_ics_text(event, language=translation.get_language(),
                              registration=registration if confirmed else None)
        return _private_headers(_calendar_response(text, f"{event.slug}.ics", attachment=True))
    context = _event_context(event)
    context.update({
        "registration": registration,
        "confirmed": confirmed,
        "show_place": confirmed or not _is_members(event),
        "online_link": confirmed,
        "cancellable": cancellable,
        "position": (_waitlist_position(registration)
                     if registration.status == Registration.Status.WAITLISTED else None),
        "event_cancelled": event.status == Event.Status.CANCELLED,
        "over": _is_over(event),
        "public_page": event.visibility == Event.Visibility.PUBLIC
        and event.status == Event.Status.PUBLISHED,
    })
    response = render(request, "public/events/registration.html", context)
    return _private_headers(_noindex(response))


# --- Calendar files and feeds -------------------------------------------------------------

@require_safe
def event_ics(request, slug: str):
    event = _event_or_404(slug, request.GET.get("k", ""))
    if _is_members(event):
        # Its place is for members; they get their calendar file with their registration.
        raise Http404("members-only event")
    text = event_ics_text(event, language=translation.get_language())
    response = _calendar_response(text, f"{event.slug}.ics", attachment=True)
    if event.visibility == Event.Visibility.PRIVATE:
        return _private_headers(response)
    patch_cache_control(response, public=True, max_age=FEED_CACHE_SECONDS)
    return response


def _feed_events():
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return listed_events().filter(ends_at__gte=since).order_by("starts_at", "id")


def _feed_response(events, *, name: str, filename: str) -> HttpResponse:
    text = feed_ics(list(events), name=name, language=translation.get_language())
    response = _calendar_response(text, filename, attachment=False)
    patch_cache_control(response, public=True, max_age=FEED_CACHE_SECONDS)
    return response


@require_safe
def events_feed(request):
    return _feed_response(_feed_events(), name=_("Events"), filename="events.ics")


@require_safe
def series_feed(request, slug: str):
    series = Series.objects.filter(slug=slug, is_public=True).first()
    if series is None:
        raise Http404("no such public series")
    return _feed_response(_feed_events().filter(series=series), name=series.display_title,
                          filename=f"{series.slug}.ics")


@require_safe
def chapter_feed(request, slug: str):
    chapter = Chapter.objects.filter(slug=slug).first()
    if chapter is None:
        raise Http404("no such chapter")
    events = _feed_events().filter(chapter__path__startswith=chapter.path)
    return _feed_response(events, name=_("Events of %(chapter)s") % {"chapter": chapter.name},
                          filename=f"{chapter.slug}.ics")


# --- A series (a week or month of action) -------------------------------------------------

def _region_of(event: Event) -> tuple[int, str]:
    """The group an event of a series is listed under, and the group's place in the order."""
    if event.province:
        return 0, str(Province(event.province).label)
    if event.format == Event.Format.ONLINE:
        return 2, _("Online")
    return 1, _("Other places")


@require_safe
def series_page(request, slug: str):
    series = (Series.objects.select_related("organization")
              .filter(slug=slug, is_public=True).first())
    if series is None:
        raise Http404("no such public series")
    upcoming = _upcoming().filter(series=series)
    form = EventFilterForm(request.GET or None, cities=_cities(upcoming))
    events = _filtered(upcoming, form) if form.is_bound else upcoming
    events = _decorate(events.order_by("starts_at", "id"))
    events.sort(key=lambda event: (*_region_of(event), event.starts_at, event.pk))
    page = Paginator(events, SERIES_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    regions = [
        {"label": label, "events": list(group)}
        for (_order, label), group in groupby(page.object_list, key=_region_of)
    ]
    response = render(request, "public/events/series.html", {
        "series": series, "form": form, "page": page, "regions": regions,
        "page_query": _page_query(request),
        "paragraphs": [p.strip() for p in series.display_summary.split("\n\n") if p.strip()],
    })
    patch_cache_control(response, public=True, max_age=LIST_CACHE_SECONDS)
    return response
