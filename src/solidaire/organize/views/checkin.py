"""Check-in on the day: a page made for a phone at the door.

Find a person as you type (name or the last digits of a phone), one tap to check in,
add a walk-in with a name and, if they wish, a way to reach them. Everything works
without JavaScript: the search is a GET form and each button a small POST form that
comes back to the same list (post/redirect/get). checkin.js only fetches the list as
the volunteer types.

Checking in is volunteer work at the door, so volunteers of the hosting organization
may do it too (`events_for_door_work`). They see names and the last four digits of a
phone, never e-mails, and no links to person pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from solidaire.core.intake import form_token_check, form_token_new
from solidaire.events import services
from solidaire.events.models import Event, Registration
from solidaire.events.selectors import events_for_door_work
from solidaire.people.duplicates import name_fold
from solidaire.people.models import PhoneNumber

from ..forms.checkin import WalkInForm

RESULTS_LIMIT = 30
# Typed digits that may be the end of a phone number.
PHONE_DIGITS_MIN = 4
AT_THE_DOOR = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def _event(request, slug: str) -> Event:
    return get_object_or_404(events_for_door_work(request.user), slug=slug)


@dataclass
class Found:
    registrations: list[Registration]
    more: bool          # more matches than shown: type more to narrow
    query: str


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_phone_query(text: str) -> bool:
    """Digits, possibly written with spaces, dashes, dots, brackets or a plus."""
    return bool(text) and not re.sub(r"[\d\s().+\-]", "", text) \
        and len(_digits(text)) >= PHONE_DIGITS_MIN


def checkin_search(event: Event, text: str, limit: int = RESULTS_LIMIT) -> Found:
    """Registrations at the door matching the typed text, by name or phone digits.

    A name matches when every typed word starts a word of the person's names, accents
    and case aside ("jose tr" finds "José Tremblay"). Four digits or more match the end
    of any of the person's phones. Registrations on the waiting list are included;
    cancelled ones are not.
    """
    text = " ".join((text or "").split())[:100]
    rows = list(
        Registration.objects.filter(event=event, status__in=AT_THE_DOOR)
        .values_list("id", "person_id", "person__chosen_name", "person__given_name",
                     "person__family_name")
    )
    if not text:
        ids = [row[0] for row in sorted(rows, key=lambda row: name_fold(row[2]))]
    elif _is_phone_query(text):
        digits = _digits(text)
        people = {
            person_id for person_id, number in PhoneNumber.objects.filter(
                person__registrations__event=event,
                person__registrations__status__in=AT_THE_DOOR,
            ).values_list("person_id", "number")
            if _digits(number).endswith(digits)
        }
        ids = [row[0] for row in sorted(rows, key=lambda row: name_fold(row[2]))
               if row[1] in people]
    else:
        words = name_fold(text).split()
        matched = []
        for row in rows:
            names = name_fold(" ".join(part for part in row[2:] if part)).split()
            if all(any(name.startswith(word) for name in names) for word in words):
                matched.append(row)
        ids = [row[0] for row in sorted(matched, key=lambda row: name_fold(row[2]))]
    shown = ids[:limit]
    by_id = Registration.objects.select_related("person").prefetch_related("person__phones") \
        .in_bulk(shown)
    registrations = [by_id[pk] for pk in shown if pk in by_id]
    for registration in registrations:
        phones = list(registration.person.phones.all())
        registration.phone_end = _digits(phones[0].number)[-4:] if phones else ""
    return Found(registrations=registrations, more=len(ids) > limit, query=text)


def _counts(event: Event) -> dict:
    at_door = Registration.objects.filter(event=event, status__in=AT_THE_DOOR)
    return {
        "registered": at_door.count(),
        "checked_in": at_door.filter(attended_at__isnull=False).count(),
    }


def _language(event: Event) -> str:
    codes = dict(settings.CONTENT_LANGUAGES)
    for code in event.languages or []:
        if code in codes:
            return code
    return settings.LANGUAGE_CODE


def _walk_in_form(event: Event) -> WalkInForm:
    return WalkInForm(initial={"key": form_token_new(), "language": _language(event)})


def _back(event: Event, query: str = "") -> str:
    here = reverse("organize:event_checkin", args=[event.slug])
    return f"{here}?{urlencode({'q': query})}" if query else here


@login_required
@require_safe
def event_checkin(request, slug: str):
    event = _event(request, slug)
    found = checkin_search(event, request.GET.get("q", ""))
    return render(request, "organize/events/checkin.html", {
        "event": event, "found": found, "walk_in_form": _walk_in_form(event),
        **_counts(event),
    })


@login_required
@require_safe
def event_checkin_search(request, slug: str):
    """The list of results alone, for checkin.js to put in place as the volunteer types."""
    event = _event(request, slug)
    found = checkin_search(event, request.GET.get("q", ""))
    return render(request, "organize/events/checkin_results.html",
                  {"event": event, "found": found})


@login_required
@require_POST
def event_checkin_mark(request, slug: str, pk: int):
    event = _event(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("person"), event=event, pk=pk,
        status__in=AT_THE_DOOR)
    query = request.POST.get("q", "")[:100]
    name = registration.person.chosen_name
    if request.POST.get("undo"):
        if services.attendance_unmark(registration=registration, actor=request.user):
            messages.info(request, _("Check-in undone: %(name)s") % {"name": name})
    else:
        services.attendance_mark(registration=registration,
                                 source=Registration.Attendance.CHECK_IN, actor=request.user)
        messages.success(request, _("Checked in: %(name)s") % {"name": name})
    return HttpResponseRedirect(_back(event, query))


@login_required
@require_http_methods(["GET", "POST"])
def event_walk_in(request, slug: str):
    event = _event(request, slug)
    if request.method == "POST":
        form = WalkInForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            key = form_token_check(data["key"])
            if key is None:
                form = WalkInForm(request.POST.copy())
                form.data["key"] = form_token_new()
                form.is_valid()
                form.add_error(None, _("This form was open too long. Check it and add the "
                                       "person again."))
            else:
                result = services.walk_in_add(
                    event=event, chosen_name=data["chosen_name"], language=data["language"],
                    phone=data["phone"], email=data["email"],
                    consent_email=data["consent_email"], consent_sms=data["consent_sms"],
                    actor=request.user, token=key,
                )
                name = result.person.chosen_name if result.person else data["chosen_name"]
                if result.outcome == services.ALREADY:
                    messages.info(request, _("%(name)s was already registered: checked in.")
                                  % {"name": name})
                elif result.registration is not None or result.outcome == services.REPLAY:
                    messages.success(request, _("Checked in: %(name)s") % {"name": name})
                else:
                    form.add_error(None, _("Not added: the event is closed."))
                if not form.errors:
                    return redirect(_back(event))
    else:
        form = _walk_in_form(event)
    return render(request, "organize/events/walk_in.html", {
        "event": event, "form": form, **_counts(event),
    }, status=400 if form.errors else 200)
