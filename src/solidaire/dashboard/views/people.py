"""The people list, adding, reading and editing a person."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.people.selectors import people_visible_to

from .. import selectors, services
from ..forms import PeopleFilterForm, PersonAddForm, PersonEditForm


def _email_taken_meanwhile() -> str:
    # Someone recorded the same e-mail between the form's check and the insert.
    return _("This e-mail address was just recorded for someone else.")


@login_required
def people_list(request):
    form = PeopleFilterForm(request.GET or None, user=request.user)
    filters = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is left out, and the form shows its error
        filters = form.filters()
    people = selectors.people_list(request.user, **filters)
    page = Paginator(people, settings.PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/people/list.html", {"form": form, "page": page})


@login_required
def person_add(request):
    form = PersonAddForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_add(actor=request.user, **form.service_arguments())
        except IntegrityError:
            form.add_error("email", _email_taken_meanwhile())
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.chosen_name})
            return redirect("dashboard:person_detail", pk=person.pk)
    return render(request, "dashboard/people/form.html", {"form": form, "person": None})


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    return render(request, "dashboard/people/detail.html", {
        "person": person,
        "emails": person.emails.all(),
        "phones": person.phones.all(),
        "other_languages": person.other_languages.all(),
        "tags": person.tags.all(),
        "consent": selectors.person_consent(person),
        "memberships": selectors.person_committee_memberships(request.user, person),
        "activities": selectors.person_activities(person),
    })


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
            return redirect("dashboard:person_detail", pk=person.pk)
    return render(request, "dashboard/people/form.html", {"form": form, "person": person})
