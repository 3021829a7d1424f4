"""Reads about petitions and sign-ons."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from solidaire.campaigns.models import Publication
from solidaire.core.access import scope_for

from .models import Petition, Signature, SignOn

# Signatures that count toward the total (a petition with e-mail confirmation does
# not count PENDING ones: they may never be confirmed).
COUNTED = (Signature.Status.COUNTED, Signature.Status.PENDING)


def _owned_q(user) -> Q:
    """Organization-wide items of the account's organizations, chapter items in scope."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    return ((Q(chapter__isnull=True) & scope.organization_q("organization"))
            | (Q(chapter__isnull=False) & scope.chapter_q("chapter")))


def petitions_visible_to(user) -> QuerySet[Petition]:
    """Like campaigns: a volunteer sees the organization-wide ones of their organization."""
    return Petition.objects.filter(_owned_q(user))


def signons_visible_to(user) -> QuerySet[SignOn]:
    return SignOn.objects.filter(_owned_q(user))


def public_petition(slug: str) -> Petition | None:
    """An open or closed petition by its address; drafts are not public."""
    return (Petition.objects.exclude(status=Publication.DRAFT)
            .select_related("campaign", "organization").filter(slug=slug).first())


def signature_count(petition: Petition) -> int:
    statuses = ((Signature.Status.COUNTED,) if petition.double_opt_in else COUNTED)
    return Signature.objects.filter(petition=petition, status__in=statuses).count()
