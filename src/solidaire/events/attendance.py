"""Attendance from a video-meeting participant report (Zoom, Microsoft Teams, Google Meet).

`attendance_import` reads the report, groups its rows by participant (a person who
left and rejoined has several rows: their minutes are added up, they count once) and
matches each participant, with a handful of queries for the whole file:

1. their e-mail belongs to a person registered for the event: that registration;
2. their e-mail belongs to a known person who did not register: a registration is
   added for them (source "video-meeting report");
3. no e-mail match, but the folded name is that of exactly one registered person:
   that registration;
4. an e-mail nobody has: a new person and their registration (first time);
5. otherwise the participant is not matched; only their name is kept, for a human.

Who counts (decision 0064): the meeting's host, its co-hosts and the organization's own
organizer accounts are skipped (never a new contact); rows in the waiting room add no time;
a participant must have been in the meeting for `presence_minutes` in all to be marked
present. A report is refused for an event that has not started, or whose meeting was held
on another day than the event's.

Each registration is marked attended once: importing the same report again finds
everyone already marked and changes nothing, and writes no second ledger row.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from solidaire.core.access import require_unless_system
from solidaire.core.models import Activity, OrganizerRole
from solidaire.core.services import audit_log
from solidaire.core.signals import ledger_changed_send
from solidaire.core.tabular import ImportFileError, parse_csv
from solidaire.people.activities import PERSON_CREATED
from solidaire.people.duplicates import name_fold
from solidaire.people.importing.columns import fold
from solidaire.people.models import EmailAddress, Person, Source
from solidaire.people.normalize import normalize_email
from solidaire.people.services import person_upsert

from .activities import EVENT_ATTENDED
from .models import AttendanceImport, Event, Registration
from .selectors import event_may_import_attendance

MAX_BYTES = 5 * 1024 * 1024
MAX_UNMATCHED_NAMES = 500
_CHUNK = 500

UNKNOWN_HEADERS = _(
    "This file is not a participant report we know. Upload the attendance or participant "
    "report of Zoom, Microsoft Teams or Google Meet, as it was downloaded: its columns hold "
    "the name, the e-mail and the time each person spent in the meeting."
)
TOO_LARGE = _("This file is too large: a participant report is at most 5 MB.")
NO_PARTICIPANT = _("This report has its column headers but no participant under them.")
NOT_STARTED = _("This event has not started yet: upload its participant report after the "
                "meeting.")
OTHER_DATE = _("This report is of a meeting held on %(meeting)s, but the event took place on "
               "%(event)s. Upload the report of this event's meeting.")
# A visit shorter than this, in all, is not attendance (decision 0064); half of a shorter
# event's planned length.
PRESENCE_MINUTES = 10
# A report's meeting may start the evening before or end after midnight in another time
# zone than the event's: one day either side is the same meeting.
DATE_SLACK = datetime.timedelta(days=1)
MAX_LISTED = 5000


class AttendanceFileError(ValueError):
    """A report that cannot be read; `message` is shown to the organizer."""

    def __init__(self, code: str, message) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


# -- reading the report ------------------------------------------------------------------------

NAME, FIRST, LAST, EMAIL, JOIN, LEAVE, DURATION, HOST, ROLE, WAITING = (
    "name", "first", "last", "email", "join", "leave", "duration", "host", "role", "waiting")

_HEADERS = {
    NAME: ["Name (Original Name)", "Name", "Full Name", "Display Name", "Participant",
           "Participant Name", "Nom (nom d'origine)", "Nom (nom original)", "Nom complet",
           "Nom affiché", "Nom du participant", "Nom"],
    FIRST: ["First name", "Given name", "Prénom"],
    LAST: ["Last name", "Family name", "Surname", "Nom de famille"],
    EMAIL: ["User Email", "Email", "E-mail", "Email address", "E-mail address", "Courriel",
            "Adresse courriel", "Adresse e-mail", "Adresse électronique", "Adresse email",
            "E-mail de l'utilisateur", "Courriel de l'utilisateur", "Participant ID (UPN)",
            "ID du participant (UPN)", "UPN"],
    JOIN: ["Join Time", "First Join", "First Join Time", "Time joined", "Joined",
           "Heure d'arrivée", "Heure de connexion", "Heure d'entrée", "Première connexion",
           "Première arrivée", "Heure de première arrivée", "Heure de participation"],
    LEAVE: ["Leave Time", "Last Leave", "Last Leave Time", "Time exited", "Left",
            "Heure de départ", "Heure de sortie", "Dernière déconnexion", "Dernier départ",
            "Heure de déconnexion", "Heure du dernier départ"],
    DURATION: ["Duration (Minutes)", "Duration", "In-Meeting Duration", "Attendance Duration",
               "Time in meeting", "Durée", "Durée (minutes)", "Durée de présence",
               "Durée dans la réunion", "Temps de présence", "Durée de la réunion"],
    HOST: ["Host", "Is Host", "Hôte", "Est l'hôte"],
    ROLE: ["Role", "Participant Role", "Rôle", "Rôle du participant"],
    WAITING: ["In Waiting Room", "Waiting Room", "Dans la salle d'attente",
              "En salle d'attente", "Salle d'attente"],
}
_BY_HEADER = {fold(header): key for key, headers in _HEADERS.items() for header in headers}
# Headers of Zoom's meeting summary block, whose columns look like a participant's.
_SUMMARY_MARKS = {"meeting id", "topic", "id de reunion", "sujet", "meeting title",
                  "titre de la reunion"}
# In Zoom's summary block, the meeting's host account and its start.
_SUMMARY_HOST_EMAIL = {"user email", "host email", "courriel de l'utilisateur",
                       "e-mail de l'utilisateur", "courriel de l'hote", "organizer email"}
_SUMMARY_HOST_NAME = {"host", "host name", "hote", "nom de l'hote", "organizer",
                      "organisateur"}
_SUMMARY_START = {"start time", "meeting start time", "heure de debut", "debut",
                  "date de debut", "start date"}
_YES = {"yes", "oui", "true", "vrai", "1", "y", "o"}
# Roles that run the meeting (Zoom, Teams), in both languages, folded.
_HOST_ROLES = {"host", "co-host", "cohost", "alternative host", "organizer", "co-organizer",
               "coorganizer", "hote", "co-hote", "cohote", "organisateur", "organisatrice",
               "coorganisateur", "co-organisateur", "coorganisatrice"}


@dataclass
class Participant:
    key: str
    name: str = ""
    email: str = ""
    seconds: float = 0.0
    timed: bool = False
    host: bool = False

    @property
    def minutes(self) -> int | None:
        return round(self.seconds / 60) if self.timed else None


@dataclass
class Report:
    rows: int = 0
    participants: list[Participant] = field(default_factory=list)
    host_emails: set[str] = field(default_factory=set)
    host_names: set[str] = field(default_factory=set)  # folded
    started: datetime.date | None = None  # the meeting's first day, when the report says


def _columns(cells: list[str]) -> dict[str, int] | None:
    """Which column holds what, when these cells are a participant header row."""
    folded = [fold(cell) for cell in cells]
    if any(cell in _SUMMARY_MARKS for cell in folded):
        return None
    found: dict[str, int] = {}
    for index, cell in enumerate(folded):
        key = _BY_HEADER.get(cell)
        if key and key not in found:
            found[key] = index
    # French Google Meet: "Prénom" and "Nom", where "Nom" is the family name.
    if FIRST in found and NAME in found and LAST not in found:
        found[LAST] = found.pop(NAME)
    has_name = NAME in found or FIRST in found or LAST in found
    if has_name and (EMAIL in found or DURATION in found or JOIN in found):
        return found
    return None


_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hours?|heures?|m|mn|mins?|minutes?|s|sec|"
                   r"secs?|seconds?|secondes?)\b", re.IGNORECASE)


def _duration_seconds(text: str) -> float | None:
    """Seconds from "45", "45.5", "1:05:30", "1h 5m 30s", "1 hr 5 min", "1 h 5 min 30 s"."""
    text = (text or "").strip()
    if not text:
        return None
    plain = text.replace(",", ".")
    try:
        return float(plain) * 60  # Zoom: minutes
    except ValueError:
        pass
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", text):
        parts = [int(part) for part in text.split(":")] + [0]
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    total, seen = 0.0, False
    for number, unit in _UNIT.findall(text):
        value = float(number.replace(",", "."))
        unit = unit.lower()
        seen = True
        if unit.startswith("h"):
            total += value * 3600
        elif unit.startswith("m"):
            total += value * 60
        else:
            total += value
    return total if seen else None


_TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y, %I:%M:%S %p", "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M",
)
_TZ_SUFFIX = re.compile(r"\s*(GMT|UTC|HNE|HAE|EST|EDT)\s*[+-]?\d{0,2}:?\d{0,2}$", re.IGNORECASE)


def _between_seconds(join: str, leave: str) -> float | None:
    """Seconds between two clock times written the same way, or None."""
    join = _TZ_SUFFIX.sub("", (join or "").strip())
    leave = _TZ_SUFFIX.sub("", (leave or "").strip())
    if not (join and leave):
        return None
    for pattern in _TIME_FORMATS:
        try:
            start = datetime.datetime.strptime(join, pattern)
            end = datetime.datetime.strptime(leave, pattern)
        except ValueError:
            continue
        seconds = (end - start).total_seconds()
        if seconds < 0 and pattern.startswith(("%I", "%H")):
            seconds += 86400  # past midnight, times without a date
        return max(seconds, 0.0)
    return None


def _day(text: str) -> datetime.date | None:
    """The date of a time written with one (not of a bare clock time), or None."""
    text = _TZ_SUFFIX.sub("", (text or "").strip())
    for pattern in _TIME_FORMATS:
        if "%d" not in pattern:
            continue
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _display_name(text: str) -> str:
    """Zoom writes "Display name (Original name)" for a renamed participant."""
    text = " ".join((text or "").split())
    if text.endswith(")") and " (" in text:
        text = text[: text.rfind(" (")].strip() or text
    return text


def _rows(data: bytes, delimiter: str | None = None) -> list[list[str]]:
    """The report's records, by the one reader of uploads (encoding, limits); with the
    delimiter it sniffs unless one is given."""
    try:
        return parse_csv(data, delimiter=delimiter)
    except ImportFileError as exc:
        if exc.code == "not_csv":
            raise AttendanceFileError("unknown_headers", UNKNOWN_HEADERS) from exc
        raise AttendanceFileError(exc.code, exc.message) from exc


def _summary(rows: list[list[str]], report: Report) -> None:
    """The host's e-mail and name and the start, from a summary above the participants:
    Zoom's header row over a values row, or Teams' "label<TAB>value" lines."""
    def take(label: str, value: str) -> None:
        value = value.strip()
        if not value:
            return
        if label in _SUMMARY_HOST_EMAIL:
            with contextlib.suppress(ValidationError):
                report.host_emails.add(normalize_email(value))
        elif label in _SUMMARY_HOST_NAME and (folded := name_fold(_display_name(value))):
            report.host_names.add(folded)
        elif label in _SUMMARY_START and report.started is None:
            report.started = _day(value)

    for at, cells in enumerate(rows):
        folded = [fold(cell) for cell in cells]
        if any(cell in _SUMMARY_MARKS for cell in folded) and at + 1 < len(rows):
            for label, value in zip(folded, rows[at + 1], strict=False):
                take(label, value)
        elif len(cells) >= 2 and folded[0]:
            take(folded[0], cells[1])


def _records(data: bytes, delimiter: str | None
             ) -> tuple[dict[str, int], list[list[str]], list[list[str]]] | None:
    rows = _rows(data, delimiter)
    for at, cells in enumerate(rows):
        columns = _columns(cells)
        if columns is None:
            continue
        body = []
        for cells in rows[at + 1:]:
            if not any(cell.strip() for cell in cells):
                break  # a blank line ends the participants (Teams has more sections)
            body.append(cells)
        return columns, body, rows[:at]
    return None


def report_read(data: bytes) -> Report:
    """The participants of a report; raises AttendanceFileError when it is not one."""
    if len(data) > MAX_BYTES:
        raise AttendanceFileError("too_large", TOO_LARGE)
    found = None
    # The sniffed delimiter first (None), then those the meeting services write.
    for delimiter in (None, "\t", ",", ";"):
        found = _records(data, delimiter)
        if found:
            break
    if not found:
        raise AttendanceFileError("unknown_headers", UNKNOWN_HEADERS)
    columns, body, above = found
    report = Report()
    _summary(above, report)
    by_key: dict[str, Participant] = {}

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for cells in body:
        report.rows += 1
        if report.started is None and (day := _day(cell(cells, JOIN))):
            report.started = day
        name = _display_name(cell(cells, NAME)) or " ".join(
            part for part in (cell(cells, FIRST), cell(cells, LAST)) if part)
        email = ""
        if raw := cell(cells, EMAIL):
            try:
                email = normalize_email(raw)
            except ValidationError:
                email = ""
            if len(email) > 254:
                email = ""
        folded = name_fold(name)
        key = f"e:{email}" if email else f"n:{folded}" if folded else ""
        if not key:
            continue
        participant = by_key.get(key)
        if participant is None:
            participant = by_key[key] = Participant(key=key, name=name[:200], email=email)
            report.participants.append(participant)
        elif not participant.name and name:
            participant.name = name[:200]
        if (fold(cell(cells, HOST)) in _YES or fold(cell(cells, ROLE)) in _HOST_ROLES
                or (email and email in report.host_emails)
                or (not email and folded in report.host_names)):
            participant.host = True
        if fold(cell(cells, WAITING)) in _YES:
            # Waiting to be let in is not being in the meeting: no time, yet timed, so
            # that someone who only waited is not taken for an untimed report's attendee.
            participant.timed = participant.timed or bool(
                DURATION in columns or JOIN in columns)
            continue
        seconds = _duration_seconds(cell(cells, DURATION)) if DURATION in columns else None
        if seconds is None:
            seconds = _between_seconds(cell(cells, JOIN), cell(cells, LEAVE))
        if seconds is not None:
            participant.seconds += seconds
            participant.timed = True
    if not report.participants:
        raise AttendanceFileError("no_participant", NO_PARTICIPANT)
    return report


def _bytes_of(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str | Path):
        return Path(file).read_bytes()
    if hasattr(file, "chunks"):
        if getattr(file, "size", 0) and file.size > MAX_BYTES:
            raise AttendanceFileError("too_large", TOO_LARGE)
        return b"".join(file.chunks())
    return file.read()


# -- matching --------------------------------------------------------------------------------

def _chunks(values: list, size: int = _CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass
class _Mark:
    registration_id: int | None
    person_id: int
    home_chapter_id: int | None
    name: str = ""
    how: str = "email"  # "email" or "name"
    created: bool = False
    seconds: float = 0.0
    timed: bool = False

    def add(self, participant: Participant) -> None:
        self.seconds += participant.seconds
        self.timed = self.timed or participant.timed

    @property
    def minutes(self) -> int | None:
        return round(self.seconds / 60) if self.timed else None


def _people_add(participants: list[Participant], *, event: Event, language: str):
    """New people for e-mails nobody has, in bulk, as `person_create` records them: the
    person, their primary e-mail and the ledger's PERSON_CREATED row. Should another
    request add one of these e-mails meanwhile, each goes through `person_upsert` instead.
    Yields (participant, person, created)."""
    if not participants:
        return
    organization_id = event.organization_id
    people = [Person(chosen_name=(p.name or p.email.partition("@")[0])[:150],
                     organization_id=organization_id, source=Source.EVENT,
                     source_detail=event.slug,
                     preferred_language=language) for p in participants]
    try:
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=_CHUNK)
            EmailAddress.objects.bulk_create(
                [EmailAddress(person=person, organization_id=organization_id, address=p.email,
                              is_primary=True, source=f"event: {event.slug}")
                 for p, person in zip(participants, people, strict=True)], batch_size=_CHUNK)
            person_type = ContentType.objects.get_for_model(Person)
            Activity.objects.bulk_create(
                [Activity(person=person, kind=PERSON_CREATED,
                          object_type=person_type, object_id=person.pk,
                          occurred_at=person.created_at) for person in people],
                batch_size=_CHUNK)
            ledger_changed_send((person.pk for person in people), rows_removed=False)
    except IntegrityError:
        for participant in participants:
            result = person_upsert(
                organization=event.organization,
                chosen_name=participant.name or participant.email.partition("@")[0],
                email=participant.email, source=Source.EVENT,
                source_detail=event.slug, preferred_language=language,
            )
            yield participant, result.person, result.created
        return
    for participant, person in zip(participants, people, strict=True):
        yield participant, person, True


def _organizer_emails(event: Event) -> set[str]:
    """The e-mails of the accounts that run this organization's work (coordinators and
    chapter organizers): they host or co-host its meetings, they are not attendees."""
    roles = OrganizerRole.objects.filter(
        role__in=[OrganizerRole.Role.COORDINATOR, OrganizerRole.Role.CHAPTER_ORGANIZER],
    ).filter(Q(organization_id=event.organization_id)
             | Q(chapters__organization_id=event.organization_id))
    emails = set()
    for address in roles.exclude(user__email="").values_list("user__email", flat=True):
        try:
            emails.add(normalize_email(address))
        except ValidationError:
            continue
    return emails


def _check_date(event: Event, report: Report) -> None:
    """Refuse the report of a meeting held on another day than the event (decision 0064)."""
    if report.started is None:
        return  # times without a date: nothing to compare
    first, last = event.local_start.date(), event.local_end.date()
    if first - DATE_SLACK <= report.started <= last + DATE_SLACK:
        return
    raise AttendanceFileError("other_date", OTHER_DATE % {
        "meeting": formats.date_format(report.started, "DATE_FORMAT"),
        "event": formats.date_format(first, "DATE_FORMAT"),
    })


def presence_seconds(event: Event) -> float:
    """How long, in all, a participant must have been in the meeting to have attended."""
    planned = (event.ends_at - event.starts_at).total_seconds()
    return min(PRESENCE_MINUTES * 60.0, planned / 2) if planned > 0 else PRESENCE_MINUTES * 60.0


def _language(event: Event) -> str:
    languages = [code for code in (event.languages or []) if code]
    return languages[0] if languages else settings.LANGUAGE_CODE


@transaction.atomic
def attendance_import(*, event: Event, file, filename: str, actor) -> AttendanceImport:
    """Match a participant report to the event and mark who attended (see module doc).

    Raises AttendanceFileError (a ValueError) when the file is not a report we can read;
    then nothing is saved. The returned import carries `already_marked`, the number of
    registrations that were marked attended before (not stored).

    An account must be an organizer who sees the event (`event_may_import_attendance`);
    `actor=None` is the application (a command, the benchmarks; decision 0056).
    """
    require_unless_system(actor, lambda: event_may_import_attendance(actor, event),
                          "this account may not import this event's attendance")
    if event.starts_at > timezone.now():
        raise AttendanceFileError("not_started", NOT_STARTED)
    report = report_read(_bytes_of(file))
    _check_date(event, report)
    # The host, co-hosts and the organization's organizers are not attendees: never
    # marked, never a new contact.
    staff = report.host_emails | _organizer_emails(event)
    minimum = presence_seconds(event)
    hosts_skipped = 0
    too_short: list[Participant] = []
    participants: list[Participant] = []
    for participant in report.participants:
        if participant.host or (participant.email and participant.email in staff):
            hosts_skipped += 1
        elif participant.timed and participant.seconds < minimum:
            too_short.append(participant)
        else:
            participants.append(participant)
    # The event row lock serializes this with registrations taking seats.
    event = Event.objects.select_for_update().get(pk=event.pk)
    language = _language(event)

    registrations: dict[int, dict] = {}  # person id -> registration values
    by_folded: dict[str, list[int]] = {}
    for values in (Registration.objects.filter(event=event)
                   .values("id", "person_id", "status", "attended_at", "minutes_online",
                           "person__chosen_name", "person__home_chapter_id")):
        registrations[values["person_id"]] = values
        folded = name_fold(values["person__chosen_name"] or "")
        if folded:
            by_folded.setdefault(folded, []).append(values["person_id"])

    emails = [p.email for p in participants if p.email]
    person_of_email: dict[str, int] = {}
    for chunk in _chunks(emails):
        # Only the event's organization's list (decision 0035).
        person_of_email.update(EmailAddress.objects.filter(organization_id=event.organization_id,
                                                           address__in=chunk)
                               .values_list("address", "person_id"))
    unregistered_ids = {pid for pid in person_of_email.values() if pid not in registrations}
    known: dict[int, dict] = {}
    for chunk in _chunks(sorted(unregistered_ids)):
        for values in Person.objects.filter(pk__in=chunk).values(
                "id", "home_chapter_id", "preferred_language"):
            known[values["id"]] = values

    marks: dict[int, _Mark] = {}  # person id -> what to mark
    counts = {"matched_registrations": 0, "matched_people": 0, "new_people": 0}
    first_time: set[int] = set()
    unmatched: list[str] = []
    pending: list[Participant] = []  # e-mails nobody has: new people
    language_of: dict[int, str] = {}

    def mark(person_id: int, registration: dict | None, home_chapter_id, participant,
             how: str = "email", created: bool = False):
        item = marks.get(person_id)
        if item is None:
            item = marks[person_id] = _Mark(
                registration_id=registration["id"] if registration else None,
                person_id=person_id, home_chapter_id=home_chapter_id,
                name=participant.name, how=how, created=created)
        item.add(participant)
        return item

    for participant in participants:
        person_id = person_of_email.get(participant.email) if participant.email else None
        if person_id is not None:
            registration = registrations.get(person_id)
            if registration is not None:
                if person_id not in marks:
                    counts["matched_registrations"] += 1
                mark(person_id, registration, registration["person__home_chapter_id"],
                     participant)
            else:
                person = known[person_id]
                if person_id not in marks:
                    counts["matched_people"] += 1
                language_of[person_id] = person["preferred_language"] or language
                mark(person_id, None, person["home_chapter_id"], participant)
            continue
        folded = name_fold(participant.name)
        candidates = by_folded.get(folded, []) if folded else []
        if len(candidates) == 1:
            registration = registrations[candidates[0]]
            if candidates[0] not in marks:
                counts["matched_registrations"] += 1
            mark(candidates[0], registration, registration["person__home_chapter_id"],
                 participant, how="name")
            continue
        if participant.email:
            pending.append(participant)
            continue
        unmatched.append(participant.name)

    for participant, person, created in _people_add(pending, event=event, language=language):
        if created:
            counts["new_people"] += 1
            first_time.add(person.pk)
        elif person.pk not in marks:
            counts["matched_people"] += 1
        language_of[person.pk] = person.preferred_language or language
        mark(person.pk, registrations.get(person.pk), person.home_chapter_id, participant,
             created=created)

    now = timezone.now()
    attended_at = event.starts_at
    by = actor if getattr(actor, "is_authenticated", False) else None
    to_create: list[Registration] = []
    attended: list[int] = []    # registration ids now marked attended
    promoted: list[int] = []    # among them: waitlisted, awaiting or cancelled, yet they came
    minutes: dict[int, list[int]] = {}  # minutes online -> registration ids
    newly_attended: list[_Mark] = []
    already = 0
    for person_id, item in marks.items():
        if item.registration_id is None:
            to_create.append(Registration(
                event_id=event.pk, person_id=person_id, status=Registration.Status.CONFIRMED,
                source=Registration.Source.IMPORT, language=language_of.get(person_id, language),
                first_time=person_id in first_time, created_at=now, status_changed_at=now,
                attended_at=attended_at, attendance_source=Registration.Attendance.IMPORT,
                minutes_online=item.minutes, checked_in_by=by,
            ))
            newly_attended.append(item)
            continue
        values = registrations[person_id]
        if values["attended_at"] is not None:
            already += 1
            # Checked in at the door and online too: only the minutes, if none were known.
            if values["minutes_online"] is None and item.minutes is not None:
                minutes.setdefault(item.minutes, []).append(values["id"])
            continue
        attended.append(values["id"])
        if values["status"] != Registration.Status.CONFIRMED:
            promoted.append(values["id"])
        if item.minutes is not None:
            minutes.setdefault(item.minutes, []).append(values["id"])
        newly_attended.append(item)

    Registration.objects.bulk_create(to_create, batch_size=_CHUNK)
    # Plain UPDATEs by id: the same values for everyone, and one per distinct minute count
    # (bulk_update's CASE per row is slow for thousands of rows).
    registrations_qs = Registration.objects.filter(event_id=event.pk)
    for chunk in _chunks(attended):
        registrations_qs.filter(pk__in=chunk, attended_at__isnull=True).update(
            attended_at=attended_at, attendance_source=Registration.Attendance.IMPORT,
            checked_in_by=by)
    for chunk in _chunks(promoted):
        registrations_qs.filter(pk__in=chunk).update(
            status=Registration.Status.CONFIRMED, status_changed_at=now)
    for value, ids in minutes.items():
        for chunk in _chunks(ids):
            registrations_qs.filter(pk__in=chunk).update(minutes_online=value)
    seats = len(to_create) + len(promoted)
    if seats:
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + seats)
    event_type = ContentType.objects.get_for_model(Event)
    Activity.objects.bulk_create([
        Activity(person_id=item.person_id, kind=EVENT_ATTENDED,
                 object_type=event_type, object_id=event.pk, campaign_id=event.campaign_id,
                 chapter_id=event.chapter_id or item.home_chapter_id, occurred_at=attended_at)
        for item in newly_attended
    ], batch_size=1000)
    ledger_changed_send((item.person_id for item in newly_attended), rows_removed=False)

    # Who was matched, how, and who was too briefly there: names as the report wrote them,
    # no e-mail (the page links only the people the reader may see).
    listed = [{"person": item.person_id, "name": item.name, "how": item.how,
               "created": item.created, "minutes": item.minutes} for item in marks.values()]
    listed += [{"person": None, "name": p.name, "how": "too_short", "created": False,
                "minutes": p.minutes} for p in too_short]
    attendance = AttendanceImport.objects.create(
        event=event, filename=(filename or "")[:200],
        uploaded_by=by,
        rows=report.rows, participants=len(report.participants),
        hosts_skipped=hosts_skipped, too_short=len(too_short), people=listed[:MAX_LISTED],
        unmatched=len(unmatched), unmatched_names=unmatched[:MAX_UNMATCHED_NAMES],
        newly_marked=len(newly_attended), already_marked=already, **counts,
    )
    audit_log(action="solidaire.event.attendance_imported", actor=actor, obj=attendance, data={
        "event": event.slug, "participants": attendance.participants,
        "newly_marked": len(newly_attended), "already_marked": already,
        "new_people": attendance.new_people, "unmatched": attendance.unmatched,
        "hosts_skipped": hosts_skipped, "too_short": len(too_short),
    })
    return attendance

