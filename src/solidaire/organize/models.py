"""The dashboard's weekly counts of the activity ledger (decision 0032).

The chart "actions per week, by kind" counted millions of ledger rows on every view of
a large organization's dashboard (4 to 14 s on a million people and eleven million
rows). `ActivityWeek` keeps, per week, kind, organization and home chapter of the person, how many
ledger rows there are, as of the ledger row `ActivityWeekMark.last_activity_id`; the
chart adds the rows written since then, and counts the part-weeks at the ends of its
range from the ledger. The numbers are the same with or without it: it only saves time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityWeek(models.Model):
    week = models.DateField(_("week starting"))
    kind = models.CharField(_("kind"), max_length=40)
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", db_index=False, verbose_name=_("chapter"),
        help_text=_("The person's home chapter when counted; empty for people without one."),
    )
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", db_index=False, verbose_name=_("organization"),
        help_text=_("The person's organization: each organization's list is its own."),
    )
    count = models.PositiveIntegerField(_("ledger rows"))

    class Meta:
        verbose_name = _("weekly activity count")
        verbose_name_plural = _("weekly activity counts")
        indexes = [models.Index(fields=["week", "kind", "chapter"], name="activityweek_week")]

    def __str__(self) -> str:
        return f"{self.week} {self.kind}: {self.count}"


class ActivityWeekMark(models.Model):
    """One row: the weekly counts hold every ledger row up to this id."""

    last_activity_id = models.BigIntegerField(_("last ledger row counted"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("last rebuilt in full"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly counts mark")
        verbose_name_plural = _("weekly counts mark")

    def __str__(self) -> str:
        return str(self.last_activity_id)
