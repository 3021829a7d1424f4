"""Paper sign-in sheets: the printable sheet, and the reads behind typing sheets in fast.

Decision 0020 (the addendum on events).

- `sheet_context` gathers what the sign-in sheet PDF prints.
- `paper_matches_find` says, before a typed line is saved, whether the event already
  holds this person: "already registered" (same e-mail or phone; typing the line marks
  them attended, since a paper sign-in of a registered person is a check-in), or "maybe
  the same person" (same name, folded for accents and case).
- `events.selectors.events_for_door_work` widens the organizer scope to volunteers: typing sheets is
  volunteer work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from solidaire.core.paper import SHEET_ROWS_DEFAULT, css_string, short_url
from solidaire.core.pdf import qr_svg_data_uri
from solidaire.people.duplicates import name_fold

from .models import Event, Registration
from .zones import zone_abbreviation

ALREADY_REGISTERED = "already_registered"
MAYBE_SAME = "maybe_same"

REASONS = {
    "contact": _("same e-mail or phone"),
    "name_postal": _("same name and postal code"),
    "name": _("same name"),
}


@dataclass(frozen=True)
class PaperMatch:
    """A registration of the event that the typed line may be."""

    kind: str           # ALREADY_REGISTERED or MAYBE_SAME
    reason: str         # a key of REASONS
    registration_id: int
    name: str
    postal_code: str
    status: str
    source: str
    sheet_number: str
    attended: bool

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])

    @property
    def detail(self) -> str:
        return ", ".join(part for part in (self.postal_code,
                                           str(Registration.Status(self.status).label)) if part)

    @property
    def source_label(self) -> str:
        return str(Registration.Source(self.source).label)


def _match(registration: Registration, kind: str, reason: str) -> PaperMatch:
    person = registration.person
    return PaperMatch(kind=kind, reason=reason, registration_id=registration.pk,
                      name=person.chosen_name, postal_code=person.postal_code,
                      status=registration.status, source=registration.source,
                      sheet_number=registration.sheet_number,
                      attended=registration.attended_at is not None)


def paper_matches_find(*, event: Event, name: str, email: str = "", phone: str = "",
                       postal_code: str = "") -> list[PaperMatch]:
    """Registrations of this event that a typed sign-in line may be.

    `email`, `phone` and `postal_code` are normalized. A registration whose person has
    this e-mail or phone is "already registered" (cancelled and waiting ones too: they
    came all the same). Otherwise one whose person has the same folded name is "maybe
    the same person" (the reason says whether the postal code matches too). Already
    registered matches come first; at most five of each.
    """
    registrations = Registration.objects.filter(event=event).select_related("person")
    found: list[PaperMatch] = []
    seen: set[int] = set()

    contact = Q(pk__in=[])
    if email:
        contact |= Q(person__emails__address=email)
    if phone:
        contact |= Q(person__phones__number=phone)
    if email or phone:
        for registration in registrations.filter(contact).distinct().order_by("id")[:5]:
            seen.add(registration.pk)
            found.append(_match(registration, ALREADY_REGISTERED, "contact"))

    folded = name_fold(name or "")
    if folded:
        # Folding is done here, not in SQL: read this event's names (one short column).
        same_name = [
            (pk, other_postal)
            for pk, other_name, other_postal in registrations.values_list(
                "id", "person__chosen_name", "person__postal_code")
            if pk not in seen and name_fold(other_name) == folded
        ]
        same_name.sort(key=lambda row: (row[1] != postal_code or not postal_code, row[0]))
        rows = registrations.in_bulk([pk for pk, _p in same_name[:5]])
        for pk, other_postal in same_name[:5]:
            reason = "name_postal" if postal_code and other_postal == postal_code else "name"
            found.append(_match(rows[pk], MAYBE_SAME, reason))
    return found


def _when(event: Event) -> str:
    """The date and times in the active language, in the event's time zone."""
    start, end = event.local_start, event.local_end
    text = (f"{formats.date_format(start, 'l')} {formats.date_format(start, 'DATE_FORMAT')}, "
            f"{formats.time_format(start, 'TIME_FORMAT')}")
    if end.date() == start.date():
        text += f" – {formats.time_format(end, 'TIME_FORMAT')}"
    else:
        text += (f" – {formats.date_format(end, 'DATE_FORMAT')}, "
                 f"{formats.time_format(end, 'TIME_FORMAT')}")
    return f"{text} ({zone_abbreviation(start)})"


# Who is expected at the door: the check-in list's statuses (cancelled ones are not).
AT_THE_DOOR = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def sheet_registrant_names(event: Event) -> list[str]:
    """The names printed on a pre-filled sign-in sheet, sorted accents and case aside.

    Names only: a sheet lies on a table at the door where anyone signing in reads it,
    so no e-mail, phone or registration status is ever printed. The chosen name, or the
    given and family names when a record has no chosen name.
    """
    rows = Registration.objects.filter(event=event, status__in=AT_THE_DOOR).values_list(
        "person__chosen_name", "person__given_name", "person__family_name")
    names = [(chosen or f"{given} {family}").strip() for chosen, given, family in rows]
    return sorted((name for name in names if name), key=lambda name: (name_fold(name), name))


def sheet_context(*, event: Event, url: str, rows: int = SHEET_ROWS_DEFAULT,
                  registrants: list[str] | None = None) -> dict:
    """What the sign-in sheet prints, in the active language.

    `url` is the absolute address of the event's public page: printed (without its
    scheme) and encoded in the QR code. `registrants`: names printed first, each with a
    box to tick when they arrive, before the `rows` blank lines for walk-ins (numbered on
    from the names).
    """
    registrants = registrants or []
    place = ", ".join(part for part in (event.venue, event.address, event.city) if part) \
        if event.is_in_person else ""
    return {
        "event": event,
        "title": event.display_title,
        "kind": event.get_kind_display(),
        "when": _when(event),
        "place": place,
        "online": event.is_online,
        "organization": event.organization.name,
        "url": url,
        "short_url": short_url(url),
        "qr": qr_svg_data_uri(url),
        "registrants": [(n, name) for n, name in enumerate(registrants, start=1)],
        "rows": range(len(registrants) + 1, len(registrants) + rows + 1),
        "language_code": (translation.get_language() or "fr").split("-")[0],
        # Printed at the foot of every page (a long sheet has two); a CSS string.
        "sheet_label_css": css_string(str(_("Sheet no."))),
    }
