"""Audiences: the filter builder with its live count, saved audiences, their people and
their export (decision 0027). Every count and list is evaluated for the account that
looks, within its scope."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from solidaire.campaigns.selectors import campaigns_visible_to
from solidaire.core.access import scope_for
from solidaire.core.activity_kinds import kind_choices
from solidaire.core.i18n import localized
from solidaire.membership.models import Committee
from solidaire.messaging import services
from solidaire.messaging.audiences import audience_count as count_of
from solidaire.messaging.audiences import audience_people, definition_uses_status
from solidaire.messaging.models import Audience
from solidaire.messaging.selectors import (
    audience_may_edit,
    audiences_editable_by,
    audiences_visible_to,
)
from solidaire.organizing.models import Chapter, Organization
from solidaire.organizing.selectors import host_organization
from solidaire.people import exporting
from solidaire.people.exporting import ExportTooLarge
from solidaire.people.models import Tag
from solidaire.people.selectors import status_access, status_unlocked

from ..forms.audiences import AudienceFilterForm, AudienceSaveForm, filter_data
from ..forms.exports import PeopleExportForm
from ..status_gate import status_locked, step_up_redirect, step_up_url
from .exports import _file_response

FIRST_NAMES = 50


def _organizers_only(user) -> None:
    """Volunteers see no people: these pages do not exist for them."""
    if scope_for(user).is_empty:
        raise Http404("no organizer scope")


def _people_count_text(count: int) -> str:
    return ngettext("%(count)s person", "%(count)s people", count) % {
        "count": formats.number_format(count, force_grouping=True)}


def _safe_count(definition: dict, user) -> int | None:
    try:
        return count_of(definition, user)
    except ValueError:
        return None  # a definition saved by an older version: shown as "—"


def _owner(user, chapter: Chapter | None):
    """The organization an audience belongs to."""
    if chapter is not None:
        return chapter.organization
    scope = scope_for(user)
    if scope.organization_ids:
        return Organization.objects.filter(pk__in=sorted(scope.organization_ids)).first()
    return host_organization()


def _builder(request, audience: Audience | None):
    """The builder page (new or edit): GET counts, POST saves."""
    _organizers_only(request.user)
    data = request.GET or None
    if data is None and audience is not None:
        data = filter_data(audience.definition)
    form = AudienceFilterForm(data, user=request.user)
    count = definition = None
    if form.is_bound and form.is_valid():
        definition = form.definition()
    elif not form.is_bound:
        definition = {}
    if definition is not None and definition_uses_status(definition) \
            and not status_unlocked(request):
        # Counting by permit expiry, or saving such an audience, is reading status: the
        # code first, then this builder again with its filters (a POST is not replayed).
        return step_up_redirect(request, request.get_full_path())
    if definition is not None:
        count = count_of(definition, request.user)

    initial = {"definition": json.dumps(definition or {})}
    if audience is not None:
        initial["name"] = audience.name
    save_form = AudienceSaveForm(request.POST or None, initial=initial, user=request.user,
                                 with_chapter=audience is None)
    if request.method == "POST" and save_form.is_valid():
        values = save_form.cleaned_data
        if audience is None:
            chapter = values.get("chapter")
            audience = services.audience_save(
                name=values["name"], organization=_owner(request.user, chapter),
                chapter=chapter, definition=values["definition"], actor=request.user)
            messages.success(request, _("The audience %(name)s was saved.")
                             % {"name": audience.name})
        else:
            services.audience_update(audience=audience, name=values["name"],
                                     definition=values["definition"], actor=request.user)
            messages.success(request, _("The changes were saved."))
        return redirect("organize:audience_detail", pk=audience.pk)
    return render(request, "organize/audiences/builder.html", {
        "form": form, "save_form": save_form, "audience": audience,
        "count": count, "count_text": _people_count_text(count) if count is not None else "",
    })


@login_required
def audience_new(request):
    return _builder(request, None)


@login_required
def audience_edit(request, pk: int):
    _organizers_only(request.user)
    audience = get_object_or_404(audiences_editable_by(request.user), pk=pk)
    if audience.uses_status and not status_unlocked(request):
        return step_up_redirect(request)
    return _builder(request, audience)


@login_required
@require_http_methods(["GET", "POST"])
def audience_delete(request, pk: int):
    """GET: what deleting the audience does, and the button; POST: delete it (decision
    0061). Whoever may change its filters may delete it; anyone else gets a 404."""
    _organizers_only(request.user)
    audience = get_object_or_404(audiences_editable_by(request.user), pk=pk)
    if audience.uses_status and not status_unlocked(request):
        return step_up_redirect(request, reverse("organize:audience_delete", args=[audience.pk]))
    if request.method == "POST":
        services.audience_delete(audience=audience, actor=request.user)
        messages.success(request, _("The audience %(name)s was deleted.")
                         % {"name": audience.name})
        return redirect("organize:audiences")
    return render(request, "organize/audiences/delete.html", {
        "audience": audience, "call_lists": audience.call_lists.count(),
    })


@login_required
def audience_count(request):
    """The live count of the builder's filters (JSON, for audiences.js)."""
    _organizers_only(request.user)
    form = AudienceFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return JsonResponse({"errors": errors}, status=400)
    definition = form.definition()
    if definition_uses_status(definition) and not status_unlocked(request):
        return JsonResponse({"errors": [_(
            "Counting by permit expiry needs the code from your authenticator app: press "
            "Count.")]}, status=403)
    count = count_of(definition, request.user)
    return JsonResponse({"count": count, "text": _people_count_text(count),
                         "definition": json.dumps(definition)})


