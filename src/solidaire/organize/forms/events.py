"""Forms of the organizer pages about events and series: adding, editing, the registrations'
filters, deciding a registration, and the follow-up e-mail."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Campaign
from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.i18n import content_language_name, localized
from solidaire.events.models import DEFAULT_TIME_ZONE, Event, FollowUp, Registration, Series
from solidaire.events.models import RESERVED_SLUGS as EVENT_RESERVED_SLUGS
from solidaire.events.selectors import series_for_new_events
from solidaire.organizing.models import Organization
from solidaire.organizing.selectors import organizations_run_by

from .base import (
    DATE_HELP,
    SLUG_HELP_FROM_TITLE,
    CampaignChoiceField,
    EditFormBase,
    OrganizationsField,
    auto_slug,
    cosponsor_choices,
    date_input,
    interface_languages,
)

EVENT_LABELS = {
    "title": {"fr": _("Title in French"), "en": _("Title in English")},
    "summary": {"fr": _("Summary in French"), "en": _("Summary in English")},
    "body": {"fr": _("Description in French"), "en": _("Description in English")},
    "accessibility": {"fr": _("Accessibility in French"), "en": _("Accessibility in English")},
}

TIME_ZONES = [
    ("America/St_Johns", _("Newfoundland")),
    ("America/Halifax", _("Atlantic")),
    ("America/Moncton", _("Atlantic (New Brunswick)")),
    ("America/Montreal", _("Eastern (Montréal)")),
    ("America/Toronto", _("Eastern (Toronto)")),
    ("America/Winnipeg", _("Central")),
    ("America/Regina", _("Saskatchewan")),
    ("America/Edmonton", _("Mountain")),
    ("America/Vancouver", _("Pacific")),
    ("America/Whitehorse", _("Yukon")),
]

# Minutes before the start.
REMINDER_CHOICES = [
    ("10080", _("A week before")),
    ("1440", _("A day before")),
    ("60", _("An hour before")),
]


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Series) -> str:
        return obj.display_title


class MultilingualMixin:
    labels: dict = EVENT_LABELS

    def _add_multilingual(self, name: str, make_field, current: dict | None) -> None:
        for code in interface_languages():
            field = make_field(self.labels[name].get(code) or format_lazy(
                "{} ({})", self.labels[name]["en"], content_language_name(code)))
            field.widget.attrs["lang"] = code
            self.fields[f"{name}_{code}"] = field
            if current:
                self.initial.setdefault(f"{name}_{code}", current.get(code, ""))


class EventSlugMixin:
    def clean_slug(self) -> str:
        slug = super().clean_slug()
        if slug in EVENT_RESERVED_SLUGS:
            raise ValidationError(gettext("“%(slug)s” cannot be used as an address. Choose "
                                          "another one."), code="slug_reserved",
                                  params={"slug": slug})
        return slug

    def slug_or_auto(self, text: str) -> str:
        slug = super().slug_or_auto(text)
        if slug in EVENT_RESERVED_SLUGS:
            slug = auto_slug(self.slug_model, f"{slug}-1")
        return slug


class EventForm(EventSlugMixin, MultilingualMixin, EditFormBase):
    slug_model = Event
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can hold an event of the whole "
                                 "organization.")

    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices,
                             initial=Event.Kind.MEETING)
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices,
                               initial=Event.Format.IN_PERSON, widget=forms.RadioSelect)
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("Shown only to people who registered."),
    )
    online_details = forms.CharField(
        label=_("Online meeting details"), required=False, max_length=300,
        help_text=_("e.g. meeting ID and passcode, or a phone number to join by phone. "
                    "Shown only to people who registered."),
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    address = forms.CharField(label=_("Street address"), required=False, max_length=250)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Province or territory"), required=False)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=10)
    start_date = forms.DateField(label=_("Date"), widget=date_input(), help_text=DATE_HELP)
    start_time = forms.TimeField(label=_("Starts at"), widget=_time_input(),
                                 help_text=_("For example 19:00."))
    end_date = forms.DateField(label=_("End date"), required=False, widget=date_input(),
                               help_text=_("Empty: the same day."))
    end_time = forms.TimeField(label=_("Ends at"), widget=_time_input(),
                               help_text=_("For example 21:00."))
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONES,
                                  initial=DEFAULT_TIME_ZONE,
                                  help_text=_("The times above are in this time zone."))
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, choices=settings.CONTENT_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation offered"), required=False, choices=settings.CONTENT_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, max_value=1_000_000,
        help_text=_("Empty: no limit. Raising it gives the new seats to the waiting list."),
    )
    waitlist = forms.BooleanField(
        label=_("Waiting list"), required=False, initial=True,
        help_text=_("When full, people join a waiting list and get a seat when someone "
                    "cancels."),
    )
    cosponsors = OrganizationsField(
        Organization.objects.none(), label=_("Co-sponsoring organizations"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    campaign = CampaignChoiceField(
        Campaign.objects.none(), label=_("Campaign"), required=False, to_field_name="slug",
        empty_label=_("No campaign"),
    )
    series = SeriesChoiceField(
        Series.objects.none(), label=_("Series"), required=False, to_field_name="slug",
        empty_label=_("No series"),
        help_text=_("A week or month of action. A chapter's event joins another "
                    "organization-wide series once a coordinator approves it."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Event.Visibility.choices,
                                   initial=Event.Visibility.PUBLIC, widget=forms.RadioSelect)
    status = forms.ChoiceField(
        label=_("Status"), initial=Event.Status.DRAFT,
        choices=[(Event.Status.DRAFT, Event.Status.DRAFT.label),
                 (Event.Status.PUBLISHED, Event.Status.PUBLISHED.label),
                 (Event.Status.CANCELLED, Event.Status.CANCELLED.label)],
        help_text=_("In a series, an event of a chapter organizer waits for a coordinator's "
                    "approval before it is published."),
    )
    registration_open = forms.BooleanField(label=_("Registration open"), required=False,
                                           initial=True)
    reminders = forms.MultipleChoiceField(
        label=_("Reminder e-mails"), required=False, choices=REMINDER_CHOICES,
        widget=forms.CheckboxSelectMultiple, initial=["1440", "60"],
        help_text=_("Sent to registered people in their language."),
    )

    def __init__(self, *args, user, instance: Event | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.user = user
        self.fields["province"].choices = [("", "—"), *Event._meta.get_field("province")
                                           .choices]
        self._add_multilingual("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False,
        ), instance.title if instance else None)
        self._add_multilingual("summary", lambda label: forms.CharField(
            label=label, max_length=1000, required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        ), instance.summary if instance else None)
        self._add_multilingual("body", lambda label: forms.CharField(
            label=label, max_length=20_000, required=False,
            widget=forms.Textarea(attrs={"rows": 8}),
            help_text=_("Leave a blank line between paragraphs."),
        ), instance.body if instance else None)
        self._add_multilingual("accessibility", lambda label: forms.CharField(
            label=label, max_length=2000, required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Step-free access, washrooms, childcare, transit, quiet room…"),
        ), instance.accessibility if instance else None)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_TITLE)
        self._add_owner_fields(user)
        campaigns = campaigns_visible_to(user)
        series = self.series_choices(user)
        if instance is not None and instance.campaign_id:
            campaigns = campaigns | Campaign.objects.filter(pk=instance.campaign_id)
        if instance is not None and instance.series_id:
            series = series | Series.objects.filter(pk=instance.series_id)
        self.fields["campaign"].queryset = campaigns.order_by("slug")
        self.fields["series"].queryset = series.order_by("-starts_on", "slug")
        self.fields["cosponsors"].queryset = self.cosponsor_choices(user, instance)
        if instance is not None:
            for name in ("kind", "format", "online_url", "online_details", "venue", "address",
                         "city", "province", "postal_code", "time_zone", "languages",
                         "interpretation", "capacity", "waitlist", "visibility",
                         "registration_open", "slug"):
                self.initial.setdefault(name, getattr(instance, name))
            status = instance.status
            self.initial.setdefault("status", Event.Status.PUBLISHED
                                    if status == Event.Status.SUBMITTED else status)
            self.initial.setdefault("reminders", [str(m) for m in instance.reminders])
            start, end = instance.local_start, instance.local_end
            self.initial.setdefault("start_date", start.date())
            self.initial.setdefault("start_time", start.time().replace(tzinfo=None))
            self.initial.setdefault("end_date", end.date())
            self.initial.setdefault("end_time", end.time().replace(tzinfo=None))
            self.initial.setdefault("campaign",
                                    instance.campaign.slug if instance.campaign_id else "")
            self.initial.setdefault("series", instance.series.slug if instance.series_id else "")
            self.initial.setdefault("cosponsors",
                                    list(instance.cosponsors.values_list("pk", flat=True)))

    @staticmethod
    def cosponsor_choices(user, instance: Event | None):
        return cosponsor_choices(user, instance)

    @staticmethod
    def series_choices(user):
        return series_for_new_events(user)

    def layout(self) -> list[dict]:
        return [
            self.language_columns("title", "summary", "body"),
            self.fields_block("kind", "slug", "organization", "chapter", "cosponsors",
                              "campaign", "series"),
            self.fields_block("start_date", "start_time", "end_date", "end_time", "time_zone",
                              heading=gettext("When")),
            self.fields_block("format", "venue", "address", "city", "province", "postal_code",
                              "online_url", "online_details", heading=gettext("Where")),
            self.language_columns("accessibility"),
            self.fields_block("languages", "interpretation", heading=gettext("Languages")),
            self.fields_block("visibility", "status", "registration_open", "capacity",
                              "waitlist", "reminders", heading=gettext("Registration")),
        ]

    def _moment(self, day: datetime.date, time: datetime.time, zone: str) -> datetime.datetime:
        try:
            tz = zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)
        return datetime.datetime.combine(day, time).replace(tzinfo=tz)

    def clean(self):
        cleaned = super().clean()
        self._require_title(gettext("Give the event a title, in at least one language."))
        self._clean_owner()
        self._clean_campaign()
        day, start, end = (cleaned.get("start_date"), cleaned.get("start_time"),
                           cleaned.get("end_time"))
        zone = cleaned.get("time_zone") or DEFAULT_TIME_ZONE
        if day and start and end and "end_date" not in self.errors:
            cleaned["starts_at"] = self._moment(day, start, zone)
            cleaned["ends_at"] = self._moment(cleaned.get("end_date") or day, end, zone)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end_time", ValidationError(
                    gettext("The event must end after it starts: check the end date and "
                            "time."), code="ends_before_start"))
        fmt = cleaned.get("format")
        if fmt in (Event.Format.IN_PERSON, Event.Format.HYBRID) \
                and not (cleaned.get("venue") or cleaned.get("address")
                         or cleaned.get("city")):
            self.add_error("address", ValidationError(
                gettext("Say where the event takes place: a venue, an address or a city."),
                code="where_missing"))
        series = cleaned.get("series")
        if series is not None and (self.instance is None or self.instance.series_id
                                   != series.pk) \
                and not self.series_choices(self.user).filter(pk=series.pk).exists():
            self.add_error("series", ValidationError(
                gettext("This series takes no events from chapters. Ask a coordinator."),
                code="series_closed"))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        title = self.multilingual("title", current.title if current else None)
        return {
            "slug": self.slug_or_auto(localized(title, settings.LANGUAGE_CODE)),
            "title": title,
            "summary": self.multilingual("summary", current.summary if current else None),
            "body": self.multilingual("body", current.body if current else None),
            "accessibility": self.multilingual("accessibility",
                                               current.accessibility if current else None),
            "organization": data["organization"],
            "chapter": data["chapter"],
            "cosponsors": list(data["cosponsors"]),
            "campaign": data["campaign"],
            "series": data["series"],
            "kind": data["kind"],
            "format": data["format"],
            "online_url": data["online_url"],
            "online_details": data["online_details"],
            "venue": data["venue"],
            "address": data["address"],
            "city": data["city"],
            "province": data["province"],
            "postal_code": data["postal_code"].upper().strip(),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "time_zone": data["time_zone"],
            "languages": list(data["languages"]),
            "interpretation": list(data["interpretation"]),
            "capacity": data["capacity"],
            "waitlist": data["waitlist"],
            "visibility": data["visibility"],
            "status": data["status"],
            "registration_open": data["registration_open"],
            "reminders": sorted((int(m) for m in data["reminders"]), reverse=True),
        }


class SeriesForm(EventSlugMixin, MultilingualMixin, EditFormBase):
    slug_model = Series

    organization = forms.ModelChoiceField(
        Organization.objects.none(), label=_("Organization"), to_field_name="slug",
        empty_label=_("Choose an organization"),
    )
    campaign = CampaignChoiceField(
        Campaign.objects.none(), label=_("Campaign"), required=False, to_field_name="slug",
        empty_label=_("No campaign"),
    )
    starts_on = forms.DateField(label=_("First day"), widget=date_input(), help_text=DATE_HELP)
    ends_on = forms.DateField(label=_("Last day"), widget=date_input(), help_text=DATE_HELP)
    is_public = forms.BooleanField(label=_("Public"), required=False,
                                   help_text=_("Shown on the public events pages."))
    accepts_submissions = forms.BooleanField(
        label=_("Chapters may submit events"), required=False, initial=True,
        help_text=_("A chapter organizer's event joins the series once a coordinator "
                    "approves it."),
    )

    def __init__(self, *args, user, instance: Series | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self._add_multilingual("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False,
        ), instance.title if instance else None)
        self._add_multilingual("summary", lambda label: forms.CharField(
            label=label, max_length=1000, required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ), instance.summary if instance else None)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_TITLE)
        organizations = organizations_run_by(user).order_by("name")
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].empty_label = None
            self.initial.setdefault("organization", organizations[0].slug)
        campaigns = campaigns_visible_to(user)
        if instance is not None and instance.campaign_id:
            campaigns = campaigns | Campaign.objects.filter(pk=instance.campaign_id)
        self.fields["campaign"].queryset = campaigns.order_by("slug")
        if instance is not None:
            for name in ("slug", "starts_on", "ends_on", "is_public", "accepts_submissions"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("organization", instance.organization.slug)
            self.initial.setdefault("campaign",
                                    instance.campaign.slug if instance.campaign_id else "")

    def layout(self) -> list[dict]:
        return [
            self.language_columns("title", "summary"),
            self.fields_block("slug", "organization", "campaign", "starts_on", "ends_on",
                              "is_public", "accepts_submissions"),
        ]

    def clean(self):
        cleaned = super().clean()
        self._require_title(gettext("Give the series a title, in at least one language."))
        self._clean_campaign()
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", ValidationError(
                gettext("The last day must be on or after the first day."),
                code="ends_before_start"))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        title = self.multilingual("title", current.title if current else None)
        return {
            "slug": self.slug_or_auto(localized(title, settings.LANGUAGE_CODE)),
            "title": title,
            "summary": self.multilingual("summary", current.summary if current else None),
            "organization": data["organization"],
            "campaign": data["campaign"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "is_public": data["is_public"],
            "accepts_submissions": data["accepts_submissions"],
        }


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    attended = forms.ChoiceField(label=_("Attendance"), required=False, choices=[
        ("", _("Anyone")), ("yes", _("Came")), ("no", _("Did not come")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Registration.Status.choices]
        self.fields["source"].choices = [("", _("Any source")), *Registration.Source.choices]

    def filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("status", "source", "attended")}


class RegistrationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("decline", "decline"),
                                          ("cancel", "cancel")])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])


class FollowUpForm(forms.Form):
    """Subject and message per language: the interface languages and the event's own."""

    audience = forms.ChoiceField(label=_("Send to"), choices=FollowUp.Audience.choices,
                                 widget=forms.RadioSelect, initial=FollowUp.Audience.ATTENDED)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(dict.fromkeys(
            [*interface_languages(),
             *(code for code in event.languages if code in dict(settings.CONTENT_LANGUAGES))]))
        for code in self.languages:
            name = content_language_name(code)
            self.fields[f"subject_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("Subject"), name), max_length=200,
                required=False, widget=forms.TextInput(attrs={"lang": code}))
            self.fields[f"body_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("Message"), name), max_length=20_000,
                required=False, widget=forms.Textarea(attrs={"rows": 8, "lang": code}))

    def columns(self) -> list[list]:
        return [[self[f"subject_{code}"], self[f"body_{code}"]] for code in self.languages]

    def texts(self, name: str) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {code: data[f"{name}_{code}"].strip() for code in self.languages
                if (data.get(f"{name}_{code}") or "").strip()}

    def clean(self):
        cleaned = super().clean()
        written = [code for code in self.languages
                   if (cleaned.get(f"subject_{code}") or "").strip()
                   or (cleaned.get(f"body_{code}") or "").strip()]
        if not written:
            raise ValidationError(gettext("Write the subject and the message in at least one "
                                          "language."), code="empty")
        for code in written:
            for part in ("subject", "body"):
                if not (cleaned.get(f"{part}_{code}") or "").strip():
                    self.add_error(f"{part}_{code}", ValidationError(
                        gettext("Write both the subject and the message in this language, "
                                "or neither."), code="half_written"))
        return cleaned
