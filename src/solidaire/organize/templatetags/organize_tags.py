"""Template helpers of the organizer pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from solidaire.core.access import role_of
from solidaire.core.i18n import content_language_name
from solidaire.core.i18n import localized as localized_text
from solidaire.core.models import OrganizerRole
from solidaire.events import zones as events_zones
from solidaire.people.normalize import format_phone

register = template.Library()

# (url name, label, url names that belong to the section).
HOME = ("home", _("Home"), {"home"})
# The nav's groups, in order: (key, label, entries). Each group is a <details> that opens
# without JavaScript, so that on a phone the nav is one or two lines until it is opened.
NAV_GROUPS = [
    ("people", _("People"), [
        ("people", _("People"), {"people", "person_add", "person_detail", "person_edit",
                                 "person_merge", "person_merge_confirm", "person_status",
                                 "permit_cliff", "people_export"}),
        ("imports", _("Import a spreadsheet"), {"imports", "import_detail", "import_problems",
                                               "import_undo"}),
        ("duplicates", _("Possible duplicates"), {"duplicates", "duplicate_scan",
                                                  "duplicate_bulk_merge",
                                                  "duplicate_review"}),
    ]),
    ("organizing", _("Organizing"), [
        ("chapters", _("Chapters"), {"chapters", "chapter_detail", "chapter_add",
                                     "chapter_add_child", "chapter_edit"}),
        ("committees", _("Committees"), {"committees", "committee_detail", "committee_add",
                                         "committee_edit"}),
        ("organizations", _("Organizations"), {"organizations", "organization_detail",
                                               "organization_edit", "coalition_member_add"}),
        ("chapter_requests", _("Chapter requests"),
         {"chapter_requests", "chapter_request_detail"}),
    ]),
    ("campaigns", _("Campaigns and actions"), [
        ("campaigns", _("Campaigns"), {"campaigns", "campaign_detail", "campaign_add",
                                       "campaign_edit", "milestone_add", "milestone_edit",
                                       "resources", "resource_add", "resource_edit"}),
        ("petitions", _("Petitions"), {"petitions", "petition_add", "petition_detail",
                                       "petition_edit", "petition_paper", "petition_delivery",
                                       "petition_packet_pdf", "petition_packet_csv"}),
        ("signons", _("Sign-ons"), {"signons", "signon_add", "signon_detail", "signon_edit",
                                    "endorsement_decide"}),
        ("actions", _("Call and e-mail actions"), {"actions", "action_add", "action_detail",
                                                   "action_edit"}),
        ("targets", _("Targets"), {"targets", "target_add", "target_import", "target_detail"}),
    ]),
    ("events", _("Events"), [
        ("events", _("Events"), {"events", "event_add", "event_detail", "event_edit",
                                 "event_review", "event_registrations",
                                 "event_registration_decide", "event_follow_up",
                                 "event_checkin", "event_checkin_search", "event_checkin_mark",
                                 "event_walk_in", "event_attendance_import",
                                 "event_attendance_import_detail", "event_paper",
                                 "event_sheet"}),
        ("series_list", _("Series of events"), {"series_list", "series_add", "series_detail",
                                                "series_edit"}),
    ]),
    ("outreach", _("Outreach"), [
        ("audiences", _("Audiences"), {"audiences", "audience_new", "audience_count",
                                       "audience_detail", "audience_edit", "audience_export",
                                       "audience_delete"}),
        ("call_lists", _("Call lists"), {"call_lists", "call_list_add", "call_list_detail",
                                         "call_list_delete", "assignment_detail",
                                         "entry_outcome"}),
    ]),
    ("account", _("Account"), [
        ("accounts", _("Accounts"), {"accounts"}),
        ("audit", _("Audit trail"), {"audit"}),
        ("two_factor", _("Two-factor login"), {"two_factor", "step_up"}),
    ]),
]
# Volunteers type paper sheets, check people in and make their calls; the other sections
# hold people data they may not see (their pages answer 404 or show nothing).
VOLUNTEER_NAV = {"home", "campaigns", "petitions", "call_lists", "two_factor"}
COORDINATOR_NAV = {"chapter_requests", "audit", "accounts"}


def _entry(name, label, section, current):
    # aria-current: "page" on the page itself, "true" anywhere else in its section.
    return {"url_name": f"organize:{name}", "label": label,
            "current": "page" if current == name else ("true" if current in section else "")}


@register.inclusion_tag("organize/includes/nav.html", takes_context=True)
def organize_nav(context):
    request = context["request"]
    user = request.user
    match = request.resolver_match
    current = match.url_name if match and match.namespace == "organize" else None
    role = role_of(user) if user.is_authenticated else None  # one query for both checks

    def shown(name):
        if role == OrganizerRole.Role.VOLUNTEER:
            return name in VOLUNTEER_NAV
        return role == OrganizerRole.Role.COORDINATOR or name not in COORDINATOR_NAV

    groups = []
    for key, label, entries in NAV_GROUPS:
        items = [_entry(name, item_label, section, current)
                 for name, item_label, section in entries if shown(name)]
        if items or key == "account":  # the account group holds the logout button
            groups.append({"key": key, "label": label, "items": items,
                           "current": any(item["current"] for item in items)})
    # The last group is the reader's own account; it is "Admin" for those who run others'.
    if role == OrganizerRole.Role.COORDINATOR or user.is_staff:
        groups[-1]["label"] = pgettext_lazy("organizer nav", "Admin")
    return {"home": _entry(*HOME, current), "groups": groups, "user": user,
            "show_admin": user.is_staff}


@register.filter
def phone(value: str) -> str:
    """An E.164 number written for people to read."""
    return format_phone(value) if value else ""


@register.filter
def zone_label(moment) -> str:
    """An event's zone as people say it, "Montréal time (EST)", never its IANA key."""
    return events_zones.zone_label(moment) if moment else ""


@register.filter
def zone_abbreviation(moment) -> str:
    """EST or EDT (HNE, HAE in French) for a moment in its event's own zone."""
    return events_zones.zone_abbreviation(moment) if moment else ""


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
