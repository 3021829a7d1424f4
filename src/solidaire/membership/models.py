"""Committees, who sits on them, and requests to start a chapter: what of organizing
names a person, above `people` (decision 0055).

The tables keep the names they had when these models lived in `organizing`, so that
no row moved when the app was split off.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidaire.core.models import TimeStampedModel


class Committee(TimeStampedModel):
    """A committee of a chapter or of a whole organization."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="committees",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.PROTECT, null=True, blank=True,
        related_name="committees", verbose_name=_("chapter"),
        help_text=_("Empty for a committee of the whole organization."),
    )
    members = models.ManyToManyField(
        "people.Person", through="CommitteeMembership", related_name="committees",
        verbose_name=_("members"),
    )

    class Meta:
        db_table = "organizing_committee"
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        SPOKESPERSON = "spokesperson", _("Spokesperson")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("committee"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="committee_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        db_table = "organizing_committeemembership"
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="committee_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.committee}"


class ChapterRequest(TimeStampedModel):
    """A public "start a chapter" request, pending until a coordinator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="chapter_requests",
        verbose_name=_("organization"),
    )
    chapter_name = models.CharField(_("proposed chapter name"), max_length=150)
    city = models.CharField(_("city or campus"), max_length=150)
    contact_name = models.CharField(_("your name"), max_length=150)
    contact_email = models.EmailField(_("your e-mail"), blank=True)
    contact_phone = models.CharField(_("your phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="fr",
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="chapter_requests", verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("chapter created"),
    )

    class Meta:
        db_table = "organizing_chapterrequest"
        verbose_name = _("chapter request")
        verbose_name_plural = _("chapter requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.chapter_name