@login_required
def audience_list(request):
    _organizers_only(request.user)
    audiences = list(audiences_visible_to(request.user)
                     .select_related("chapter", "organization")[:200])
    editable = set(audiences_editable_by(request.user).values_list("pk", flat=True))
    # Each audience is counted live, within what this account sees (a stored count would
    # tell one organizer another's numbers). On a large database that is up to a second
    # each: past the budget, the rest are counted by the page's script, one request
    # each, or on the audience's own page without it.
    started = time.monotonic()
    locked = status_locked(request)
    for audience in audiences:
        audience.editable = audience.pk in editable
        audience.count = None
        # An audience that uses status is counted once the session's code is recent.
        audience.locked = audience.uses_status and locked
        audience.later = (not audience.locked and time.monotonic() - started
                          >= settings.AUDIENCE_LIST_COUNT_SECONDS)
        if not (audience.later or audience.locked):
            audience.count = _safe_count(audience.definition, request.user)
    return render(request, "organize/audiences/list.html", {
        "audiences": audiences, "later": any(audience.later for audience in audiences),
        "status_step_up": step_up_url(request) if locked else ""})


@login_required
def saved_audience_count(request, pk: int):
    """The count of a saved audience (JSON, for audience-list.js)."""
    audience = _audience(request.user, pk)
    if audience.uses_status and not status_unlocked(request):
        return JsonResponse({"text": "—"}, status=403)
    count = _safe_count(audience.definition, request.user)
    if count is None:
        return JsonResponse({"text": "—"})
    return JsonResponse({"count": count, "text": formats.number_format(
        count, force_grouping=True)})


def _dates(row: dict, since: str = "since", until: str = "until") -> str:
    start, end = row.get(since), row.get(until)
    if start and end:
        return _("from %(start)s to %(end)s") % {"start": start, "end": end}
    if start:
        return _("from %(start)s") % {"start": start}
    if end:
        return _("until %(end)s") % {"end": end}
    return ""


