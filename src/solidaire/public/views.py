"""The public, supporter-facing pages: the home page, a chapter's page and "start a chapter".

The home page and a chapter's page lead with what one can do now (decision 0066): open
petitions with their counts, call and e-mail actions, sign-ons, the next events, and the
campaigns whose story one can read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.advocacy.models import Action
from solidaire.advocacy.selectors import public_open_actions
from solidaire.campaigns.selectors import public_campaigns
from solidaire.core.i18n import content_language_name, localized
from solidaire.events.selectors import upcoming_listed_events
from solidaire.membership.services import chapter_request_submit
from solidaire.organizing.models import Chapter, Organization
from solidaire.organizing.selectors import host_organization, public_chapter, public_chapters
from solidaire.people.normalize import format_phone
from solidaire.people.services import email_address_confirm, email_address_from_token
from solidaire.petitions.selectors import public_open_petitions, public_open_signons

from . import petition_views
from .event_views import _decorate as decorate_events
from .forms import ChapterStartForm

# How many of each kind of thing to do a page lists: the page stays short and light.
LISTED = 6
UPCOMING_EVENTS = 4


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


@dataclass
class FirstStep:
    """The page's main call to action: the most important thing open now."""
    title: str
    summary: str
    url: str
    label: str
    count: int | None = None


def _first_step(petitions, actions, signons, events) -> FirstStep | None:
    """A petition first (anyone can sign in a minute), then a call or e-mail, a sign-on,
    an event; the lists come ranked, so the first of a list is its most important."""
    if petitions:
        petition = petitions[0]
        return FirstStep(petition.display_title, petition.display_summary,
                         reverse("public:petition", args=[petition.slug]),
                         _("Sign the petition"), petition.count)
    if actions:
        action = actions[0]
        label = _("Send the e-mail") if action.kind == Action.Kind.EMAIL else _("Make the call")
        return FirstStep(action.display_title, localized(action.intro),
                         reverse("public:action", args=[action.slug]), label)
    if signons:
        sign_on = signons[0]
        return FirstStep(sign_on.display_title, "", reverse("public:signon", args=[sign_on.slug]),
                         _("Sign on as an organization"))
    if events:
        event = events[0]
        return FirstStep(event.display_title, event.display_summary,
                         reverse("public:event", args=[event.slug]), _("Join us"))
    return None


def _ranked(items, organization_id: int | None) -> list:
    """The organization's own items for all its chapters first, then the others (newest
    first within each: the querysets come that way)."""
    return sorted(items, key=lambda item: (item.organization_id != organization_id,
                                           item.chapter_id is not None))


def _things_to_do(organization_id: int | None, chapter: Chapter | None = None) -> dict:
    """What one can do now, for everyone or for one chapter's people (decision 0066)."""
    petitions = _ranked(public_open_petitions(chapter)[:LISTED], organization_id)
    counts = petition_views.counts(petitions)
    for petition in petitions:
        petition.count = counts[petition.pk]
    actions = _ranked(public_open_actions(chapter)[:LISTED], organization_id)
    signons = _ranked(public_open_signons(chapter)[:LISTED], organization_id)
    events = decorate_events(upcoming_listed_events(chapter)[:UPCOMING_EVENTS])
    first = _first_step(petitions, actions, signons, events)
    # The main call to action is not listed again below it.
    if petitions:
        petitions = petitions[1:]
    elif actions:
        actions = actions[1:]
    elif signons:
        signons = signons[1:]
    elif events:
        events = events[1:]
    return {"organization_id": organization_id, "first_step": first, "petitions": petitions,
            "actions": actions, "signons": signons, "events": events,
            "has_more": bool(petitions or actions or signons)}


@require_safe
def home(request):
    host = host_organization()
    context = {
        "host": host,
        **_things_to_do(host.pk if host else None),
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


@require_safe
def chapter_page(request, slug: str):
    """A listed chapter's page: what its people can do now, and how to reach it."""
    chapter = public_chapter(slug)
    if chapter is None:
        raise Http404("no such public chapter")
    return render(request, "public/chapter.html", {
        "chapter": chapter,
        "languages": [content_language_name(code) for code in chapter.languages],
        "phone": format_phone(chapter.contact_phone) if chapter.contact_phone else "",
        **_things_to_do(chapter.organization_id, chapter),
        "campaigns": list(public_campaigns(chapter.organization_id)),
    })


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

