"""The shared kernel: base model, the activity ledger, the audit log, organizer roles."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class ActivityKind(models.TextChoices):
    """Everything a person can do that the ledger records. Later apps add kinds here."""

    PERSON_CREATED = "person.created", _("Added to the contact list")
    COMMITTEE_JOINED = "committee.joined", _("Joined a committee")
    COMMITTEE_LEFT = "committee.left", _("Left a committee")
    CHAPTER_REQUESTED = "chapter.requested", _("Asked to start a chapter")
    PETITION_SIGNED = "petition.signed", _("Signed a petition")
    SIGNON_ENDORSED = "signon.endorsed", _("Endorsed a statement for an organization")
    TARGET_CALLED = "target.called", _("Called a decision-maker")
    TARGET_EMAILED = "target.emailed", _("E-mailed a decision-maker")
    EVENT_REGISTERED = "event.registered", _("Registered for an event")
    EVENT_ATTENDED = "event.attended", _("Attended an event")
    # Call lists (issue 7): what came of a volunteer's call to the person.
    CALL_REACHED = "call.reached", _("Was reached by a volunteer's call")
    CALL_MESSAGE = "call.message", _("Got a message from a volunteer's call")
    CALL_WRONG_NUMBER = "call.wrong_number", _("Wrong number on a call list")
    CALL_BACK = "call.call_back", _("Asked to be called back")
    CALL_NOT_INTERESTED = "call.not_interested", _("Not interested, said on a call")


# What counts as "an action" for engagement (the dashboard's ladder, audiences' "number
# of actions"): things a person chose to do. Being added, leaving a committee, or what
# came of a call someone made to them are not actions of theirs.
ACTION_KINDS = (
    ActivityKind.PETITION_SIGNED,
    ActivityKind.SIGNON_ENDORSED,
    ActivityKind.TARGET_CALLED,
    ActivityKind.TARGET_EMAILED,
    ActivityKind.EVENT_REGISTERED,
    ActivityKind.EVENT_ATTENDED,
    ActivityKind.COMMITTEE_JOINED,
    ActivityKind.CHAPTER_REQUESTED,
)


class Activity(models.Model):
    """One narrow row per thing a person did; segments and dashboards read only this."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="activities",
        db_index=False, verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=ActivityKind.choices)
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
        """Saved one by one, a row brings its person's engagement digest up to date in
        the same transaction. Bulk writers (bulk_create, COPY, update, delete) call
        `core.engagement.engagement_refresh` themselves (decision 0029)."""
        from .engagement import engagement_refresh, engagement_touch

        with transaction.atomic(savepoint=False):
            previous = None
            if self.pk is not None and not self._state.adding:
                previous = (Activity.objects.filter(pk=self.pk)
                            .values_list("person_id", flat=True).first())
            super().save(*args, **kwargs)
            if previous is not None and previous != self.person_id:
                engagement_refresh([previous, self.person_id])
            else:
                engagement_touch(self.person_id)

    def delete(self, *args, **kwargs):
        from .engagement import engagement_refresh

        with transaction.atomic(savepoint=False):
            person_id = self.person_id
            result = super().delete(*args, **kwargs)
            engagement_refresh([person_id])
        return result


# How many of a person's most recent actions the engagement digest keeps the times of:
# "at least N actions since D" (N up to this) is then one comparison, see `Engagement`.
ENGAGEMENT_RANKS = 10


