"""Paper sign-in sheets for events: the printable sheet and typing it back in.

Decision 0020 (addendum). Typing follows the keyboard flow shared with petitions
(`organize/paper_entry.py`). A line whose e-mail or phone is already registered marks
that registration attended (a paper sign-in of a registered person is a check-in);
any other line adds the person as a walk-in who came, from the paper sheet.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.core.paper import sheet_rows
from solidaire.core.pdf import render_pdf
from solidaire.events.models import Event, Registration
from solidaire.events.paper import (
    ALREADY_REGISTERED,
    MAYBE_SAME,
    paper_matches_find,
    sheet_context,
    sheet_registrant_names,
)
from solidaire.events.selectors import events_for_door_work, events_visible_to
from solidaire.events.services import ALREADY, REPLAY, attendance_mark, walk_in_add
from solidaire.people.models import Channel, ConsentMethod
from solidaire.people.services import consent_record

from ..forms.paper import EventSignInForm
from ..paper_entry import RECENT_ENTRIES, PaperEntry


class EventPaperEntry(PaperEntry):
    """Typing an event's sign-in sheets."""

    form_class = EventSignInForm
    template_name = "organize/events/paper.html"
    fields_template = "organize/events/paper_fields.html"
    person_legend = gettext_lazy("Person who came")
    maybe_heading = gettext_lazy("Maybe the same person: this event already has")
    already_heading = gettext_lazy("Already registered:")
    recent_columns = (gettext_lazy("Name"), gettext_lazy("Postal code"),
                      gettext_lazy("Language"), gettext_lazy("Attendance"))

    def __init__(self, request, *, event: Event):
        super().__init__(request, here=reverse("organize:event_paper", args=[event.slug]))
        self.event = event

    def replayed(self, key):
        return Registration.objects.filter(token=key, event=self.event).exists()

    def find(self, data):
        return paper_matches_find(event=self.event, name=data["name"], email=data["email"],
                                  phone=data["phone"], postal_code=data["postal_code"])

    def asks_save_anyway(self, data, matches):
        if any(m.kind == ALREADY_REGISTERED for m in matches):
            return False
        return not data["save_anyway"] and any(m.kind == MAYBE_SAME for m in matches)

    def save(self, data, key, matches):
        user = self.request.user
        registered = next((m for m in matches if m.kind == ALREADY_REGISTERED), None)
        if registered is not None:
            registration = (Registration.objects.select_related("person")
                            .get(pk=registered.registration_id))
            self._marked(registered.name, attendance_mark(
                registration=registration, source=Registration.Attendance.PAPER, actor=user,
                sheet_number=data["sheet_number"]))
            # Boxes ticked on the sheet: consent given on paper (never withdrawn by a blank).
            for channel, ticked in ((Channel.EMAIL, data["consent_email"]),
                                    (Channel.SMS, data["consent_sms"])):
                if ticked:
                    consent_record(person=registration.person, channel=channel, granted=True,
                                   method=ConsentMethod.PAPER,
                                   source=f"event:{self.event.slug}", actor=user)
            return None
        result = walk_in_add(
            event=self.event, chosen_name=data["name"], language=data["language"],
            phone=data["phone"], email=data["email"], postal_code=data["postal_code"],
            consent_email=data["consent_email"] and bool(data["email"]),
            consent_sms=data["consent_sms"] and bool(data["phone"]),
            actor=user, token=key, source=Registration.Source.PAPER,
            sheet_number=data["sheet_number"],
        )
        if result.outcome == REPLAY:
            return None
        if result.outcome == ALREADY:
            # Found registered through their person record (e.g. another e-mail of theirs).
            self._marked(result.person.chosen_name, True)
            return None
        count = self._mine(data["sheet_number"]).count()
        messages.success(self.request, _("Saved: %(count)s on sheet %(sheet)s.")
                         % {"count": count, "sheet": data["sheet_number"]})
        return None

    def _marked(self, name: str, changed: bool) -> None:
        if changed:
            messages.success(self.request, _("%(name)s was registered: marked as present.")
                             % {"name": name})
        else:
            messages.info(self.request, _("%(name)s was already marked as present.")
                          % {"name": name})

    def _mine(self, sheet):
        return Registration.objects.filter(event=self.event, source=Registration.Source.PAPER,
                                           sheet_number=sheet,
                                           checked_in_by=self.request.user)

    def recent_rows(self, sheet):
        return [
            [r.person.chosen_name, r.person.postal_code, r.language,
             r.get_attendance_source_display()]
            for r in self._mine(sheet).select_related("person").order_by("-id")[:RECENT_ENTRIES]
        ]

    def extra_context(self):
        return {"event": self.event,
                "may_organize": events_visible_to(self.request.user)
                .filter(pk=self.event.pk).exists()}


def _event(request, slug: str) -> Event:
    return get_object_or_404(
        events_for_door_work(request.user).select_related("organization"), slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def event_paper(request, slug: str):
    return EventPaperEntry(request, event=_event(request, slug)).handle()


@login_required
@require_safe
def event_sheet(request, slug: str):
    """The sign-in sheet PDF, in the page's language.

    The names of the people registered come first, each with a box to tick, then
    `?rows=` blank lines for walk-ins (between 10 and 30); `?blank=1` prints the blank
    lines only. Whoever may do the door work sees these names on the check-in page too.
    """
    event = _event(request, slug)
    url = request.build_absolute_uri(reverse("public:event", args=[event.slug]))
    if event.visibility == Event.Visibility.PRIVATE:
        url += "?" + urlencode({"k": event.private_key})
    registrants = [] if request.GET.get("blank") == "1" else sheet_registrant_names(event)
    pdf = render_pdf("events/pdf/sign_in_sheet.html",
                     sheet_context(event=event, url=url, rows=sheet_rows(request.GET.get("rows")),
                                   registrants=registrants),
                     request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-sign-in-sheet.pdf"'
    response["Content-Language"] = translation.get_language()
    response["Cache-Control"] = "private, no-store"
    return response
