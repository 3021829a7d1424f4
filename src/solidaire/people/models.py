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
    # Each organization's list is its own (decision 0035): a person belongs to the
    # organization whose form, page, file or organizer recorded them, and matching never
    # crosses into another organization's list. No index of its own: "person_org_name"
    # (organization, name) starts with it.
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="people",
        db_index=False, verbose_name=_("organization"),
        help_text=_("The organization whose list this person is on."),
    )
    # No index of its own: "person_chapter_name" (chapter, name) starts with it.
    home_chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="people", db_index=False, verbose_name=_("home chapter"),
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
    # The spreadsheet import that added this person (undo removes them). No index
    # and no database constraint: only an undo reads it, and a million-row import
    # should not check it a million times (decision 0015).
    added_by_import = models.ForeignKey(
        "people.PersonImport", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="people_added", db_index=False, db_constraint=False,
        verbose_name=_("added by import"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["chosen_name", "id"]
        indexes = [
            models.Index(fields=["home_chapter", "chosen_name"], name="person_chapter_name"),
            models.Index(fields=["organization", "chosen_name", "id"], name="person_org_name"),
            models.Index(fields=["chosen_name", "id"], name="person_name"),
            models.Index(fields=["preferred_language"], name="person_language"),
            models.Index(fields=["created_at"], name="person_created"),
            # Scope checks of many people at once (audiences, the dashboard) read each
            # person's chapter from this index rather than from the whole table (0029).
            models.Index(fields=["id", "organization", "home_chapter"],
                         name="person_scope_org"),
            # Few people consent to texts or calls: audiences and call lists filtering
            # on those find them here instead of reading a whole chapter (0029).
            models.Index(fields=["home_chapter"], condition=models.Q(consent_sms=True),
                         name="person_sms_consent"),
            models.Index(fields=["home_chapter"], condition=models.Q(consent_phone=True),
                         name="person_phone_consent"),
        ]

    def __str__(self) -> str:
        return self.chosen_name


class EmailAddress(models.Model):
    """A normalized e-mail (trimmed, lower-cased). In an organization's list an address
    belongs to one person; another organization may have the same address (0035).

    An address given on a public form (or in a file whose sender cannot see the person)
    for someone already recorded is *pending*: it is kept, but nothing is sent to it and
    it is never primary until the person confirms it from a link sent there, or an
    organizer who can see the person chooses it (decision 0036).
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="emails", verbose_name=_("person"),
    )
    # The person's organization, copied here so that an address is unique per list.
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="+",
        db_index=False, verbose_name=_("organization"),
    )
    address = models.EmailField(_("e-mail"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)
    pending = models.BooleanField(
        _("waiting for confirmation"), default=False, db_default=False,
        help_text=_("Given on a form for someone already recorded: nothing is sent to it "
                    "until the person confirms it or an organizer chooses it."),
    )
    confirmed_at = models.DateTimeField(
        _("confirmed"), null=True, blank=True,
        help_text=_("When the person confirmed the address from the link sent to it."),
    )
    confirmation_sent_at = models.DateTimeField(
        _("confirmation asked"), null=True, blank=True,
        help_text=_("When the last link to confirm the address was sent."),
    )
    source = models.CharField(
        _("given on"), max_length=200, blank=True, db_default="",
        help_text=_("The form, sheet or file the address came from."),
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="one_primary_email",
            ),
            models.UniqueConstraint(fields=["organization", "address"],
                                    name="email_once_per_organization"),
            models.CheckConstraint(condition=~(Q(pending=True) & Q(is_primary=True)),
                                   name="pending_email_never_primary"),
        ]
        indexes = [
            # The people search matches an address by its beginning, in every list.
            models.Index(fields=["address"], name="email_address_prefix",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs):
        # The copy of the person's organization is filled in when a caller left it out.
        if self.organization_id is None and self.person_id is not None:
            self.organization_id = (Person.objects.filter(pk=self.person_id)
                                    .values_list("organization_id", flat=True).first())
        super().save(*args, **kwargs)


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
    pending = models.BooleanField(
        _("waiting for confirmation"), default=False, db_default=False,
        help_text=_("Given on a form for someone already recorded: not called or texted "
                    "until an organizer chooses it."),
    )
    source = models.CharField(
        _("given on"), max_length=200, blank=True, db_default="",
        help_text=_("The form, sheet or file the number came from."),
    )
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
            models.CheckConstraint(condition=~(Q(pending=True) & Q(is_primary=True)),
                                   name="pending_phone_never_primary"),
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


class Suggestion(models.Model):
    """A value someone typed on a form for a person already recorded, kept beside the
    record instead of written over it (decision 0036): an organizer who can see the
    person uses it or dismisses it."""

    class Field(models.TextChoices):
        CHOSEN_NAME = "chosen_name", _("Name")
        GIVEN_NAME = "given_name", _("Given name")
        FAMILY_NAME = "family_name", _("Family name")
        PREFERRED_LANGUAGE = "preferred_language", _("Preferred language")
        POSTAL_CODE = "postal_code", _("Postal code")
        SECTOR = "sector", _("Sector")
        WORKPLACE = "workplace", _("Workplace")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="suggestions",
        verbose_name=_("person"),
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    value = models.CharField(_("value typed"), max_length=150)
    source = models.CharField(
        _("given on"), max_length=200, blank=True,
        help_text=_("The form, sheet or file the value came from."),
    )
    submitted_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("suggested change")
        verbose_name_plural = _("suggested changes")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "field", "value"],
                                    name="suggestion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.field}"


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


# --- Spreadsheet imports -------------------------------------------------------------


class PersonImport(models.Model):
    """One uploaded spreadsheet and what importing it did (decision 0015).

    The file stays on disk (under `var/imports/`) until the undo window closes; the
    row cursor `rows_done` lets a killed import resume where its last chunk ended.
    """

    class State(models.TextChoices):
        MAPPING = "mapping", _("Waiting for column choices")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        UNDOING = "undoing", _("Being undone")
        UNDONE = "undone", _("Undone")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("uploaded by"),
    )
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("organization"),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(_("stored file"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("fingerprint"), max_length=64, blank=True, db_index=True)
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    headers = models.JSONField(_("column headers"), default=list)
    # The first rows, as read at upload: the column-choice page never opens the file.
    preview = models.JSONField(_("first rows"), default=list, blank=True)
    # {"0": "email", "3": "given_name", ...}: column index -> field key (see importing.columns)
    mapping = models.JSONField(_("column choices"), default=dict)
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("chapter for everyone in the file"),
    )
    tag_names = models.JSONField(_("tags for everyone in the file"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.MAPPING)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    # Spreadsheet row number of the last row whose chunk committed: a rerun starts after it.
    last_row = models.PositiveIntegerField(_("last row done"), default=0)
    created_count = models.PositiveIntegerField(_("people added"), default=0)
    updated_count = models.PositiveIntegerField(_("people updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("already up to date"), default=0)
    # A person listed on several rows counts once above (or below, if outside the
    # importer's scope); each further row of theirs counts here, so that the counts
    # add up to the rows read (see rows_accounted).
    repeated_count = models.PositiveIntegerField(
        _("rows repeating someone already in the file"), default=0,
        help_text=_("Rows for a person an earlier row of the file already added or matched."),
    )
    skipped_count = models.PositiveIntegerField(
        _("matched outside your scope"), default=0,
        help_text=_("People in the file who matched a person another chapter organizes; "
                    "left unchanged."),
    )
    problem_count = models.PositiveIntegerField(_("rows with problems"), default=0)
    rejected_count = models.PositiveIntegerField(
        _("rows not imported"), default=0,
        help_text=_("Rows left out whole: no name, or no usable e-mail or phone."),
    )
    failure = models.CharField(_("failure"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def rows_accounted(self) -> int:
        """The rows the counts account for: each row read lands in exactly one of them,
        so this equals `rows_done` (imports made before `repeated_count` existed left
        rows repeating a person uncounted)."""
        return (self.created_count + self.updated_count + self.unchanged_count
                + self.repeated_count + self.skipped_count + self.rejected_count)


class ImportProblem(models.Model):
    """A row (or cell) the import could not take, with why; the error report lists these."""

    person_import = models.ForeignKey(
        PersonImport, on_delete=models.CASCADE, related_name="problems",
        verbose_name=_("import"),
    )
    row = models.PositiveIntegerField(
        _("row"), help_text=_("Row number as the spreadsheet shows it."),
    )
    column = models.CharField(_("column"), max_length=200, blank=True)
    code = models.CharField(_("reason"), max_length=40)
    value = models.CharField(_("value"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["person_import", "row"], name="import_problem_row")]

    def __str__(self) -> str:
        return f"{self.row}: {self.code}"


class ImportChange(models.Model):
    """What an import did to a person who already existed, so that it can be undone."""

    class Kind(models.TextChoices):
        FIELD = "field", _("Changed a field")
        EMAIL = "email", _("Added an e-mail")
        PHONE = "phone", _("Added a phone")
        TAG = "tag", _("Added a tag")
        LANGUAGE = "language", _("Added a language")
        CONSENT = "consent", _("Changed consent")
        # The import writes one record a person: new_value lists [kind, what, before, after].
        SEVERAL = "several", _("Several changes")

    person_import = models.ForeignKey(
        PersonImport, on_delete=models.CASCADE, related_name="changes",
        verbose_name=_("import"),
    )
    person_id = models.BigIntegerField(_("person"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("what"), max_length=254, help_text=_("Field, address, tag…"))
    old_value = models.JSONField(_("before"), null=True, blank=True)
    new_value = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")
        indexes = [models.Index(fields=["person_import", "person_id"], name="import_change_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.name}"


# --- Duplicate finder ----------------------------------------------------------------


class DuplicatePair(models.Model):
    """Two people who may be one; `person_low_id` < `person_high_id` (decision 0017).

    A pair marked "not the same person" keeps that decision: later scans never
    reopen it.
    """

    class Decision(models.TextChoices):
        OPEN = "open", _("To review")
        DISTINCT = "distinct", _("Not the same person")
        MERGED = "merged", _("Merged")

    person_low = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"),
    )
    person_high = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("other person"),
    )
    score = models.PositiveSmallIntegerField(_("confidence"), help_text=_("0 to 100."))
    reasons = models.JSONField(_("reasons"), default=list)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.OPEN)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "person_low_id", "person_high_id"]
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"],
                                    name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(person_low__lt=models.F("person_high")),
                                   name="duplicate_pair_ordered"),
        ]
        indexes = [
            models.Index(fields=["decision", "-score"], name="duplicate_pair_open"),
            models.Index(fields=["person_high"], name="duplicate_pair_high"),
        ]

    def __str__(self) -> str:
        return f"{self.person_low_id} ~ {self.person_high_id} ({self.score})"
