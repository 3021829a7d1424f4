"""Organizer pages for targets: list, add, a target (read and edit), CSV import.

Targets are shared by every organization (decision 0019): every account with a
role reads them; coordinators and chapter organizers add, change and import them.
Anyone else gets a 404, as for any page they may not use.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from solidaire.campaigns import targets_csv
from solidaire.campaigns.selectors import (
    target_get,
    targets_editable_by,
    targets_list,
    targets_viewable_by,
)
from solidaire.campaigns.services import target_create, target_update, targets_import
from solidaire.core.uploads import quota_message, upload_quota_spent

from ..forms.targets import (
    SOCIAL_LABELS,
    TargetFilterForm,
    TargetForm,
    TargetImportForm,
    office_formset,
)

TARGETS_PER_PAGE = 50


def _require_viewer(user) -> None:
    if not targets_viewable_by(user):
        raise Http404("no access to targets")


def _require_editor(user) -> None:
    if not targets_editable_by(user):
        raise Http404("targets are not editable by this account")


def _taken_error(form) -> None:
    form.add_error("name", _("A target of this kind with this name and riding is already "
                             "recorded."))


@login_required
def target_list(request):
    _require_viewer(request.user)
    form = TargetFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is left out, and the form shows its error
        filters = form.filters()
    page = Paginator(targets_list(**filters), TARGETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organize/targets/list.html", {
        "form": form, "page": page, "may_edit": targets_editable_by(request.user),
    })


def _saved(form, offices, save) -> object | None:
    """Run `save` when both forms are valid; a race on the unique name shows as an error."""
    if not (form.is_valid() and offices.is_valid()):
        return None
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        _taken_error(form)
        return None


@login_required
def target_add(request):
    _require_editor(request.user)
    data = request.POST if request.method == "POST" else None
    form = TargetForm(data)
    offices = office_formset(data)
    if data is not None:
        target = _saved(form, offices, lambda: target_create(
            actor=request.user, offices=offices.offices(), **form.service_arguments()))
        if target is not None:
            messages.success(request, _("%(name)s was added.") % {"name": target.name})
            return redirect("organize:target_detail", pk=target.pk)
    return render(request, "organize/targets/form.html", {
        "form": form, "offices": offices, "target": None,
    })


@login_required
def target_detail(request, pk: int):
    _require_viewer(request.user)
    target = target_get(pk)
    if target is None:
        raise Http404("no such target")
    may_edit = targets_editable_by(request.user)
    if request.method == "POST" and not may_edit:
        raise Http404("targets are not editable by this account")
    form = offices = None
    if may_edit:
        data = request.POST if request.method == "POST" else None
        form = TargetForm(data, instance=target)
        offices = office_formset(data, target=target)
        if data is not None:
            saved = _saved(form, offices, lambda: target_update(
                target=target, actor=request.user, offices=offices.offices(),
                **form.service_arguments()))
            if saved is not None:
                messages.success(request, _("The changes were saved."))
                return redirect("organize:target_detail", pk=saved.pk)
    return render(request, "organize/targets/detail.html", {
        "target": target, "offices_list": list(target.offices.all()),
        "social": [(SOCIAL_LABELS.get(network, network), handle)
                   for network, handle in target.social.items()],
        "form": form, "offices": offices, "may_edit": may_edit,
    })


@login_required
def target_import(request):
    _require_editor(request.user)
    form = TargetImportForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        try:
            if upload_quota_spent(request):
                raise targets_csv.CsvFileError(quota_message())
            summary = targets_import(content=form.cleaned_data["file"].read(),
                                     update=form.cleaned_data["update"], actor=request.user)
        except targets_csv.CsvFileError as error:
            form.add_error("file", error.message)
    return render(request, "organize/targets/import.html", {"form": form, "summary": summary})
