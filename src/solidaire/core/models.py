"""The shared kernel: base model, the activity ledger, the audit log, organizer roles."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .activity_kinds import kind_label
from .signals import ledger_changed_send


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, editable=False,
        help_text=_("When the record was first saved."),
    )
    updated_at = models.DateTimeField(
        _("updated"), auto_now=True, help_text=_("When the record was last changed."),
    )

    class Meta:
        abstract = True


class Activity(models.Model):
    """One narrow row per thing a person did; segments and dashboards read only this."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="activities",
        db_index=False, verbose_name=_("person"),
    )
    # Each app declares its own kinds (`core.activity_kinds`, decision 0054).
    kind = models.CharField(_("kind"), max_length=40)
    object_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False, verbose_name=_("object type"),
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False, verbose_name=_("campaign"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False, verbose_name=_("chapter"),
        help_text=_("The chapter the action counts for (by default the person's home chapter)."),
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["person", "occurred_at"], name="activity_person_time"),
            models.Index(fields=["campaign", "kind", "person"], name="activity_campaign_kind"),
            models.Index(fields=["kind", "occurred_at"], name="activity_kind_time"),
            models.Index(fields=["chapter", "occurred_at"], name="activity_chapter_time"),
            # "Who did X on this petition / event": the person ids straight from the
            # index, without reading the rows (decision 0029).
            models.Index(fields=["object_type", "object_id", "kind", "person"],
                         name="activity_object_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        """Saved one by one, a row tells the summaries of the ledger (`ledger_changed`)
        in the same transaction. Bulk writers (bulk_create, COPY, update, delete) send
        the signal themselves, once per batch (decisions 0029, 0054)."""
        with transaction.atomic(savepoint=False):
            previous = None
            if self.pk is not None and not self._state.adding:
                previous = (Activity.objects.filter(pk=self.pk)
                            .values_list("person_id", flat=True).first())
            super().save(*args, **kwargs)
            moved = previous is not None and previous != self.person_id
            ledger_changed_send([previous, self.person_id] if moved else [self.person_id],
                                rows_removed=moved)

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            person_id = self.person_id
            result = super().delete(*args, **kwargs)
            ledger_changed_send([person_id], rows_removed=True)
        return result

    def get_kind_display(self) -> str:
        """The kind's label (declared by the app that writes it), as choices gave."""
        return kind_label(self.kind)


class AuditEntryIsAppendOnly(Exception):
    """Someone tried to change or remove an audit entry through the ORM."""

    def __init__(self):
        super().__init__("The audit log is append-only: entries cannot be changed or deleted.")


class AuditEntryQuerySet(models.QuerySet):
    """Audit entries are only ever added: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise AuditEntryIsAppendOnly

    def delete(self):
        raise AuditEntryIsAppendOnly

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEntryIsAppendOnly


class AuditEntry(models.Model):
    """Append-only record of what organizers did. Never holds a sensitive value.

    Append-only through the ORM: `save()` of an entry already stored, `delete()`, and
    the queryset's `update()`, `bulk_update()` and `delete()` raise
    AuditEntryIsAppendOnly; the admin is read-only. Two paths stay open on purpose:
    deleting an account or a content type empties `actor` / `object_type` (SET_NULL,
    done by Django's deletion collector through the base manager), so that people can
    still be erased; and raw SQL, which no application code uses.
    """

    action = models.CharField(
        _("action"), max_length=100, db_index=True,
        help_text=_("Dotted name, e.g. solidaire.person.merged."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("actor"),
    )
    object_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEntryIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryIsAppendOnly


class OrganizerRole(models.Model):
    """What an organizer account may see: the single source of access scope."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        CHAPTER_ORGANIZER = "chapter_organizer", _("Chapter organizer")
        VOLUNTEER = "volunteer", _("Volunteer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organizer_role",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("organization"),
        help_text=_("A coordinator sees this whole organization; empty means every organization."),
    )
    chapters = models.ManyToManyField(
        "organizing.Chapter", blank=True, related_name="+", verbose_name=_("chapters"),
        help_text=_("A chapter organizer sees these chapters and every chapter below them."),
    )
    status_access = models.BooleanField(
        _("may see immigration status"), default=False,
        help_text=_("Only a few trusted accounts should have this."),
    )

    class Meta:
        verbose_name = _("organizer role")
        verbose_name_plural = _("organizer roles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class WorkerHeartbeat(models.Model):
    """A running `solidaire worker` says it is alive; silent workers' jobs are re-queued."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class OutboxEmail(models.Model):
    """An e-mail rendered in its recipient's language, waiting to be sent or already sent.

    Written in the same transaction as whatever caused it, sent by a background job.
    The body is personal: it never goes into logs or error messages.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        HELD = "held", _("Held until the address is confirmed")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    to = models.EmailField(_("recipient"), help_text=_("The address the e-mail goes to."))
    reply_to = models.EmailField(
        _("reply to"), blank=True, help_text=_("Where replies go; empty for the default."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(
        _("HTML body"), blank=True, help_text=_("Empty when the e-mail is plain text only."),
    )
    language = models.CharField(
        _("language"), max_length=8, help_text=_("The language the e-mail was written in."),
    )
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True,
        help_text=_("Small text attachments (such as a calendar file): file name, type, "
                    "content."),
    )
    kind = models.CharField(
        _("kind"), max_length=80, blank=True,
        help_text=_("What the e-mail is for, e.g. petitions.signature_confirmation."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times sending was tried."),
    )
    last_error = models.CharField(
        _("last error"), max_length=300, blank=True,
        help_text=_("Why the last attempt failed (the error only, never the e-mail)."),
    )
    job_id = models.CharField(
        _("job"), max_length=64, blank=True,
        help_text=_("The background job that sends the e-mail, once queued."),
    )
    hold = models.CharField(
        _("held for"), max_length=64, blank=True,
        help_text=_("What must happen before a held e-mail goes out, e.g. the recipient "
                    "confirming their address."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
            models.Index(fields=["hold"], condition=models.Q(status="held"),
                         name="outbox_held"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind or 'e-mail'} ({self.status})"
