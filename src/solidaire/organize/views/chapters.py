"""The chapter tree, a chapter, and the requests to start one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solidaire.membership.models import ChapterRequest
from solidaire.membership.selectors import (
    chapter_requests_decided_by,
    may_decide_chapter_requests,
)
from solidaire.membership.services import chapter_request_approve, chapter_request_decline
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import (
    chapters_editable_by,
    chapters_visible_to,
    organizations_run_by,
)
from solidaire.organizing.services import chapter_create, chapter_update

from .. import selectors
from ..forms.chapters import ChapterForm, ChapterRequestApproveForm
from .editing import save_or_slug_error


@login_required
def chapter_list(request):
    return render(request, "organize/chapters/list.html", {
        "chapters": selectors.chapter_tree_with_counts(request.user),
        "may_add": organizations_run_by(request.user).exists(),
    })


@login_required
def chapter_detail(request, slug: str):
    visible = chapters_visible_to(request.user)
    chapter = get_object_or_404(visible.select_related("organization"), slug=slug)
    parent = Chapter.objects.get_parent(chapter)
    return render(request, "organize/chapters/detail.html", {
        "chapter": chapter,
        "parent": parent,
        "parent_visible": parent is not None and visible.filter(pk=parent.pk).exists(),
        "children": Chapter.objects.get_children(chapter),
        "committees": chapter.committees.order_by("name"),
        "people_count": selectors.chapter_people_count(request.user, chapter),
    })


def _chapter_form_page(request, form, *, chapter=None, parent=None):
    return render(request, "organize/chapters/form.html",
                  {"form": form, "chapter": chapter, "parent": parent})


def _created(request, chapter):
    messages.success(request, _("The chapter %(name)s was created.") % {"name": chapter.name})
    return redirect("organize:chapter_detail", slug=chapter.slug)


@login_required
def chapter_add(request):
    """A chapter at the top of the tree: coordinators of the organization only."""
    if not organizations_run_by(request.user).exists():
        raise Http404("coordinators only")
    form = ChapterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        chapter = save_or_slug_error(form, lambda: chapter_create(
            actor=request.user, **form.service_arguments()))
        if chapter is not None:
            return _created(request, chapter)
    return _chapter_form_page(request, form)


@login_required
def chapter_add_child(request, slug: str):
    """A chapter below one in the account's scope."""
    parent = get_object_or_404(chapters_editable_by(request.user).select_related("organization"),
                               slug=slug)
    form = ChapterForm(request.POST or None, user=request.user, parent=parent)
    if request.method == "POST" and form.is_valid():
        chapter = save_or_slug_error(form, lambda: chapter_create(
            organization=parent.organization, parent=Chapter.objects.get(pk=parent.pk),
            actor=request.user, **form.service_arguments()))
        if chapter is not None:
            return _created(request, chapter)
    return _chapter_form_page(request, form, parent=parent)


@login_required
def chapter_edit(request, slug: str):
    chapter = get_object_or_404(
        chapters_editable_by(request.user).select_related("organization"), slug=slug)
    form = ChapterForm(request.POST or None, user=request.user, instance=chapter)
    if request.method == "POST" and form.is_valid():
        saved = save_or_slug_error(form, lambda: chapter_update(
            chapter=chapter, actor=request.user, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organize:chapter_detail", slug=saved.slug)
    return _chapter_form_page(request, form, chapter=chapter)


def _coordinator_requests(request):
    # To those who do not decide on new chapters, the pages do not exist.
    if not may_decide_chapter_requests(request.user):
        raise Http404("coordinators only")
    return chapter_requests_decided_by(request.user).select_related("organization")


@login_required
def chapter_request_list(request):
    requests = _coordinator_requests(request)
    return render(request, "organize/chapter_requests/list.html", {
        "pending": requests.filter(status=ChapterRequest.Status.PENDING),
        "decided": requests.exclude(status=ChapterRequest.Status.PENDING)
        .select_related("chapter").order_by("-decided_at")[:20],
    })


def _already_decided(request, pk: int):
    messages.error(request, _("This request was already decided."))
    return redirect("organize:chapter_request_detail", pk=pk)


@login_required
def chapter_request_detail(request, pk: int):
    """A request, with the approve form (parent chapter, kind) and a decline button."""
    chapter_request = get_object_or_404(_coordinator_requests(request), pk=pk)
    is_pending = chapter_request.status == ChapterRequest.Status.PENDING
    decision = request.POST.get("decision") if request.method == "POST" else None
    if decision and not is_pending:
        return _already_decided(request, pk)
    if decision == "decline":
        try:
            chapter_request_decline(request=chapter_request, actor=request.user)
        except ValueError:  # another coordinator decided in the meantime
            return _already_decided(request, pk)
        messages.success(request, _("The request was declined."))
        return redirect("organize:chapter_requests")
    form = ChapterRequestApproveForm(
        request.POST if decision == "approve" else None,
        user=request.user, chapter_request=chapter_request,
    )
    if form.is_valid():
        try:
            chapter = chapter_request_approve(
                request=chapter_request, parent=form.cleaned_data["parent"],
                kind=form.cleaned_data["kind"], actor=request.user,
            )
        except ValueError:
            return _already_decided(request, pk)
        messages.success(request, _("The chapter %(name)s was created.") % {"name": chapter.name})
        return redirect("organize:chapter_detail", slug=chapter.slug)
    return render(request, "organize/chapter_requests/detail.html", {
        "chapter_request": chapter_request, "form": form, "is_pending": is_pending,
    })
