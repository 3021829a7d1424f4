"""Call and e-mail actions aimed at targets, and what supporters report doing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Level, Publication
from solidaire.core.i18n import localized
from solidaire.core.models import TimeStampedModel


class Action(TimeStampedModel):
    class Kind(models.TextChoices):
        CALL = "call", _("Call-in")
        EMAIL = "email", _("E-mail")

    class Targeting(models.TextChoices):
        FIXED = "fixed", _("The targets listed")
        RIDING = "riding", _("The supporter's own representative (by postal code)")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CALL)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="actions",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.PROTECT, null=True, blank=True,
        related_name="actions", verbose_name=_("chapter"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="actions", verbose_name=_("campaign"),
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("One title per language code."))
    intro = models.JSONField(_("introduction"), default=dict, blank=True,
                             help_text=_("Why this action, per language."))
    targeting = models.CharField(_("who is called or written to"), max_length=8,
                                 choices=Targeting.choices, default=Targeting.FIXED)
    riding_level = models.CharField(
        _("riding level"), max_length=12, choices=Level.choices, default=Level.FEDERAL,
        help_text=_("When targets are chosen by postal code: federal or provincial ridings."),
    )
    targets = models.ManyToManyField(
        "campaigns.Target", blank=True, related_name="actions", verbose_name=_("targets"),
    )
    script = models.JSONField(
        _("call script"), default=dict, blank=True,
        help_text=_("What to say on the phone, per language."),
    )
    letter_subject = models.JSONField(_("letter subject"), default=dict, blank=True)
    letter_body = models.JSONField(
        _("letter"), default=dict, blank=True,
        help_text=_("The letter supporters start from and may edit, per language."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Publication.choices,
                              default=Publication.DRAFT, db_index=True)
    goal = models.PositiveIntegerField(_("goal"), default=0,
                                       help_text=_("Calls or e-mails hoped for; 0 for none."))

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.slug

    @property
    def is_open(self) -> bool:
        return self.status == Publication.OPEN


class CallReport(models.Model):
    """What happened when a supporter called a target."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("I spoke with someone")
        MESSAGE = "message", _("I left a message")
        NO_ANSWER = "no_answer", _("No answer")

    id = models.BigAutoField(primary_key=True)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="call_reports",
                               verbose_name=_("action"))
    target = models.ForeignKey("campaigns.Target", on_delete=models.PROTECT,
                               related_name="call_reports", verbose_name=_("target"))
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="call_reports",
                               verbose_name=_("person"))
    token = models.CharField(_("form key"), max_length=64, unique=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True,
                            help_text=_("What they said; seen by organizers only."))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call report")
        verbose_name_plural = _("call reports")
        indexes = [
            models.Index(fields=["action", "target", "created_at"], name="call_action_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} → {self.target_id}"


class EmailSent(models.Model):
    """A supporter's letter to a target, sent through the outbox or from their own mail app."""

    class Method(models.TextChoices):
        OUTBOX = "outbox", _("Sent by the site")
        MAIL_APP = "mail_app", _("Opened in the supporter's mail app")

    id = models.BigAutoField(primary_key=True)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="emails_sent",
                               verbose_name=_("action"))
    target = models.ForeignKey("campaigns.Target", on_delete=models.PROTECT,
                               related_name="emails_received", verbose_name=_("target"))
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="emails_to_targets",
                               verbose_name=_("person"))
    token = models.CharField(_("form key"), max_length=64)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("letter"))
    outbox_email = models.ForeignKey("core.OutboxEmail", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("e-mail"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail to a target")
        verbose_name_plural = _("e-mails to targets")
        constraints = [
            # One form may write to several targets: one row per target per form key.
            models.UniqueConstraint(fields=["token", "target"], name="email_sent_once"),
        ]
        indexes = [
            models.Index(fields=["action", "target", "created_at"], name="email_action_target"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.target_id}"
