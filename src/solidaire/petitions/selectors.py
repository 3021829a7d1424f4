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


# -- who may edit (decision 0056) ------------------------------------------------------------
# A chapter's petition or statement for the organizers of the chapter, an
# organization-wide one for its coordinators; volunteers edit nothing. Editing a petition
# covers removing and restoring signatures and recording deliveries; editing a statement
# covers deciding on its endorsements and seeing their contact people.

def petitions_editable_by(user) -> QuerySet[Petition]:
    return petitions_visible_to(user).filter(scope_for(user).runs_q())


def petition_may_edit(user, petition: Petition) -> bool:
    return petitions_editable_by(user).filter(pk=petition.pk).exists()


def petitions_deliverable_by(user) -> QuerySet[Petition]:
    """Petitions whose deliveries the account records and whose packets it prints:
    handing signers' names to a target is organizer work, never a volunteer's, on any
    petition the organizer sees."""
    if scope_for(user).is_empty:
        return Petition.objects.none()
    return petitions_visible_to(user)


def signons_editable_by(user) -> QuerySet[SignOn]:
    return signons_visible_to(user).filter(scope_for(user).runs_q())


def signon_may_edit(user, sign_on: SignOn) -> bool:
    return signons_editable_by(user).filter(pk=sign_on.pk).exists()


def public_petition(slug: str) -> Petition | None:
    """An open or closed petition by its address; drafts are not public."""
    return (Petition.objects.exclude(status=Publication.DRAFT)
            .select_related("campaign", "organization").filter(slug=slug).first())


def signature_count(petition: Petition) -> int:
    statuses = ((Signature.Status.COUNTED,) if petition.double_opt_in else COUNTED)
    return Signature.objects.filter(petition=petition, status__in=statuses).count()
