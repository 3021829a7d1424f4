"""Events, series (weeks of action), registrations with their attendance, reminders.

One `Registration` row holds a person's whole relation to an event: registered (or
on the waiting list, or cancelled), then attended or not, and how that was learned
(check-in, a paper sheet, a video-meeting report). Walk-ins are registrations made on
the day. Capacity is counted under a lock on the event row (decision 0023).
"""

from __future__ import annotations

import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidaire.core.i18n import localized
from solidaire.core.models import TimeStampedModel

DEFAULT_TIME_ZONE = "America/Montreal"
# Minutes before the start: a day and an hour.
DEFAULT_REMINDERS = [1440, 60]
# Addresses under /<lang>/events/ that are not events.
RESERVED_SLUGS = frozenset({"series", "feed", "r", "chapter", "new", "calendar"})


class Province(models.TextChoices):
    """Provinces and territories, to group and filter events by region."""

    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


def _private_key() -> str:
    return secrets.token_urlsafe(12)


def _manage_token() -> str:
    return secrets.token_urlsafe(24)


class Series(TimeStampedModel):
    """A week or month of action: many events, often hosted by many chapters."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="event_series",
        verbose_name=_("organization"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="event_series", verbose_name=_("campaign"),
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("One title per language code."))
    summary = models.JSONField(_("summary"), default=dict, blank=True,
                               help_text=_("One or two sentences per language."))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public events pages."),
    )
    accepts_submissions = models.BooleanField(
        _("chapters may submit events"), default=True,
        help_text=_("A chapter organizer's event joins the series once a coordinator approves it."),
    )

    class Meta:
        verbose_name = _("series of events")
        verbose_name_plural = _("series of events")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_summary(self) -> str:
        return localized(self.summary)


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        INFO_SESSION = "info_session", _("Information session")
        MEETING = "meeting", _("Meeting")
        RALLY = "rally", _("Rally or action")
        ASSEMBLY = "assembly", _("Assembly")
        CONGRESS = "congress", _("Congress")
        PRESS = "press", _("Press conference")
        TRAINING = "training", _("Training")
        CELEBRATION = "celebration", _("Celebration")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: listed and open to all")
        MEMBERS = "members", _("Members only: not listed; people the organization does not "
                              "know yet wait for approval")
        PRIVATE = "private", _("Private link: not listed; only people with the link")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not public)")
        SUBMITTED = "submitted", _("Submitted, waiting for a coordinator")
        PUBLISHED = "published", _("Published")
        # An event ("événement", masculine in French); a registration's is feminine.
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="events",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.PROTECT, null=True, blank=True,
        related_name="events", verbose_name=_("hosting chapter"),
        help_text=_("Empty for an event of the whole organization."),
    )
    cosponsors = models.ManyToManyField(
        "organizing.Organization", blank=True, related_name="cosponsored_events",
        verbose_name=_("co-sponsoring organizations"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="events", verbose_name=_("campaign"),
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("series"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    title = models.JSONField(_("title"), default=dict, help_text=_("One title per language code."))
    summary = models.JSONField(_("summary"), default=dict, blank=True,
                               help_text=_("One or two sentences per language."))
    body = models.JSONField(_("description"), default=dict, blank=True,
                            help_text=_("Per language. Blank lines separate paragraphs."))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices,
                              default=Format.IN_PERSON)
    online_url = models.URLField(
        _("online meeting link"), max_length=500, blank=True,
        help_text=_("Shown only to people who registered: in their e-mails and on their "
                    "registration page."),
    )
    online_details = models.CharField(
        _("online meeting details"), max_length=300, blank=True,
        help_text=_("e.g. meeting ID and passcode, or a phone number to join by phone. "
                    "Shown only to people who registered."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province or territory"), max_length=2, blank=True,
                                choices=Province.choices)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    accessibility = models.JSONField(
        _("accessibility"), default=dict, blank=True,
        help_text=_("Per language: step-free access, washrooms, childcare, transit, "
                    "quiet room…"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=40, default=DEFAULT_TIME_ZONE,
        help_text=_("Times are shown in this time zone."),
    )
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True,
        help_text=_("Language codes, e.g. fr, en, es."),
    )
    interpretation = models.JSONField(
        _("interpretation offered"), default=list, blank=True,
        help_text=_("Language codes interpreters will cover."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit."),
    )
    waitlist = models.BooleanField(
        _("waiting list"), default=True,
        help_text=_("When full, people join a waiting list and get a seat when someone "
                    "cancels."),
    )
    # Confirmed registrations; changed only under a lock on this row (registering,
    # cancelling, promoting, changing the capacity).
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    private_key = models.CharField(_("private link key"), max_length=32, default=_private_key,
                                   editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    reminders = models.JSONField(
        _("reminders"), default=list, blank=True,
        help_text=_("Minutes before the start at which registered people get a reminder "
                    "e-mail; by default a day and an hour."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("approved by"),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_start"),
            models.Index(fields=["series", "starts_at"], name="event_series_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")),
                                   name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return localized(self.title) or self.slug

    def save(self, *args, **kwargs):
        if self.reminders == [] and self._state.adding:
            self.reminders = list(DEFAULT_REMINDERS)
        super().save(*args, **kwargs)

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_summary(self) -> str:
        return localized(self.summary)

    @property
    def display_body(self) -> str:
        return localized(self.body)

    @property
    def display_accessibility(self) -> str:
        return localized(self.accessibility)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.tz)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.tz)

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    def place_parts(self, *, street: bool = True) -> list[str]:
        """The parts of the place that exist, in the active language: the venue, the
        street address (with `street`), then the city and its province, "Montréal
        (Quebec)". An event with no venue yet reads as its city, never ", Montréal"."""
        if not self.is_in_person:
            return []
        province = str(self.get_province_display()) if self.province else ""
        town = f"{self.city} ({province})" if self.city and province else self.city or province
        return [part for part in ((self.venue, self.address) if street else ()) + (town,)
                if part]

    @property
    def place(self) -> str:
        return ", ".join(self.place_parts())

    @property
    def town(self) -> str:
        """The city and province alone, for a page that keeps the street address back."""
        return ", ".join(self.place_parts(street=False))

    @property
    def is_listed(self) -> bool:
        """Shown on the public list, series pages and feeds."""
        return self.status == self.Status.PUBLISHED and self.visibility == self.Visibility.PUBLIC

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken)


