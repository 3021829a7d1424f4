"""Template helpers of the organizer pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from solidaire.core.access import role_of
from solidaire.core.i18n import content_language_name
from solidaire.core.i18n import localized as localized_text
from solidaire.core.models import OrganizerRole
from solidaire.people.normalize import format_phone

register = template.Library()

# (url name, label, url names that belong to the section); the order of the nav.
NAV = [
    ("home", _("Home"), {"home"}),
    ("people", _("People"), {"people", "person_add", "person_detail", "person_edit",
                             "person_merge", "person_merge_confirm", "person_status",
                             "permit_cliff", "imports", "import_detail", "import_problems",
                             "import_undo", "people_export", "duplicates", "duplicate_scan",
                             "duplicate_bulk_merge", "duplicate_review"}),
    ("chapters", _("Chapters"), {"chapters", "chapter_detail", "chapter_add",
                                 "chapter_add_child", "chapter_edit"}),
    ("committees", _("Committees"), {"committees", "committee_detail", "committee_add",
                                     "committee_edit"}),
    ("organizations", _("Organizations"), {"organizations", "organization_detail",
                                           "organization_edit", "coalition_member_add"}),
    ("campaigns", _("Campaigns"), {"campaigns", "campaign_detail", "campaign_add",
                                   "campaign_edit", "milestone_add", "milestone_edit",
                                   "resources", "resource_add", "resource_edit"}),
    ("audiences", _("Audiences"), {"audiences", "audience_new", "audience_count",
                                   "audience_detail", "audience_edit", "audience_export",
                                   "audience_delete"}),
    ("call_lists", _("Call lists"), {"call_lists", "call_list_add", "call_list_detail",
                                     "call_list_delete", "assignment_detail",
                                     "entry_outcome"}),
    ("petitions", _("Petitions"), {"petitions", "petition_add", "petition_detail",
                                   "petition_edit", "petition_paper", "petition_delivery",
                                   "petition_packet_pdf", "petition_packet_csv"}),
    ("signons", _("Sign-ons"), {"signons", "signon_add", "signon_detail", "signon_edit",
                                "endorsement_decide"}),
    ("actions", _("Call and e-mail actions"), {"actions", "action_add", "action_detail",
                                               "action_edit"}),
    ("targets", _("Targets"), {"targets", "target_add", "target_import", "target_detail"}),
    ("events", _("Events"), {"events", "event_add", "event_detail", "event_edit", "event_review",
                             "event_registrations", "event_registration_decide",
                             "event_follow_up", "event_checkin", "event_checkin_search",
                             "event_checkin_mark", "event_walk_in", "event_attendance_import",
                             "event_attendance_import_detail", "event_paper", "event_sheet",
                             "series_list", "series_add", "series_detail", "series_edit"}),
    ("two_factor", _("Two-factor login"), {"two_factor"}),
]
# Volunteers type paper sheets, check people in and make their calls; the other sections
# hold people data they may not see (their pages answer 404 or show nothing).
VOLUNTEER_NAV = {"home", "campaigns", "petitions", "call_lists", "two_factor"}
COORDINATOR_NAV = [
    ("chapter_requests", _("Chapter requests"),
     {"chapter_requests", "chapter_request_detail"}),
    ("audit", _("Audit trail"), {"audit"}),
    ("accounts", _("Accounts"), {"accounts"}),
]


@register.inclusion_tag("organize/includes/nav.html", takes_context=True)
def organize_nav(context):
    request = context["request"]
    user = request.user
    match = request.resolver_match
    current = match.url_name if match and match.namespace == "organize" else None
    entries = list(NAV)
    role = role_of(user) if user.is_authenticated else None  # one query for both checks
    if role == OrganizerRole.Role.VOLUNTEER:
        entries = [entry for entry in entries if entry[0] in VOLUNTEER_NAV]
    if role == OrganizerRole.Role.COORDINATOR:
        entries += COORDINATOR_NAV
    items = [
        {
            "url_name": f"organize:{name}",
            "label": label,
            # aria-current: "page" on the page itself, "true" anywhere else in its section.
            "current": "page" if current == name else ("true" if current in section else ""),
        }
        for name, label, section in entries
    ]
    return {"items": items, "user": user, "show_admin": user.is_staff}


@register.filter
def phone(value: str) -> str:
    """An E.164 number written for people to read."""
    return format_phone(value) if value else ""


# Where a contact point or a suggestion came from ("event: slug", see people_upsert).
_GIVEN_ON = {
    "event": _("the event “%(name)s”"),
    "petition": _("the petition “%(name)s”"),
    "sign-on": _("the statement “%(name)s”"),
    "action": _("the action “%(name)s”"),
    "import": _("the file “%(name)s”"),
}


@register.filter
def given_on(source: str) -> str:
    """“event: fete-2026” as organizers read it: the event “fete-2026”."""
    kind, _sep, name = (source or "").partition(": ")
    if kind == "web" and name.startswith("action:"):
        kind, name = "action", name.removeprefix("action:")
    if kind == "web" and name == "start a chapter":
        return str(_("the “start a chapter” form"))
    label = _GIVEN_ON.get(kind)
    return str(label) % {"name": name} if label and name else source


@register.filter
def pending(points) -> list:
    """The e-mails or phones that wait for confirmation (decision 0036)."""
    return [point for point in points if point.pending]


@register.filter
def language_name(code: str) -> str:
    return content_language_name(code)


@register.filter
def localized(value) -> str:
    """Organizer-written content ({"fr": …, "en": …}) in the reader's language."""
    return localized_text(value)
