"""The public, supporter-facing pages: the home page and "start a chapter"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.campaigns.selectors import public_campaigns
from solidaire.core.i18n import content_language_name, localized
from solidaire.membership.services import chapter_request_submit
from solidaire.organizing.models import Chapter, Organization
from solidaire.organizing.selectors import host_organization, public_chapters
from solidaire.people.normalize import format_phone
from solidaire.people.services import email_address_confirm, email_address_from_token

from .forms import ChapterStartForm


@dataclass
class ChapterNode:
    chapter: Chapter
    languages: list[str]
    children: list[ChapterNode] = field(default_factory=list)


@dataclass
class ChapterGroup:
    organization: Organization
    roots: list[ChapterNode] = field(default_factory=list)


def chapter_groups(chapters: Iterable[Chapter], host: Organization | None) -> list[ChapterGroup]:
    """Chapters (in tree order) as one nested tree per organization, the host first.

    A chapter whose parent is not listed (not public, or of another organization)
    hangs from its nearest listed ancestor, or starts a tree of its own.
    """
    groups: dict[int, ChapterGroup] = {}
    stacks: dict[int, list[ChapterNode]] = {}
    for chapter in chapters:
        group = groups.setdefault(chapter.organization_id, ChapterGroup(chapter.organization))
        stack = stacks.setdefault(chapter.organization_id, [])
        while stack and not chapter.path.startswith(stack[-1].chapter.path):
            stack.pop()
        node = ChapterNode(chapter, [str(content_language_name(c)) for c in chapter.languages])
        (stack[-1].children if stack else group.roots).append(node)
        stack.append(node)
    host_id = host.pk if host else None
    return sorted(
        groups.values(),
        key=lambda g: (g.organization.pk != host_id, g.organization.name.casefold()),
    )


@require_safe
def home(request):
    host = host_organization()
    context = {
        "host": host,
        "campaigns": list(public_campaigns()),
        "chapter_groups": chapter_groups(public_chapters(), host),
    }
    if host is not None:
        context.update(
            site_name=host.name,
            host_description=localized(host.description),
            host_phone=format_phone(host.phone) if host.phone else "",
        )
    return render(request, "public/home.html", context)


@require_http_methods(["GET", "POST"])
def chapter_start(request):
    host = host_organization()
    if request.method == "POST":
        form = ChapterStartForm(request.POST, host=host)
        if form.is_valid():
            if not form.is_robot:
                data = form.cleaned_data
                chapter_request_submit(
                    organization=data["organization"],
                    chapter_name=data["chapter_name"],
                    city=data["city"],
                    contact_name=data["contact_name"],
                    contact_email=data["email"],
                    contact_phone=data["phone"],
                    language=data["language"],
                    message=data["message"],
                )
            # A robot that filled the hidden field sees the same page as a person.
            return redirect("public:chapter_start_thanks")
    else:
        form = ChapterStartForm(host=host)
    return render(request, "public/chapter_start.html", {"form": form, "host": host})


@require_safe
def chapter_start_thanks(request):
    return render(request, "public/chapter_start_thanks.html")


@csrf_exempt  # the signed link is the credential; GET never changes anything
@require_http_methods(["GET", "HEAD", "POST"])
def email_confirm(request, token: str):
    """The link sent to an address typed on a form for someone already recorded
    (decision 0036). A button, not the GET, confirms: mail scanners open links."""
    address = email_address_from_token(token)
    if address is None:
        response = render(request, "public/people/email_confirm.html", {"invalid": True},
                          status=400)
    else:
        confirmed = address.confirmed_at is not None
        if request.method == "POST" and not confirmed:
            email_address_confirm(address=address)
            confirmed = True
        response = render(request, "public/people/email_confirm.html", {
            "confirmed": confirmed, "token": token, "address": address.address,
            "organization": address.organization.name,
        })
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response

