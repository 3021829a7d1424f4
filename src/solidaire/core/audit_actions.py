"""The audit log's dotted action names and the labels people read for them.

Services pass the dotted name to `audit_log`; pages show the label. An action missing
from ACTION_LABELS still shows, under its dotted name: add a label when you add an action.
"""

from django.utils.translation import gettext_lazy as _

# Written by the receivers in audit_receivers.
LOGIN = "solidaire.auth.login"
LOGIN_FAILED = "solidaire.auth.login_failed"
LOGOUT = "solidaire.auth.logout"
ACCOUNT_CREATED = "solidaire.account.created"
ACCOUNT_CHANGED = "solidaire.account.changed"
ACCOUNT_DELETED = "solidaire.account.deleted"
ACCOUNT_GROUPS_CHANGED = "solidaire.account.groups.changed"
ACCOUNT_PERMISSIONS_CHANGED = "solidaire.account.permissions.changed"
ROLE_CREATED = "solidaire.organizer_role.created"
ROLE_CHANGED = "solidaire.organizer_role.changed"
ROLE_DELETED = "solidaire.organizer_role.deleted"
ROLE_CHAPTERS_CHANGED = "solidaire.organizer_role.chapters.changed"

ACTION_LABELS = {
    LOGIN: _("Logged in"),
    LOGIN_FAILED: _("Failed login"),
    LOGOUT: _("Logged out"),
    ACCOUNT_CREATED: _("Account created"),
    ACCOUNT_CHANGED: _("Account flags changed"),
    ACCOUNT_DELETED: _("Account deleted"),
    ACCOUNT_GROUPS_CHANGED: _("Account groups changed"),
    ACCOUNT_PERMISSIONS_CHANGED: _("Account permissions changed"),
    ROLE_CREATED: _("Organizer role given"),
    ROLE_CHANGED: _("Organizer role changed"),
    ROLE_DELETED: _("Organizer role removed"),
    ROLE_CHAPTERS_CHANGED: _("Organizer role's chapters changed"),
    "solidaire.account.sessions.ended": _("Account's sessions ended"),
    "solidaire.account.two_factor.enrolled": _("Two-factor login set up"),
    "solidaire.keys.rotated": _("Encryption key rotated"),
    "solidaire.keys.old_removed": _("Old encryption key removed"),
    "solidaire.person.status.viewed": _("Immigration status viewed"),
    "solidaire.people.import_uploaded": _("Spreadsheet uploaded for import"),
    "solidaire.people.import_started": _("Spreadsheet import started"),
    "solidaire.people.imported": _("Spreadsheet imported"),
    "solidaire.people.import_undone": _("Spreadsheet import undone"),
    "solidaire.people.import_report_downloaded": _("Import problem report downloaded"),
    "solidaire.people.exported": _("People list exported"),
    "solidaire.duplicates.scanned": _("Scanned for duplicates"),
    "solidaire.duplicate.distinct": _("Marked “not the same person”"),
    "solidaire.person.status.changed": _("Immigration status changed"),
    "solidaire.person.status.cleared": _("Immigration status cleared"),
    "solidaire.person.status.cliff.viewed": _("Permit expiry counts viewed"),
    "solidaire.person.status.retention": _(
        "Immigration statuses erased after the retention period"
    ),
    "solidaire.person.created": _("Person added"),
    "solidaire.person.changed": _("Person changed"),
    "solidaire.person.merged": _("People merged"),
    "solidaire.chapter.created": _("Chapter created"),
    "solidaire.chapter.changed": _("Chapter changed"),
    "solidaire.chapter.moved": _("Chapter moved"),
    "solidaire.chapter_request.approved": _("Chapter request approved"),
    "solidaire.chapter_request.declined": _("Chapter request declined"),
    "solidaire.organization.created": _("Organization created"),
    "solidaire.organization.changed": _("Organization changed"),
    "solidaire.coalition.member.added": _("Coalition member added"),
    "solidaire.committee.created": _("Committee created"),
    "solidaire.committee.changed": _("Committee changed"),
    "solidaire.committee.member.added": _("Committee member added"),
    "solidaire.committee.member.removed": _("Committee member removed"),
    "solidaire.campaign.created": _("Campaign created"),
    "solidaire.campaign.changed": _("Campaign changed"),
    "solidaire.campaign.demands.replaced": _("Campaign demands replaced"),
    "solidaire.demo.loaded": _("Demo data loaded"),
    # Issue 5: targets, petitions, sign-ons, call and e-mail actions.
    "solidaire.target.created": _("Target added"),
    "solidaire.target.updated": _("Target changed"),
    "solidaire.targets.imported": _("Targets imported"),
    "solidaire.ridings.loaded": _("Riding table loaded"),
    "solidaire.petition.created": _("Petition created"),
    "solidaire.petition.updated": _("Petition changed"),
    "solidaire.signature.removed": _("Signature removed (spam)"),
    "solidaire.signature.restored": _("Signature restored"),
    "solidaire.petition.delivered": _("Petition delivery recorded"),
    "solidaire.petition.packet_downloaded": _("Delivery packet downloaded"),
    "solidaire.signon.created": _("Sign-on statement created"),
    "solidaire.signon.updated": _("Sign-on statement changed"),
    "solidaire.endorsement.approved": _("Endorsement approved"),
    "solidaire.endorsement.rejected": _("Endorsement rejected"),
    "solidaire.action.created": _("Call or e-mail action created"),
    "solidaire.action.updated": _("Call or e-mail action changed"),
    # Issue 6: events (organizer pages).
    "solidaire.event.created": _("Event created"),
    "solidaire.event.updated": _("Event changed"),
    "solidaire.event.submitted": _("Event submitted to a series"),
    "solidaire.event.approved": _("Event approved for a series"),
    "solidaire.event.rejected": _("Event sent back by a coordinator"),
    "solidaire.event.follow_up_sent": _("Event follow-up e-mail sent"),
    "solidaire.series.created": _("Series of events created"),
    "solidaire.series.updated": _("Series of events changed"),
    "solidaire.event.attendance_imported": _("Video-meeting attendance report imported"),
    "solidaire.event.capacity.changed": _("Event capacity changed"),
    "solidaire.event.registration.added": _("Person registered for an event by an organizer"),
    "solidaire.event.registration.approved": _("Event registration approved"),
    "solidaire.event.registration.declined": _("Event registration declined"),
    "solidaire.event.registration.cancelled": _("Event registration cancelled by an organizer"),
    "solidaire.event.attendance.removed": _("Check-in undone"),
    # Issue 7: campaign toolkits.
    "solidaire.resource.created": _("Toolkit resource added"),
    "solidaire.resource.updated": _("Toolkit resource changed"),
    "solidaire.resource.deleted": _("Toolkit resource deleted"),
    "solidaire.milestone.created": _("Campaign milestone added"),
    "solidaire.milestone.updated": _("Campaign milestone changed"),
    "solidaire.milestone.deleted": _("Campaign milestone deleted"),
    # Issue 7: audiences and call lists.
    "solidaire.audience.created": _("Audience saved"),
    "solidaire.audience.changed": _("Audience changed"),
    "solidaire.audience.deleted": _("Audience deleted"),
    "solidaire.call_list.created": _("Call list created"),
    "solidaire.call_list.deleted": _("Call list deleted"),
    # Written once by a migration (decision 0047): a list made with immigration status
    # was taken from the callers without status access.
    "solidaire.call_list.callers_withdrawn": _("Call list taken from callers without "
                                               "status access"),
}


def action_label(action: str) -> str:
    """The label of a dotted action name; the name itself when it has none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
