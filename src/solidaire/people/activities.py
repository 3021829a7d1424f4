"""The ledger's kinds that `people` writes (decision 0054)."""

from django.utils.translation import gettext_lazy as _

from solidaire.core.activity_kinds import ActivityKind

# Being added to a list is not something the person chose to do: not an action.
PERSON_CREATED = ActivityKind("person.created", _("Added to the contact list"))
