"""People: members and supporters, their contact points, languages, tags and consent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidaire.core.crypto import sealed_columns_register
from solidaire.core.models import TimeStampedModel


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by an organizer")
    WEB = "web", _("Web form")
    PAPER = "paper", _("Paper sheet")
    IMPORT = "import", _("Spreadsheet import")
    EVENT = "event", _("Event")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """A member or supporter. Only a chosen name is required: no legal name, ever."""

    chosen_name = models.CharField(
        _("name"), max_length=150,
        help_text=_("The name the person wants to be called. It need not be a legal name."),
    )
    given_name = models.CharField(
        _("given name"), max_length=100, blank=True,
        help_text=_("Optional, only when the person gives it."),
    )
    family_name = models.CharField(
        _("family name"), max_length=100, blank=True,
        help_text=_("Optional, only when the person gives it."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.CONTENT_LANGUAGES,
        default="fr", help_text=_("The language messages to this person are written in."),
    )
    postal_code = models.CharField(
        _("postal code"), max_length=10, blank=True,
        help_text=_("Canadian postal code, e.g. H2X 1Y4."),
    )
    home_chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="people", verbose_name=_("home chapter"),
        help_text=_("The chapter that organizes with this person."),
    )
    sector = models.CharField(
        _("sector"), max_length=100, blank=True,
        help_text=_("e.g. warehousing, agriculture, caregiving, construction."),
    )
    workplace = models.CharField(_("workplace"), max_length=150, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="people", verbose_name=_("tags"))
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL,
        help_text=_("How the person first came into the contact list."),
    )
    source_detail = models.CharField(
        _("source detail"), max_length=200, blank=True,
        help_text=_("e.g. the petition, event or file the person came from."),
    )

    # Current consent, kept in step with ConsentEvent by `consent_record` so that
    # audiences can filter on it without reading the history.
    consent_email = models.BooleanField(_("may e-mail"), default=False)
    consent_sms = models.BooleanField(_("may text"), default=False)
    consent_phone = models.BooleanField(_("may call"), default=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["chosen_name", "id"]
        indexes = [
            models.Index(fields=["home_chapter", "chosen_name"], name="person_chapter_name"),
            models.Index(fields=["chosen_name", "id"], name="person_name"),
            models.Index(fields=["preferred_language"], name="person_language"),
            models.Index(fields=["created_at"], name="person_created"),
        ]

    def __str__(self) -> str:
        return self.chosen_name


class EmailAddress(models.Model):
    """A normalized e-mail (trimmed, lower-cased). An address belongs to one person."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="emails", verbose_name=_("person"),
    )
    address = models.EmailField(_("e-mail"), max_length=254, unique=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="one_primary_email",
            ),
        ]

    def __str__(self) -> str:
        return self.address


class PhoneNumber(models.Model):
    """A phone in E.164. Families sometimes share a phone, so a number may repeat."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        HOME = "home", pgettext_lazy("phone kind", "Home")
        WORK = "work", _("Work")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="phones", verbose_name=_("person"),
    )
    number = models.CharField(_("phone"), max_length=20, db_index=True, help_text=_("E.164."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MOBILE)
    is_primary = models.BooleanField(_("primary"), default=False)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="one_primary_phone",
            ),
            models.UniqueConstraint(fields=["person", "number"], name="phone_once_per_person"),
        ]

    def __str__(self) -> str:
        return self.number


class SpokenLanguage(models.Model):
    """Languages a person speaks besides the preferred one."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="other_languages",
        verbose_name=_("person"),
    )
    code = models.CharField(_("language"), max_length=8, choices=settings.CONTENT_LANGUAGES)

    class Meta:
        verbose_name = _("spoken language")
        verbose_name_plural = _("spoken languages")
        constraints = [
            models.UniqueConstraint(fields=["person", "code"], name="language_once_per_person"),
        ]
        indexes = [models.Index(fields=["code", "person"], name="spoken_language_code")]

    def __str__(self) -> str:
        return self.get_code_display()


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone calls")


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", _("Ticked a box on a web form")
    PAPER = "paper", _("Signed on paper")
    VERBAL = "verbal", _("Said so to an organizer")
    IMPORT = "import", _("Column in an imported file")
    EMAIL_LINK = "email_link", _("Link in an e-mail")
    MERGE = "merge", _("Kept from a merged record")


