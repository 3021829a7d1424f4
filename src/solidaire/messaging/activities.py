"""The ledger's kinds that call lists write: what came of a volunteer's call to the
person (decision 0054). Someone else's call is not an action of the person's."""

from django.utils.translation import gettext_lazy as _

from solidaire.core.activity_kinds import ActivityKind

CALL_REACHED = ActivityKind("call.reached", _("Was reached by a volunteer's call"))
CALL_MESSAGE = ActivityKind("call.message", _("Got a message from a volunteer's call"))
CALL_WRONG_NUMBER = ActivityKind("call.wrong_number", _("Wrong number on a call list"))
CALL_BACK = ActivityKind("call.call_back", _("Asked to be called back"))
CALL_NOT_INTERESTED = ActivityKind("call.not_interested",
                                   _("Not interested, said on a call"))
