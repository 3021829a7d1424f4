"""Petitions, their signatures (online and on paper), deliveries, and organizational sign-ons.

A signature is stored the moment the form is posted (status PENDING) with the
signer's details as typed; a background job then matches it to a person, records
consent, writes the ledger and queues the confirmation e-mail (decision 0018).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Publication
from solidaire.core.i18n import localized
from solidaire.core.models import TimeStampedModel


class Petition(TimeStampedModel):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="petitions",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.PROTECT, null=True, blank=True,
        related_name="petitions", verbose_name=_("chapter"),
        help_text=_("Empty for a petition of the whole organization."),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="petitions", verbose_name=_("campaign"),
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("One title per language code."))
    summary = models.JSONField(
        _("summary"), default=dict, blank=True,
        help_text=_("One or two sentences per language, shown first and printed on paper sheets."),
    )
    body = models.JSONField(
        _("text"), default=dict, blank=True,
        help_text=_("The full text of the petition, per language. "
                    "Blank lines separate paragraphs."),
    )
    targets = models.ManyToManyField(
        "campaigns.Target", blank=True, related_name="petitions", verbose_name=_("targets"),
    )
    cosponsors = models.ManyToManyField(
        "organizing.Organization", blank=True, related_name="cosponsored_petitions",
        verbose_name=_("co-sponsoring organizations"),
        help_text=_("Named on the petition. A signer who ticks the box to share their "
                    "details is added to each co-sponsor's list; no one else is."),
    )
    goal = models.PositiveIntegerField(_("goal"), default=1000)
    status = models.CharField(_("status"), max_length=10, choices=Publication.choices,
                              default=Publication.DRAFT, db_index=True)
    double_opt_in = models.BooleanField(
        _("confirm by e-mail"), default=False,
        help_text=_("A signature counts only once the signer clicks the link in the e-mail."),
    )
    show_signers = models.BooleanField(
        _("public list of signers"), default=False,
        help_text=_("Shows each signer's first name and city, nothing else."),
    )
    next_step_url = models.URLField(
        _("next step address"), blank=True,
        help_text=_("Shown after signing. Empty: the campaign's open call or e-mail action."),
    )

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return localized(self.title) or self.slug

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
    def is_open(self) -> bool:
        return self.status == Publication.OPEN


class Signature(models.Model):
    """One signature. Unique per petition by idempotency key and by contact (e-mail or phone).

    `email` and `phone` are what the signer typed (normalized); processing moves them
    to the person record and blanks them here, so the table keeps no second copy.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Received, being recorded")
        COUNTED = "counted", _("Counted")
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        DUPLICATE = "duplicate", _("Same person signed already")
        REMOVED = "removed", _("Removed by an organizer")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper sheet")

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures",
                                 verbose_name=_("petition"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="signatures", verbose_name=_("person"),
    )
    token = models.CharField(_("form key"), max_length=64, unique=True)
    contact_key = models.CharField(
        _("contact key"), max_length=64,
        help_text=_("A keyed hash of the normalized e-mail (or phone): one signature each."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PENDING)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices,
                              default=Source.ONLINE)
    sheet_number = models.CharField(_("sheet number"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=150)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8)
    comment = models.TextField(_("comment"), blank=True)
    consent_email = models.BooleanField(_("may e-mail"), default=False)
    consent_sms = models.BooleanField(_("may text"), default=False)
    share_with_cosponsors = models.BooleanField(
        _("shared with the co-sponsors"), default=False, db_default=False,
        help_text=_("The signer ticked the box to share their details with the co-sponsors."),
    )
    # The address the signer typed, as recorded on the person: a confirmation link
    # clicked from it confirms it (decision 0036).
    email_address = models.ForeignKey(
        "people.EmailAddress", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("e-mail address"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("typed in by"),
    )
    created_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["petition", "contact_key"],
                                    name="signature_once_per_contact"),
            # One counted (or awaiting confirmation) signature per person per petition.
            models.UniqueConstraint(
                fields=["petition", "person"], name="signature_once_per_person",
                condition=models.Q(status__in=["counted", "unconfirmed"]),
            ),
        ]
        indexes = [
            models.Index(fields=["petition", "status"], name="signature_petition_status"),
            models.Index(fields=["status", "id"], name="signature_status",
                         condition=models.Q(status="pending")),
            models.Index(fields=["person"], name="signature_person"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.petition_id}"

    @property
    def first_name(self) -> str:
        return (self.name.split() or [""])[0]


class Delivery(models.Model):
    """The petition handed to a target on a date (it goes on the campaign timeline)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("petition"))
    target = models.ForeignKey("campaigns.Target", on_delete=models.PROTECT,
                               related_name="deliveries", verbose_name=_("target"))
    delivered_on = models.DateField(_("delivered on"))
    signature_count = models.PositiveIntegerField(_("signatures delivered"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.petition} → {self.target} ({self.delivered_on})"


class SignOn(TimeStampedModel):
    """A statement or policy submission that organizations endorse."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="sign_ons",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.PROTECT, null=True, blank=True,
        related_name="sign_ons", verbose_name=_("chapter"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="sign_ons", verbose_name=_("campaign"),
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("One title per language code."))
    body = models.JSONField(_("statement"), default=dict, blank=True,
                            help_text=_("The statement, per language."))
    targets = models.ManyToManyField(
        "campaigns.Target", blank=True, related_name="sign_ons", verbose_name=_("targets"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Publication.choices,
                              default=Publication.DRAFT, db_index=True)

    class Meta:
        verbose_name = _("sign-on statement")
        verbose_name_plural = _("sign-on statements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_body(self) -> str:
        return localized(self.body)


class Endorsement(models.Model):
    """An organization's endorsement; listed publicly only once a coordinator approves it.

    The contact person is kept private (a person record, never shown publicly).
    """

    class Kind(models.TextChoices):
        UNION = "union", _("Union or labour council")
        WORKERS = "workers", _("Workers' centre or migrant-worker group")
        COMMUNITY = "community", _("Community organization")
        STUDENT = "student", _("Student association")
        FAITH = "faith", _("Faith group")
        SERVICE = "service", _("Legal, health or settlement service")
        ACADEMIC = "academic", _("Research or academic group")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not listed")

    sign_on = models.ForeignKey(SignOn, on_delete=models.CASCADE, related_name="endorsements",
                                verbose_name=_("sign-on statement"))
    token = models.CharField(_("form key"), max_length=64, unique=True)
    org_name = models.CharField(_("organization name"), max_length=200)
    name_key = models.CharField(_("name key"), max_length=200,
                                help_text=_("The name folded for comparison."))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100)
    website = models.URLField(_("website"), blank=True)
    contact = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="endorsements", verbose_name=_("contact person"),
    )
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["org_name"]
        constraints = [
            models.UniqueConstraint(fields=["sign_on", "name_key"],
                                    name="endorsement_once_per_organization"),
        ]

    def __str__(self) -> str:
        return self.org_name