class ConsentEvent(models.Model):
    """Append-only history of consent: when, how and from what it was given or withdrawn."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consent_events",
        verbose_name=_("person"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("granted"), help_text=_("False records a withdrawal."))
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    source = models.CharField(
        _("from what"), max_length=200, blank=True,
        help_text=_("The form, sheet, file or conversation it came from."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "channel", "at"], name="consent_person_channel")]

    def __str__(self) -> str:
        return f"{self.channel}: {'+' if self.granted else '-'}"


class StatusCategory(models.TextChoices):
    """Immigration status categories (DOMAIN.md). Stored only encrypted."""

    CLOSED_WORK_PERMIT = "closed_work_permit", _("Closed (employer-specific) work permit")
    OPEN_WORK_PERMIT = "open_work_permit", _("Open work permit")
    PGWP = "post_graduation_work_permit", _("Post-graduation work permit (PGWP)")
    STUDY_PERMIT = "study_permit", _("Study permit")
    SAWP = "seasonal_agricultural_worker", _("Seasonal Agricultural Worker Program (SAWP)")
    TFWP = "temporary_foreign_worker_lmia", _("Temporary Foreign Worker Program, low-wage (LMIA)")
    CAREGIVER = "caregiver_program", _("Caregiver program")
    ASYLUM_CLAIMANT = "asylum_claimant", _("Asylum claimant")
    REFUGEE = "refugee_protected_person", _("Refugee or protected person")
    NO_STATUS = "no_status", _("No status (undocumented)")
    PERMANENT_RESIDENT = "permanent_resident", _("Permanent resident")
    CITIZEN = "citizen", _("Citizen")
    OTHER = "other_status", _("Other")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("Prefers not to say")


class StatusFlag(models.TextChoices):
    """Programmes a person takes part in or applied to. Stored only encrypted."""

    PEQ_APPLICANT = "peq_applicant", _("PEQ applicant (Programme de l'expérience québécoise)")
    CAREGIVER_PILOT = "caregiver_pilot", _("Home care worker pilot")
    PR_APPLIED = "pr_applied", _("Applied for permanent residence")
    RENEWAL_PENDING = "renewal_pending", _("Permit renewal pending (maintained status)")
    REGULARIZATION = "regularization_applicant", _("Regularization programme applicant")


class PersonStatus(models.Model):
    """A person's immigration status: every value encrypted in its own column.

    The row's key is the person's, so each value is bound to its person from its
    first save (the associated data holds the row's primary key). Read and written
    only through `status_read` / `status_set`; see decision 0011.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="status",
        verbose_name=_("person"),
    )
    sealed_category = models.TextField(
        _("category (encrypted)"),
        help_text=_("The status category, encrypted; empty text means none."),
    )
    sealed_expiry_month = models.TextField(
        _("permit expiry month (encrypted)"),
        help_text=_("Year and month the permit ends (YYYY-MM), encrypted."),
    )
    sealed_flags = models.TextField(
        _("programmes (encrypted)"), help_text=_("A JSON list of programme flags, encrypted."),
    )
    sealed_note = models.TextField(
        _("private note (encrypted)"), help_text=_("A private note, encrypted."),
    )
    updated_at = models.DateTimeField(
        _("updated"), default=timezone.now, help_text=_("When the status was last changed."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("updated by"),
        help_text=_("The account that last changed the status."),
    )

    class Meta:
        verbose_name = _("immigration status")
        verbose_name_plural = _("immigration statuses")

    def __str__(self) -> str:
        # Never the values: this may end up in a log or an admin page.
        return f"status of person {self.person_id}"


# Padding blocks: every category, month and flag list has the same sealed length.
STATUS_COLUMNS = sealed_columns_register(
    model=PersonStatus, purpose="status",
    fields={"sealed_category": 32, "sealed_expiry_month": 16, "sealed_flags": 128,
            "sealed_note": 256},
)
