"""Audiences (saved filters over people and the activity ledger) and call lists.

An audience stores its definition, never its members: it is evaluated in the
database each time it is used, for the account that uses it (decision 0027).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from solidaire.core.i18n import localized
from solidaire.core.models import TimeStampedModel


class Audience(TimeStampedModel):
    name = models.CharField(_("name"), max_length=150)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.CASCADE, related_name="audiences",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.CASCADE, null=True, blank=True,
        related_name="audiences", verbose_name=_("chapter"),
        help_text=_("Empty for an audience of the whole organization."),
    )
    definition = models.JSONField(
        _("filters"), default=dict,
        help_text=_("The filters, as the audience builder writes them."),
    )
    # Written by the services from the definition (messaging.audiences.STATUS_KEYS):
    # such an audience, and whatever is made from it, is itself status data.
    uses_status = models.BooleanField(
        _("uses immigration status"), default=False, editable=False,
        help_text=_("Its filters use immigration status: only accounts with status access "
                    "see it, use it or are given its call lists."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CallList(TimeStampedModel):
    """An audience split into volunteers' assignments, with a script."""

    name = models.CharField(_("name"), max_length=150)
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.CASCADE, related_name="call_lists",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.CASCADE, null=True, blank=True,
        related_name="call_lists", verbose_name=_("chapter"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="call_lists", verbose_name=_("campaign"),
    )
    audience = models.ForeignKey(
        Audience, on_delete=models.SET_NULL, null=True, blank=True, related_name="call_lists",
        verbose_name=_("audience"),
    )
    script = models.JSONField(_("script"), default=dict, blank=True,
                              help_text=_("What to say, per language."))
    # Kept from the audience when the list is made: the list stays status data even if
    # its audience is later changed or deleted.
    uses_status = models.BooleanField(
        _("uses immigration status"), default=False, editable=False,
        help_text=_("Made from an audience that uses immigration status: only accounts "
                    "with status access see it or call from it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("call list")
        verbose_name_plural = _("call lists")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_script(self) -> str:
        return localized(self.script)


class CallAssignment(models.Model):
    """The part of a call list one volunteer calls."""

    call_list = models.ForeignKey(CallList, on_delete=models.CASCADE, related_name="assignments",
                                  verbose_name=_("call list"))
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_assignments",
        verbose_name=_("caller"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call assignment")
        verbose_name_plural = _("call assignments")
        ordering = ["call_list", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call_list", "caller"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.call_list_id} → {self.caller_id}"


class CallEntry(models.Model):
    """One person to call, and what came of it."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        MESSAGE = "message", _("Left a message")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        CALL_BACK = "call_back", _("Call back")
        NOT_INTERESTED = "not_interested", _("Not interested")

    id = models.BigAutoField(primary_key=True)
    assignment = models.ForeignKey(CallAssignment, on_delete=models.CASCADE,
                                   related_name="entries", verbose_name=_("assignment"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="call_entries", verbose_name=_("person"))
    position = models.PositiveIntegerField(_("position"), default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices,
                               blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)

    class Meta:
        verbose_name = _("person to call")
        verbose_name_plural = _("people to call")
        ordering = ["assignment", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "person"], name="call_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.outcome or '—'})"
