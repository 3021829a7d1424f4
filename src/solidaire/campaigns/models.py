"""Campaigns (basic): petitions, events and actions hang from these."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from solidaire.core.i18n import localized
from solidaire.core.models import TimeStampedModel


class Campaign(TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.JSONField(
        _("title"), default=dict, help_text=_("One title per language code."),
    )
    summary = models.JSONField(
        _("summary"), default=dict, blank=True, help_text=_("One summary per language code."),
    )
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="campaigns",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.PROTECT, null=True, blank=True,
        related_name="campaigns", verbose_name=_("chapter"),
        help_text=_("Empty for a campaign of the whole organization."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_summary(self) -> str:
        return localized(self.summary)


class Demand(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="demands", verbose_name=_("campaign"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.JSONField(_("text"), default=dict, help_text=_("One text per language code."))

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["campaign", "position", "id"]

    def __str__(self) -> str:
        return localized(self.text)

    @property
    def display_text(self) -> str:
        return localized(self.text)