class Engagement(models.Model):
    """A digest of one person's ledger, rebuilt from it by `core.engagement` whenever a
    ledger row of theirs is written, moved or removed (decision 0029).

    Audiences and the dashboard's ladder ask "at least N actions since D", "nothing
    since D" and "did X since D" of a million people; answered from the ledger these
    aggregate millions of rows. From the digest they are one comparison per person,
    and exact: someone has at least N actions since D exactly when their N-th most
    recent action (`action_N_at`) is at or after D. Periods with an end, or with a
    campaign or an object, are still answered from the ledger.

    People with no ledger row have no digest row. Nothing here is sensitive: only
    times of things done, as in the ledger itself.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, primary_key=True,
        related_name="engagement", verbose_name=_("person"),
    )
    last_activity_at = models.DateTimeField(_("last activity"))
    # The times of the person's most recent actions (ACTION_KINDS), newest first.
    action_1_at = models.DateTimeField(_("latest action"), null=True, blank=True)
    action_2_at = models.DateTimeField(_("2nd latest action"), null=True, blank=True)
    action_3_at = models.DateTimeField(_("3rd latest action"), null=True, blank=True)
    action_4_at = models.DateTimeField(_("4th latest action"), null=True, blank=True)
    action_5_at = models.DateTimeField(_("5th latest action"), null=True, blank=True)
    action_6_at = models.DateTimeField(_("6th latest action"), null=True, blank=True)
    action_7_at = models.DateTimeField(_("7th latest action"), null=True, blank=True)
    action_8_at = models.DateTimeField(_("8th latest action"), null=True, blank=True)
    action_9_at = models.DateTimeField(_("9th latest action"), null=True, blank=True)
    action_10_at = models.DateTimeField(_("10th latest action"), null=True, blank=True)
    # The latest time of each kind of action (see ENGAGEMENT_KIND_FIELDS).
    last_signed_at = models.DateTimeField(_("last signature"), null=True, blank=True)
    last_endorsed_at = models.DateTimeField(_("last endorsement"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("last call to a decision-maker"),
                                          null=True, blank=True)
    last_emailed_at = models.DateTimeField(_("last e-mail to a decision-maker"),
                                           null=True, blank=True)
    last_registered_at = models.DateTimeField(_("last event registration"),
                                              null=True, blank=True)
    last_attended_at = models.DateTimeField(_("last event attended"), null=True, blank=True)
    last_joined_at = models.DateTimeField(_("last committee joined"), null=True, blank=True)
    last_requested_at = models.DateTimeField(_("last chapter request"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement digest")
        verbose_name_plural = _("engagement digests")
        indexes = [
            # Each index ends with the person, so that "who, since D" is read from the
            # index alone, never from the table (decision 0029).
            models.Index(fields=["last_activity_at", "person"], name="engagement_last"),
            # The ranks the dashboard's ladder reads (1, 2–3, 4 or more actions); other
            # numbers read the digest whole, still a small table.
            models.Index(fields=["action_1_at", "person"], name="engagement_action_1"),
            models.Index(fields=["action_2_at", "person"], name="engagement_action_2"),
            models.Index(fields=["action_4_at", "person"], name="engagement_action_4"),
            # Came to events but lapsed: the re-engagement audience organizers build most.
            models.Index(fields=["last_attended_at", "last_activity_at", "person"],
                         name="engagement_attended"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.last_activity_at:%Y-%m-%d}"


def engagement_rank_field(rank: int) -> str:
    """The digest's field holding the time of the `rank`-th most recent action."""
    if not 1 <= rank <= ENGAGEMENT_RANKS:
        raise ValueError(rank)
    return f"action_{rank}_at"


# The digest's field for the latest time of each kind of action.
ENGAGEMENT_KIND_FIELDS = {
    ActivityKind.PETITION_SIGNED: "last_signed_at",
    ActivityKind.SIGNON_ENDORSED: "last_endorsed_at",
    ActivityKind.TARGET_CALLED: "last_called_at",
    ActivityKind.TARGET_EMAILED: "last_emailed_at",
    ActivityKind.EVENT_REGISTERED: "last_registered_at",
    ActivityKind.EVENT_ATTENDED: "last_attended_at",
    ActivityKind.COMMITTEE_JOINED: "last_joined_at",
    ActivityKind.CHAPTER_REQUESTED: "last_requested_at",
}
assert set(ENGAGEMENT_KIND_FIELDS) == set(ACTION_KINDS)


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
