"""The duplicate finder: ranked possible duplicates, side-by-side review, bulk merge."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from solidaire.core.access import scope_for
from solidaire.people.duplicates import (
    BULK_MERGE_MAX,
    CONFIDENT_SCORE,
    duplicate_mark_distinct,
    duplicate_merge,
    duplicate_pairs_visible_to,
    duplicates_last_scan,
    duplicates_merge_confident,
    duplicates_scan_waiting,
    merge_direction,
    reason_labels,
)
from solidaire.people.models import DuplicatePair, Person
from solidaire.people.tasks import duplicates_scan_task

from .. import selectors
from ..forms.duplicates import BulkMergeForm, MinimumScoreForm


def _open_pairs(user):
    """Open pairs the account sees; volunteers (and accounts without a scope) get a 404."""
    if scope_for(user).is_empty:
        raise Http404("no people in scope")
    return duplicate_pairs_visible_to(user).filter(decision=DuplicatePair.Decision.OPEN)


@login_required
def duplicate_list(request):
    pairs = _open_pairs(request.user)
    form = MinimumScoreForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["min_score"] is not None:
        pairs = pairs.filter(score__gte=form.cleaned_data["min_score"])
    pairs = pairs.select_related("person_low__home_chapter", "person_high__home_chapter")
    page = Paginator(pairs.order_by("-score", "person_low_id", "person_high_id"),
                     settings.PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    for pair in page.object_list:
        pair.reason_labels = reason_labels(pair.reasons)
    return render(request, "organize/people/duplicates.html", {
        "form": form, "page": page, "last_scan": duplicates_last_scan(),
        "scan_waiting": duplicates_scan_waiting(), "confident_score": CONFIDENT_SCORE,
    })


@login_required
@require_POST
def duplicate_scan(request):
    _open_pairs(request.user)
    if duplicates_scan_waiting():
        messages.info(request, _("A scan is already waiting or running."))
    else:
        duplicates_scan_task.enqueue()
        messages.success(request, _("The scan has started. Its results appear here when it "
                                    "ends, in a few minutes for a large list."))
    return redirect("organize:duplicates")


@login_required
def duplicate_review(request, pk: int):
    pair = get_object_or_404(
        _open_pairs(request.user).select_related("person_low__home_chapter",
                                                 "person_high__home_chapter"),
        pk=pk,
    )
    left, right = pair.person_low, pair.person_high
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "distinct":
            duplicate_mark_distinct(pair=pair, actor=request.user)
            messages.success(request, _("Marked as two different people. This pair will not "
                                        "be suggested again."))
            return redirect("organize:duplicates")
        if action in ("keep_left", "keep_right"):
            keep, remove = (left, right) if action == "keep_left" else (right, left)
            removed_name = remove.chosen_name
            try:
                keep = duplicate_merge(pair=pair, keep=keep, actor=request.user)
            except (ValueError, Person.DoesNotExist, DuplicatePair.DoesNotExist) as exc:
                raise Http404("pair decided or merged meanwhile") from exc
            messages.success(request, _("The record of %(removed)s was merged into %(kept)s.")
                             % {"removed": removed_name, "kept": keep.chosen_name})
            return redirect("organize:duplicates")
        messages.error(request, _("Choose one of the three buttons."))
    sides = [selectors.merge_side(request.user, person) for person in (left, right)]
    contact_points = {side.person.pk: len(side.emails) + len(side.phones) for side in sides}
    keep_id, _remove_id = merge_direction(pair, contact_points)
    return render(request, "organize/people/duplicates_review.html", {
        "pair": pair, "sides": sides, "reasons": reason_labels(pair.reasons),
        "suggested_keep": keep_id,
    })


@login_required
def duplicate_bulk_merge(request):
    pairs = _open_pairs(request.user)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BulkMergeForm(data, initial={"min_score": CONFIDENT_SCORE})
    min_score = CONFIDENT_SCORE
    if form.is_bound and form.is_valid():
        min_score = form.cleaned_data["min_score"]
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Tick this box to merge."))
        else:
            merged = duplicates_merge_confident(user=request.user, min_score=min_score,
                                                actor=request.user)
            messages.success(request, ngettext(
                "%(count)s pair was merged.", "%(count)s pairs were merged.", merged,
            ) % {"count": merged})
            left = pairs.filter(score__gte=min_score).count()
            if left:
                messages.info(request, ngettext(
                    "%(count)s pair above this confidence is left: merge again to go on.",
                    "%(count)s pairs above this confidence are left: merge again to go on.",
                    left,
                ) % {"count": left})
            return redirect("organize:duplicates")
    count = pairs.filter(score__gte=min_score).count()
    return render(request, "organize/people/duplicates_bulk_merge.html", {
        "form": form, "count": count, "min_score": min_score, "limit": BULK_MERGE_MAX,
    })
