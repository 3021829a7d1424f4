"""The ledger's kinds of committees and chapter requests (decision 0054)."""

from django.utils.translation import gettext_lazy as _

from solidaire.core.activity_kinds import ActivityKind

COMMITTEE_JOINED = ActivityKind("committee.joined", _("Joined a committee"),
                                counts_as_action=True)
# Leaving is recorded, but it is not an action that counts for engagement.
COMMITTEE_LEFT = ActivityKind("committee.left", _("Left a committee"))
CHAPTER_REQUESTED = ActivityKind("chapter.requested", _("Asked to start a chapter"),
                                 counts_as_action=True)
