"""The petitions' part of a campaign's timeline: launched, goal reached, delivered.

Registered in PetitionsConfig.ready (see solidaire.campaigns.timeline).
"""

from __future__ import annotations

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from solidaire.campaigns.models import Publication
from solidaire.campaigns.timeline import (
    ORDER_DELIVERY,
    ORDER_GOAL,
    ORDER_LAUNCH,
    TimelineItem,
)

from .models import Delivery, Petition, Signature
from .selectors import petitions_visible_to


def _signatures(count: int) -> str:
    return ngettext("%(count)s signature", "%(count)s signatures", count) % {
        "count": number_format(count, force_grouping=True)}


def _counted_q() -> Q:
    """Signatures that count (as petitions.selectors.COUNTED: a petition with e-mail
    confirmation does not count the pending ones)."""
    return (Q(status=Signature.Status.COUNTED)
            | Q(status=Signature.Status.PENDING, petition__double_opt_in=False))


def _goal_dates(petitions: list[Petition]) -> dict[int, object]:
    """When each petition's goal-th counted signature came in, for those that got there:
    one query, numbering each petition's counted signatures by arrival."""
    ids = [p.pk for p in petitions if p.goal > 0]
    if not ids:
        return {}
    rows = (
        Signature.objects.filter(_counted_q(), petition_id__in=ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("petition_id")],
                              order_by=[F("created_at").asc(), F("id").asc()]),
                  goal=F("petition__goal"))
        .filter(rank=F("goal"))
        .values_list("petition_id", "created_at")
    )
    return dict(rows)


def petition_timeline(campaign, *, public: bool, user=None):
    """The campaign's petitions that are not drafts: on the public story all of them,
    in the campaign room only those `user` may see (as the organizer petition list)."""
    petitions = Petition.objects.all() if public else petitions_visible_to(user)
    petitions = list(petitions.filter(campaign=campaign)
                     .exclude(status=Publication.DRAFT).order_by("created_at", "id"))
    if not petitions:
        return []

    def url(petition):
        name = "public:petition" if public else "organize:petition_detail"
        return reverse(name, args=[petition.slug])

    items = []
    for petition in petitions:
        items.append(TimelineItem(
            date=timezone.localdate(petition.created_at), kind="petition.launched",
            title=gettext("Petition launched: %(title)s") % {"title": petition.display_title},
            url=url(petition), label=gettext("Petition"), icon="petition",
            order=ORDER_LAUNCH,
        ))
    by_id = {p.pk: p for p in petitions}
    for petition_id, reached_at in _goal_dates(petitions).items():
        petition = by_id[petition_id]
        items.append(TimelineItem(
            date=timezone.localdate(reached_at), kind="petition.goal",
            title=gettext("Petition goal reached: %(title)s")
            % {"title": petition.display_title},
            detail=_signatures(petition.goal), url=url(petition),
            label=gettext("Goal reached"), icon="petition", order=ORDER_GOAL,
        ))
    deliveries = (Delivery.objects.filter(petition__in=petitions).select_related("target")
                  .order_by("delivered_on", "id"))
    for delivery in deliveries:
        petition = by_id[delivery.petition_id]
        items.append(TimelineItem(
            date=delivery.delivered_on, kind="petition.delivered",
            title=gettext("Petition delivered to %(target)s: %(title)s")
            % {"target": delivery.target.name, "title": petition.display_title},
            detail=_signatures(delivery.signature_count), url=url(petition),
            label=gettext("Petition delivered"), icon="petition", order=ORDER_DELIVERY,
        ))
    return items
