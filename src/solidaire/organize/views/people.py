"""The people list, adding, reading and editing a person."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from solidaire.core.access import scope_for
from solidaire.core.crypto import DecryptionError
from solidaire.people.selectors import (
    people_visible_to,
    status_access,
    status_recorded,
    status_unlocked,
)
from solidaire.people.services import (
    contact_point_decide,
    status_clear,
    status_read,
    status_set,
    suggestion_apply,
    suggestion_dismiss,
)

from .. import selectors, services
from ..forms.people import PeopleFilterForm, PersonAddForm, PersonEditForm, PersonStatusForm
from ..status_gate import status_locked, step_up_redirect, step_up_url

logger = logging.getLogger(__name__)


def _email_taken_meanwhile() -> str:
    # Someone recorded the same e-mail between the form's check and the insert.
    return _("This e-mail address was just recorded for someone else.")


def _people_scope_or_404(user) -> None:
    """Volunteers (no people in their scope) have no people list and add nobody: a 404,
    as for the person pages, imports, exports and duplicates."""
    if scope_for(user).is_empty:
        raise Http404("no people scope")


@login_required
def people_list(request):
    _people_scope_or_404(request.user)
    form = PeopleFilterForm(request.GET or None, user=request.user)
    filters = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is left out, and the form shows its error
        filters = form.filters()
        if filters["permit_within"] and status_locked(request):
            return step_up_redirect(request)  # filtering by permit is reading status
    people = selectors.people_list(request.user, **filters)
    page = Paginator(people, settings.PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organize/people/list.html", {"form": form, "page": page})


@login_required
def person_add(request):
    _people_scope_or_404(request.user)
    form = PersonAddForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_add(actor=request.user, **form.service_arguments())
        except IntegrityError:
            form.add_error("email", _email_taken_meanwhile())
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.chosen_name})
            return redirect("organize:person_detail", pk=person.pk)
    return render(request, "organize/people/form.html", {"form": form, "person": None})


@sensitive_variables()
def _person_page(request, person, *, status_form=None):
    context = {
        "person": person,
        "emails": person.emails.all(),
        "phones": person.phones.all(),
        "suggestions": person.suggestions.all(),
        "other_languages": person.other_languages.all(),
        "tags": person.tags.all(),
        "consent": selectors.person_consent(person),
        "memberships": selectors.person_committee_memberships(request.user, person),
        "activities": selectors.person_activities(person),
    }
    # Immigration status: values only for status-access accounts whose session passed
    # the second factor recently (each view audited); a status-access account is offered
    # the code first; others learn only whether one is recorded.
    if status_unlocked(request):
        try:
            view = status_read(person=person, actor=request.user)
        except DecryptionError:
            # Wrong or missing key: say so rather than show anything else (logged by
            # Django without the value: the exception holds none).
            logger.exception("A status does not open with the current keys.")
            view, context["status_unreadable"] = None, True
        context["status_view"] = view
        context["status_form"] = status_form or PersonStatusForm(
            initial=PersonStatusForm.initial_from(view),
        )
    else:
        context["status_recorded"] = status_recorded(person)
        if status_access(request.user):
            back = reverse("organize:person_detail", args=[person.pk]) + "#status"
            context["status_step_up"] = step_up_url(request, back)
    return render(request, "organize/people/detail.html", context)


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    return _person_page(request, person)


@sensitive_post_parameters()
@sensitive_variables()
@login_required
def person_status(request, pk: int):
    """The status form of the person page posts here; the service checks status access."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    if not status_access(request.user):
        raise PermissionDenied
    back = reverse("organize:person_detail", args=[person.pk]) + "#status"
    if request.method != "POST":
        return redirect(back)
    if not status_unlocked(request):
        # The page was opened before the code went stale: the code, then the page again.
        return step_up_redirect(request, back)
    if request.POST.get("action") == "clear":
        status_clear(person=person, actor=request.user)
        messages.success(request, _("The status was removed."))
        return redirect(reverse("organize:person_detail", args=[person.pk]) + "#status")
    form = PersonStatusForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, status_form=form)
    status_set(person=person, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The status was saved."))
    return redirect(reverse("organize:person_detail", args=[person.pk]) + "#status")


@login_required
def person_edit(request, pk: int):
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    form = PersonEditForm(request.POST or None, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_edit(person=person, actor=request.user, **form.service_arguments())
        except IntegrityError:
            form.add_error("new_email", _email_taken_meanwhile())
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:person_detail", pk=person.pk)
    return render(request, "organize/people/form.html", {"form": form, "person": person})


@login_required
def person_contact_decide(request, pk: int):
    """An e-mail or phone typed on a form, waiting for confirmation: it is theirs, or it
    is not (decision 0036)."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    back = reverse("organize:person_detail", args=[person.pk]) + "#from-forms"
    if request.method != "POST":
        return redirect(back)
    kind = request.POST.get("kind", "")
    try:
        point_id = int(request.POST.get("id", ""))
    except ValueError:
        point_id = 0
    if kind not in ("email", "phone") or not point_id:
        messages.error(request, _("Nothing was changed: choose an address or a number."))
        return redirect(back)
    accept = request.POST.get("action") == "accept"
    if contact_point_decide(person=person, kind=kind, point_id=point_id, accept=accept,
                            actor=request.user):
        messages.success(request, _("Kept as theirs.") if accept else _("Removed."))
    return redirect(back)


@login_required
def person_suggestion_decide(request, pk: int):
    """A value typed on a form for this person: use it, or keep the record as it is."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    back = reverse("organize:person_detail", args=[person.pk]) + "#from-forms"
    if request.method != "POST":
        return redirect(back)
    try:
        suggestion = person.suggestions.filter(pk=int(request.POST.get("id", ""))).first()
    except ValueError:
        suggestion = None
    if suggestion is None:
        return redirect(back)
    if request.POST.get("action") == "apply":
        suggestion_apply(suggestion=suggestion, actor=request.user)
        messages.success(request, _("The record now says what was typed on the form."))
    else:
        suggestion_dismiss(suggestion=suggestion, actor=request.user)
        messages.success(request, _("The record is kept as it was."))
    return redirect(back)

