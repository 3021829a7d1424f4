"""The audit trail page: coordinators browse and filter what was done, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.access import is_coordinator
from solidaire.core.accounts import accounts_visible_to
from solidaire.core.audit_actions import ACTION_LABELS, action_label
from solidaire.core.models import AuditEntry
from solidaire.core.selectors import audit_entries_filter, audit_entries_visible_to
from solidaire.membership.selectors import chapter_requests_visible_to, committees_visible_to
from solidaire.organizing.selectors import chapters_visible_to, organizations_visible_to
from solidaire.people.selectors import people_visible_to

from ..forms.audit import AuditFilterForm

ENTRIES_PER_PAGE = 50

# Objects an entry can be about, in the order of the filter: (app label, model name) →
# (the scoping selector, the URL name, the field the URL takes). None: no page to link to.
OBJECT_PAGES = {
    ("people", "person"): (people_visible_to, "person_detail", "pk"),
    ("organizing", "chapter"): (chapters_visible_to, "chapter_detail", "slug"),
    ("membership", "committee"): (committees_visible_to, "committee_detail", "slug"),
    ("organizing", "organization"): (organizations_visible_to, "organization_detail", "slug"),
    ("membership", "chapterrequest"): (chapter_requests_visible_to, "chapter_request_detail",
                                       "pk"),
    ("campaigns", "campaign"): (campaigns_visible_to, "campaign_detail", "slug"),
    ("auth", "user"): None,
}

# Keys of `data` that have a label. The keys are what the code writes (created,
# new_people…); people read the label, and a key written later without one still
# reads as words ("Hosts skipped") rather than as an identifier.
# "audit detail": a count or value of what was done ("Added: 4"), not a date or a state.
DETAIL_LABELS = {
    "fields": _("Fields"),
    "before": _("Before"),
    "after": _("After"),
    "ip": _("IP address"),
    "username": _("Username"),
    "role": _("Role"),
    "organization": _("Organization"),
    "organization_id": _("Organization"),
    "status_access": _("May see immigration status"),
    "chapters": _("Chapters"),
    "removed_id": _("Removed record"),
    "filled": _("Filled in"),
    "is_staff": pgettext_lazy("audit detail", "Staff access"),
    "is_superuser": pgettext_lazy("audit detail", "Full administrator"),
    "is_active": pgettext_lazy("audit detail", "Active account"),
    "already_marked": pgettext_lazy("audit detail", "Already marked"),
    "audience": pgettext_lazy("audit detail", "Audience"),
    "call_lists": pgettext_lazy("audit detail", "Call lists"),
    "callers": pgettext_lazy("audit detail", "Callers"),
    "campaign": pgettext_lazy("audit detail", "Campaign"),
    "candidates": pgettext_lazy("audit detail", "Candidate pairs"),
    "candidates_exact": pgettext_lazy("audit detail", "Exact matches"),
    "capacity": pgettext_lazy("audit detail", "Capacity"),
    "columns": pgettext_lazy("audit detail", "Columns"),
    "common_names": pgettext_lazy("audit detail", "Names too common to compare"),
    "count": pgettext_lazy("audit detail", "Number"),
    "created": pgettext_lazy("audit detail", "Added"),
    "delivered_on": pgettext_lazy("audit detail", "Delivered on"),
    "delivery": pgettext_lazy("audit detail", "Delivery"),
    "downloads": pgettext_lazy("audit detail", "Downloads"),
    "event": pgettext_lazy("audit detail", "Event"),
    "field": pgettext_lazy("audit detail", "Field"),
    "filters": pgettext_lazy("audit detail", "Filters"),
    "follow_up": pgettext_lazy("audit detail", "Follow-up"),
    "format": pgettext_lazy("audit detail", "Format"),
    "found": pgettext_lazy("audit detail", "Pairs found"),
    "from": pgettext_lazy("audit detail", "From"),
    "from_parent_id": pgettext_lazy("audit detail", "Former parent chapter"),
    "hosts_skipped": pgettext_lazy("audit detail", "Meeting hosts not counted"),
    "kept": pgettext_lazy("audit detail", "Kept"),
    "kept_decided": pgettext_lazy("audit detail", "Already decided, kept"),
    "kind": pgettext_lazy("audit detail", "Kind"),
    "label": pgettext_lazy("audit detail", "Label"),
    "level": pgettext_lazy("audit detail", "Level"),
    "member_id": pgettext_lazy("audit detail", "Member"),
    "months": pgettext_lazy("audit detail", "Months"),
    "name": pgettext_lazy("audit detail", "Name"),
    "new": pgettext_lazy("audit detail", "New"),
    "new_key_ids": pgettext_lazy("audit detail", "New keys"),
    "new_people": pgettext_lazy("audit detail", "New people"),
    "newly_marked": pgettext_lazy("audit detail", "Newly marked"),
    "open": pgettext_lazy("audit detail", "Open"),
    "paragraphs": pgettext_lazy("audit detail", "Paragraphs"),
    "participants": pgettext_lazy("audit detail", "Participants"),
    "people": pgettext_lazy("audit detail", "People"),
    "person": pgettext_lazy("audit detail", "Person"),
    "person_id": pgettext_lazy("audit detail", "Person"),
    "person_ids": pgettext_lazy("audit detail", "People"),
    "petition": pgettext_lazy("audit detail", "Petition"),
    "preferred_language": pgettext_lazy("audit detail", "Preferred language"),
    "prefixes": pgettext_lazy("audit detail", "Prefixes"),
    "problems": pgettext_lazy("audit detail", "Problems"),
    "recipients": pgettext_lazy("audit detail", "Recipients"),
    "refreshed": pgettext_lazy("audit detail", "Refreshed"),
    "removed": pgettext_lazy("audit detail", "Removed"),
    "removed_key_ids": pgettext_lazy("audit detail", "Removed keys"),
    "restored": pgettext_lazy("audit detail", "Restored"),
    "ridings_created": pgettext_lazy("audit detail", "Ridings added"),
    "ridings_updated": pgettext_lazy("audit detail", "Ridings updated"),
    "rows": pgettext_lazy("audit detail", "Rows"),
    "seconds": pgettext_lazy("audit detail", "Seconds"),
    "seed": pgettext_lazy("audit detail", "Seed"),
    "series": pgettext_lazy("audit detail", "Series"),
    "sessions": pgettext_lazy("audit detail", "Sessions"),
    "short": pgettext_lazy("audit detail", "Short"),
    "shredded_key_ids": pgettext_lazy("audit detail", "Destroyed keys"),
    "sign_on": pgettext_lazy("audit detail", "Sign-on"),
    "size": pgettext_lazy("audit detail", "Size"),
    "status": pgettext_lazy("audit detail", "Status"),
    "status_included": pgettext_lazy("audit detail", "Immigration status included"),
    "target": pgettext_lazy("audit detail", "Target"),
    "title": pgettext_lazy("audit detail", "Title"),
    "to": pgettext_lazy("audit detail", "To"),
    "to_parent_id": pgettext_lazy("audit detail", "New parent chapter"),
    "too_short": pgettext_lazy("audit detail", "Too short"),
    "unchanged": pgettext_lazy("audit detail", "Unchanged"),
    "unmatched": pgettext_lazy("audit detail", "Unmatched"),
    "updated": pgettext_lazy("audit detail", "Updated"),
    "url": pgettext_lazy("audit detail", "Address"),
    "via": pgettext_lazy("audit detail", "Via"),
}
REASON_PREFIX = "reason_"


def detail_label(key: str) -> str:
    """The words shown for a key of an entry's `data`."""
    if key in DETAIL_LABELS:
        return str(DETAIL_LABELS[key])
    if key.startswith(REASON_PREFIX):
        return gettext("Reason: %(reason)s") % {
            "reason": detail_label(key[len(REASON_PREFIX):]).lower()}
    words = key.removesuffix("_id").removesuffix("_ids").replace("_", " ").strip()
    return words.capitalize() or key


