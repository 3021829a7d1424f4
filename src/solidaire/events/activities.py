"""The ledger's kinds that `events` writes (decision 0054)."""

from django.utils.translation import gettext_lazy as _

from solidaire.core.activity_kinds import ActivityKind

EVENT_REGISTERED = ActivityKind("event.registered", _("Registered for an event"),
                                counts_as_action=True)
EVENT_ATTENDED = ActivityKind("event.attended", _("Attended an event"), counts_as_action=True)
