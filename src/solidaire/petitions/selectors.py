"""Reads about petitions and sign-ons."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from solidaire.campaigns.models import Publication
from solidaire.core.access import scope_for
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import public_reach_q

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


def signature_counts(petitions) -> dict[int, int]:
    """`signature_count` of each petition, in one query whatever their number."""
    petitions = list(petitions)
    counts = dict.fromkeys((p.pk for p in petitions), 0)
    confirm_first = {p.pk for p in petitions if p.double_opt_in}
    rows = (Signature.objects.filter(petition__in=counts, status__in=COUNTED).order_by()
            .values_list("petition_id", "status").annotate(n=Count("id")))
    for petition_id, status, n in rows:
        if petition_id not in confirm_first or status == Signature.Status.COUNTED:
            counts[petition_id] += n
    return counts


def public_open_petitions(chapter: Chapter | None = None) -> QuerySet[Petition]:
    """Open petitions one can sign now, newest first: all of them, or those for a
    chapter's people (organizing.selectors.public_reach_q)."""
    return (Petition.objects.filter(public_reach_q(chapter), status=Publication.OPEN)
            .select_related("organization", "campaign").order_by("-created_at", "-id"))


def public_open_signons(chapter: Chapter | None = None) -> QuerySet[SignOn]:
    """Open statements organizations can sign now, newest first."""
    return (SignOn.objects.filter(public_reach_q(chapter), status=Publication.OPEN)
            .select_related("organization").order_by("-created_at", "-id"))