@dataclass
class Row:
    entry: AuditEntry
    label: str
    object_text: str
    object_url: str
    details: list[tuple[str, str]]


def _shown_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(
            gettext("%(label)s: %(value)s") % {"label": detail_label(str(key)),
                                                "value": _shown_value(item)}
            for key, item in value.items())
    return str(value)


def _details(data) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return [("", _shown_value(data))]
    return [(detail_label(str(key)), _shown_value(value))
            for key, value in data.items()]


def _object_links(user, entries: list[AuditEntry]) -> dict[tuple[int, str], tuple[str, str]]:
    """(text, URL) of the objects the entries are about that the viewer may see.

    One query per kind of object on the page, through that kind's scoping selector:
    an object out of the viewer's scope keeps its plain "#id". Accounts have no page:
    the username of an account the viewer looks after is shown instead.
    """
    wanted: dict[int, set[str]] = {}
    for entry in entries:
        if entry.object_type_id and entry.object_id.isdigit():
            wanted.setdefault(entry.object_type_id, set()).add(entry.object_id)
    found = {}
    user_model = get_user_model()
    for type_id, ids in wanted.items():
        content_type = ContentType.objects.get_for_id(type_id)
        pks = [int(pk) for pk in ids]
        if content_type.model_class() is user_model:
            for pk, username in accounts_visible_to(user).filter(pk__in=pks).values_list(
                    "pk", "username"):
                found[type_id, str(pk)] = (username, "")
            continue
        page = OBJECT_PAGES.get((content_type.app_label, content_type.model))
        if page is None:
            continue
        selector, url_name, url_field = page
        for pk, value in selector(user).filter(pk__in=pks).values_list("pk", url_field):
            found[type_id, str(pk)] = ("", reverse(f"organize:{url_name}", args=[value]))
    return found


