"""Public campaign story ("how we won") and toolkit downloads (issue 7).

The story page exists only once organizers publish it; it shows the demands, the public
timeline, the public toolkit and what one can still do (open petitions, actions, events).
A download counts once per GET (never on HEAD) and serves the file or follows the link.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from solidaire.advocacy.models import Action
from solidaire.campaigns.models import Campaign, Publication, Resource
from solidaire.campaigns.timeline import campaign_timeline
from solidaire.campaigns.toolkit import public_resource, public_resources, resource_download_record
from solidaire.core.i18n import content_language_name, localized
from solidaire.events.selectors import listed_events
from solidaire.petitions.models import Petition, SignOn

UPCOMING_EVENTS = 10


def _published_campaign(slug: str) -> Campaign:
    campaign = (Campaign.objects.filter(slug=slug, story_published=True)
                .select_related("organization").first())
    if campaign is None:
        raise Http404("no published story for this campaign")
    return campaign


def _toolkit(campaign: Campaign) -> list[dict]:
    """Public resources grouped by kind, in the order of the kinds."""
    order = {value: n for n, value in enumerate(Resource.Kind.values)}
    groups: dict[str, list[Resource]] = {}
    for resource in public_resources(campaign):
        resource.language_name = content_language_name(resource.language)
        groups.setdefault(resource.kind, []).append(resource)
    return [{"kind": kind, "label": Resource.Kind(kind).label, "resources": groups[kind]}
            for kind in sorted(groups, key=lambda k: order.get(k, len(order)))]


def _next_steps(campaign: Campaign) -> dict:
    now = timezone.now()
    return {
        "petitions": list(Petition.objects.filter(campaign=campaign, status=Publication.OPEN)
                          .order_by("-created_at")),
        "signons": list(SignOn.objects.filter(campaign=campaign, status=Publication.OPEN)
                        .order_by("-created_at")),
        "actions": list(Action.objects.filter(campaign=campaign, status=Publication.OPEN)
                        .order_by("-created_at")),
        "events": list(listed_events().filter(campaign=campaign, ends_at__gte=now)
                       .order_by("starts_at")[:UPCOMING_EVENTS]),
    }


@require_safe
def campaign_story(request, slug: str):
    campaign = _published_campaign(slug)
    intro = localized(campaign.story_intro)
    steps = _next_steps(campaign)
    return render(request, "public/campaigns/story.html", {
        "campaign": campaign,
        "paragraphs": [p.strip() for p in intro.split("\n\n") if p.strip()],
        "demands": campaign.demands.order_by("position", "id"),
        "timeline": campaign_timeline(campaign, public=True),
        "toolkit": _toolkit(campaign),
        "steps": steps,
        "has_steps": any(steps.values()),
    })


@require_safe
def resource_download(request, slug: str, pk: int):
    resource = public_resource(slug=slug, pk=pk)
    if resource is None or not (resource.file or resource.url):
        raise Http404("no such public resource")
    if resource.file:
        try:
            handle = resource.file.open("rb")
        except FileNotFoundError:
            raise Http404("the file is missing") from None
        name = PurePath(resource.file.name).name
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(handle, as_attachment=True, filename=name,
                                content_type=content_type)
    else:
        response = HttpResponseRedirect(resource.url)
    if request.method == "GET":
        resource_download_record(resource=resource)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
