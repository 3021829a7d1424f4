"""The ledger's kinds that `petitions` writes (decision 0054)."""

from django.utils.translation import gettext_lazy as _

from solidaire.core.activity_kinds import ActivityKind

PETITION_SIGNED = ActivityKind("petition.signed", _("Signed a petition"),
                               counts_as_action=True)
SIGNON_ENDORSED = ActivityKind("signon.endorsed", _("Endorsed a statement for an organization"),
                               counts_as_action=True)