def definition_described(definition: dict, user) -> list[tuple[str, str]]:
    """The filters in words, as (label, text)."""
    words = []
    names = {
        "chapters": (_("Chapters"), Chapter.objects, "name"),
        "tags": (_("Tags"), Tag.objects, "name"),
        "committees": (_("Committees"), Committee.objects, "name"),
    }
    for key in ("chapters", "languages", "tags", "committees", "consent"):
        values = definition.get(key)
        if not values:
            continue
        if key in names:
            label, manager, field = names[key]
            text = ", ".join(manager.filter(pk__in=values).order_by(field)
                             .values_list(field, flat=True))
        elif key == "languages":
            label = _("Languages")
            choices = dict(settings.CONTENT_LANGUAGES)
            text = ", ".join(str(choices.get(code, code)) for code in values)
        else:
            label = _("Consented to")
            channels = {"email": _("E-mail"), "sms": _("SMS"), "phone": _("Phone calls")}
            text = ", ".join(str(channels[c]) for c in values)
        words.append((str(label), text or "—"))
    kinds = dict(kind_choices())
    campaign_ids = {row["campaign"] for key in ("did", "did_not")
                    for row in definition.get(key, []) if row.get("campaign")}
    titles = {c.pk: localized(c.title) or c.slug
              for c in campaigns_visible_to(user).filter(pk__in=campaign_ids)}
    for key, label in (("did", _("Did")), ("did_not", _("Did not"))):
        for row in definition.get(key, []):
            parts = [str(kinds.get(row["kind"], row["kind"])) if row["kind"]
                     else _("anything")]
            if row.get("campaign"):
                parts.append(_("in the campaign %(title)s") % {
                    "title": titles.get(row["campaign"], _("another campaign"))})
            if row.get("object_type"):
                parts.append(f"({row['object_type']} {row.get('object_id') or ''})".strip())
            if _dates(row):
                parts.append(_dates(row))
            words.append((str(label), " ".join(parts)))
    actions = definition.get("actions")
    if actions:
        low, high = actions.get("min"), actions.get("max")
        if low is not None and high is not None:
            text = _("from %(min)s to %(max)s") % {"min": low, "max": high}
        elif low is not None:
            text = _("at least %(min)s") % {"min": low}
        else:
            text = _("at most %(max)s") % {"max": high}
        period = _dates(actions)
        words.append((_("Number of actions"), f"{text} {period}".strip()))
    last = definition.get("last_activity")
    if last:
        parts = []
        if last.get("after"):
            parts.append(_("on or after %(date)s") % {"date": last["after"]})
        if last.get("before"):
            parts.append(_("before %(date)s") % {"date": last["before"]})
        words.append((_("Last activity"), ", ".join(parts)))
    permit = definition.get("permit_expiry")
    if permit and status_access(user):
        words.append((_("Permit ends"), _dates(permit, "from", "to")))
    return words


def _audience(user, pk: int) -> Audience:
    """An audience the account may see (one that uses status only with status access)."""
    _organizers_only(user)
    return get_object_or_404(audiences_visible_to(user).select_related("chapter"), pk=pk)


@login_required
def audience_detail(request, pk: int):
    audience = _audience(request.user, pk)
    if audience.uses_status and not status_unlocked(request):
        return step_up_redirect(request)
    try:
        people = audience_people(audience.definition, request.user)
        count = count_of(audience.definition, request.user)
        first = list(people.select_related("home_chapter").order_by("chosen_name", "id")
                     [:FIRST_NAMES])
    except ValueError as error:
        messages.error(request, str(error))
        count, first = None, []
    return render(request, "organize/audiences/detail.html", {
        "audience": audience,
        "count": count,
        "count_text": _people_count_text(count) if count is not None else "",
        "people": first,
        "words": definition_described(audience.definition, request.user),
        "editable": audience_may_edit(request.user, audience),
    })


@login_required
def audience_export(request, pk: int):
    """GET: the export form for the audience; POST: the file (audited as every export)."""
    audience = _audience(request.user, pk)
    if audience.uses_status and not status_unlocked(request):
        return step_up_redirect(request, reverse("organize:audience_export", args=[audience.pk]))
    try:
        people = audience_people(audience.definition, request.user)
    except ValueError:
        raise Http404("audience definition not valid") from None
    form = PeopleExportForm(request.POST or None, with_status=status_unlocked(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = exporting.people_export(
                user=request.user, queryset=people, columns=data["columns"],
                file_format=data["file_format"],
                include_status=bool(data.get("include_status") and data.get("confirm_status")),
                # Which audience, never its values (a permit window would tell too much).
                filters={"audience": audience.pk,
                         "permit_filter": "permit_expiry" in audience.definition},
                via="audience",
            )
        except ExportTooLarge as error:
            form.add_error("file_format", str(error))
        else:
            return _file_response(export)
    return render(request, "organize/audiences/export.html", {
        "audience": audience, "form": form, "count": count_of(audience.definition, request.user),
        "detail_url": reverse("organize:audience_detail", args=[audience.pk]),
        "status_step_up": step_up_url(request) if status_locked(request) else "",
    })
