"""Merging two records of the same person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.people.models import Person
from solidaire.people.selectors import people_visible_to
from solidaire.people.services import person_merge

from .. import selectors
from ..forms.merge import MergeForm, MergeSearchForm


@login_required
def person_merge_search(request, pk: int):
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    form = MergeSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    candidates = selectors.merge_candidates(request.user, person, q)
    return render(request, "organize/people/merge_search.html", {
        "person": person, "form": form, "q": q, "candidates": candidates,
    })


@login_required
def person_merge_confirm(request, pk: int, other_pk: int):
    if pk == other_pk:
        raise Http404("a record cannot be merged with itself")
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    # Two organizations' lists are never merged (decision 0035): another list's record
    # is not a merge candidate, whoever can see it.
    other = get_object_or_404(people_visible_to(request.user)
                              .filter(organization_id=person.organization_id), pk=other_pk)
    form = MergeForm(request.POST or None, first=person, second=other)
    if request.method == "POST" and form.is_valid():
        keep, remove = form.keep_and_remove()
        removed_name = remove.chosen_name
        try:
            keep = person_merge(keep=keep, remove=remove, actor=request.user)
        except Person.DoesNotExist as exc:  # merged or deleted by someone else meanwhile
            raise Http404("record gone") from exc
        messages.success(request, _("The record of %(removed)s was merged into %(kept)s.")
                         % {"removed": removed_name, "kept": keep.chosen_name})
        return redirect("organize:person_detail", pk=keep.pk)
    sides = [selectors.merge_side(request.user, p) for p in (person, other)]
    return render(request, "organize/people/merge_confirm.html", {
        "person": person, "other": other, "form": form, "sides": sides,
    })
