"""Stored summaries of the activity ledger (decision 0054): the engagement digest of
each person (decision 0029) and the weekly counts of the organizer dashboard's chart
(decision 0032). Both are derived from `core.Activity` and can be rebuilt from it
(`solidaire engagement rebuild`, the daily rebuild of the weekly counts).

The weekly counts: the chart "actions per week, by kind" counted millions of ledger
rows on every view of a large organization's dashboard (4 to 14 s on a million people
and eleven million rows). `ActivityWeek` keeps, per week, kind, organization and home
chapter of the person, how many ledger rows there are, as of the ledger row
`ActivityWeekMark.last_activity_id`; the chart adds the rows written since then, and
counts the part-weeks at the ends of its range from the ledger. The numbers are the
same with or without it: it only saves time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# How many of a person's most recent actions the engagement digest keeps the times of:
# "at least N actions since D" (N up to this) is then one comparison, see `Engagement`.
ENGAGEMENT_RANKS = 10


class Engagement(models.Model):
    """A digest of one person's ledger, rebuilt from it by `analytics.engagement`
    whenever a ledger row of theirs is written, moved or removed (decision 0029).

    Audiences and the dashboard's ladder ask "at least N actions since D", "nothing
    since D" and "did X since D" of a million people; answered from the ledger these
    aggregate millions of rows. From the digest they are one comparison per person,
    and exact: someone has at least N actions since D exactly when their N-th most
    recent action (`action_N_at`) is at or after D. Periods with an end, or with a
    campaign or an object, and kinds without a column here, are still answered from
    the ledger.

    An action is a ledger row of a kind declared with `counts_as_action`
    (`core.activity_kinds`). People with no ledger row have no digest row. Nothing here
    is sensitive: only times of things done, as in the ledger itself.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, primary_key=True,
        related_name="engagement", verbose_name=_("person"),
    )
    last_activity_at = models.DateTimeField(_("last activity"))
    # The times of the person's most recent actions, newest first.
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
    # The latest time of some kinds of action (see ENGAGEMENT_KIND_FIELDS).
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


# The digest's column for the latest time of a kind of action, by the kind's value.
# Only the kinds audiences ask about most have one; "did X since D" of any other kind
# (a kind an app adds later included) is answered from the ledger with the same result,
# so a new kind needs no change here (decision 0054). A system check warns when one of
# these values is no longer declared by any app.
ENGAGEMENT_KIND_FIELDS = {
    "petition.signed": "last_signed_at",
    "signon.endorsed": "last_endorsed_at",
    "target.called": "last_called_at",
    "target.emailed": "last_emailed_at",
    "event.registered": "last_registered_at",
    "event.attended": "last_attended_at",
    "committee.joined": "last_joined_at",
    "chapter.requested": "last_requested_at",
}


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