class Registration(models.Model):
    """A person's registration for an event, and whether they came."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        AWAITING = "awaiting", _("Waiting for approval")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online form")
        ORGANIZER = "organizer", _("Added by an organizer")
        WALK_IN = "walk_in", _("Walk-in")
        PAPER = "paper", _("Paper sign-in sheet")
        IMPORT = "import", _("Video-meeting report")

    class Attendance(models.TextChoices):
        CHECK_IN = "check_in", _("Checked in")
        PAPER = "paper", _("Paper sign-in sheet")
        IMPORT = "import", _("Video-meeting report")

    id = models.BigAutoField(primary_key=True)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("event"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="registrations", verbose_name=_("person"))
    # The form's idempotency key: a double click or a replayed POST registers once.
    token = models.CharField(_("form key"), max_length=64, unique=True, null=True, blank=True)
    # The secret in the person's own links (their registration page, cancelling).
    manage_token = models.CharField(_("link key"), max_length=40, unique=True,
                                    default=_manage_token, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.CONFIRMED)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.ONLINE)
    language = models.CharField(_("language"), max_length=8)
    sheet_number = models.CharField(_("sheet number"), max_length=20, blank=True)
    first_time = models.BooleanField(
        _("first time"), default=False,
        help_text=_("The organization had no record of this person doing anything before."),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    attended_at = models.DateTimeField(_("attended at"), null=True, blank=True)
    attendance_source = models.CharField(_("attendance recorded by"), max_length=10,
                                         choices=Attendance.choices, blank=True)
    minutes_online = models.PositiveIntegerField(
        _("minutes online"), null=True, blank=True,
        help_text=_("From a video-meeting report: time connected, all sessions together."),
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("checked in by"),
    )
    # The address typed with the registration, as recorded on the person: e-mail about
    # it goes there once it is the person's (decision 0036).
    email_address = models.ForeignKey(
        "people.EmailAddress", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("e-mail address"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_once"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue"),
            models.Index(fields=["person"], name="registration_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.event_id} ({self.status})"

    @property
    def attended(self) -> bool:
        return self.attended_at is not None


class ReminderSent(models.Model):
    """One reminder e-mail queued for one registration: the unique row makes it once."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="reminders_sent",
                                     verbose_name=_("registration"))
    minutes_before = models.PositiveIntegerField(_("minutes before"))
    sent_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["registration", "minutes_before"],
                                    name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} −{self.minutes_before} min"


class AttendanceImport(models.Model):
    """A video-meeting participant report matched to an event's registrations."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance_imports",
                              verbose_name=_("event"))
    filename = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    matched_registrations = models.PositiveIntegerField(_("matched to a registration"),
                                                        default=0)
    matched_people = models.PositiveIntegerField(
        _("matched to a known person, not registered"), default=0)
    new_people = models.PositiveIntegerField(_("new people"), default=0)
    unmatched = models.PositiveIntegerField(_("not matched"), default=0)
    newly_marked = models.PositiveIntegerField(_("newly marked as attended"), default=0)
    already_marked = models.PositiveIntegerField(
        _("already marked as attended"), default=0,
        help_text=_("Checked in, on a paper sheet or in an earlier report."))
    # Names only (no e-mail) of participants who could not be matched, for a human to check.
    unmatched_names = models.JSONField(_("names not matched"), default=list, blank=True)
    hosts_skipped = models.PositiveIntegerField(
        _("hosts and organizers skipped"), default=0,
        help_text=_("The meeting's host and co-hosts and the organization's organizers."))
    too_short = models.PositiveIntegerField(_("too briefly present"), default=0)
    # Who was matched: person id, the name in the report, "email", "name" or "too_short",
    # created or not, minutes (decision 0064). No e-mail.
    people = models.JSONField(_("people matched"), default=list, blank=True)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class FollowUp(models.Model):
    """An e-mail after the event to the people who came, or to those who did not."""

    class Audience(models.TextChoices):
        ATTENDED = "attended", _("People who came")
        NO_SHOWS = "no_shows", _("People who registered and did not come")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_ups",
                              verbose_name=_("event"))
    audience = models.CharField(_("to"), max_length=10, choices=Audience.choices)
    subject = models.JSONField(_("subject"), default=dict)
    body = models.JSONField(_("message"), default=dict)
    token = models.CharField(_("form key"), max_length=64, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("follow-up e-mail")
        verbose_name_plural = _("follow-up e-mails")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.get_audience_display()}"
