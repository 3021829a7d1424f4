"""The ledger's kinds that `advocacy` writes (decision 0054)."""

from django.utils.translation import gettext_lazy as _

from solidaire.core.activity_kinds import ActivityKind

TARGET_CALLED = ActivityKind("target.called", _("Called a decision-maker"),
                             counts_as_action=True)
TARGET_EMAILED = ActivityKind("target.emailed", _("E-mailed a decision-maker"),
                              counts_as_action=True)