def _kind_name(type_id: int) -> str:
    model = ContentType.objects.get_for_id(type_id).model_class()
    if model is None:
        return gettext("Removed kind")
    if model is get_user_model():
        return gettext("Account")
    return str(model._meta.verbose_name).capitalize()


def _rows(user, entries: list[AuditEntry]) -> list[Row]:
    found = _object_links(user, entries)
    rows = []
    for entry in entries:
        object_text, object_url = "", ""
        if entry.object_type_id:
            name, object_url = found.get((entry.object_type_id, entry.object_id), ("", ""))
            object_text = f"{_kind_name(entry.object_type_id)} {name or '#' + entry.object_id}"
        elif entry.object_id:
            object_text = f"#{entry.object_id}"
        rows.append(Row(
            entry=entry,
            label=action_label(entry.action),
            object_text=object_text,
            object_url=object_url,
            details=_details(entry.data),
        ))
    return rows


def _page_of(entries, *, before: int | None, after: int | None):
    """A keyset page, newest first: `before` pages to older entries, `after` to newer.

    Entries are numbered in the order they were written, so "newest first" is by id;
    no count of the whole trail is needed.
    """
    if after is not None:
        chunk = list(entries.filter(id__gt=after).order_by("id")[:ENTRIES_PER_PAGE + 1])
        has_newer = len(chunk) > ENTRIES_PER_PAGE
        page = list(reversed(chunk[:ENTRIES_PER_PAGE]))
        has_older = bool(page) and entries.filter(id__lt=page[-1].id).exists()
        return page, has_newer, has_older
    chunk = entries.order_by("-id")
    if before is not None:
        chunk = chunk.filter(id__lt=before)
    chunk = list(chunk[:ENTRIES_PER_PAGE + 1])
    return chunk[:ENTRIES_PER_PAGE], before is not None, len(chunk) > ENTRIES_PER_PAGE


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def audit_list(request):
    """Coordinators only (404 for anyone else: the page does not exist for them)."""
    if not is_coordinator(request.user):
        raise Http404("coordinators only")
    form = AuditFilterForm(request.GET or None, object_types=OBJECT_PAGES)
    filters = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is left out, and the form shows its error
        filters = form.filters()
    entries = audit_entries_filter(audit_entries_visible_to(request.user), **filters)
    entries = entries.select_related("actor")
    page, has_newer, has_older = _page_of(entries, before=_cursor(request.GET.get("before")),
                                          after=_cursor(request.GET.get("after")))
    return render(request, "organize/audit/list.html", {
        "form": form,
        "rows": _rows(request.user, page),
        "newer": page[0].id if has_newer and page else None,
        "older": page[-1].id if has_older and page else None,
        "known_actions": sorted(ACTION_LABELS),
        "filtered": any(value for value in filters.values()),
    })
