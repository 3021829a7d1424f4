"""Writes of the organizer pages about petitions: creating, editing, and removing spam.

Public intake (signing, processing, confirming) lives in services.py.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from solidaire.campaigns.models import Publication
from solidaire.core.access import require, require_may_own
from solidaire.core.changes import changed_fields_apply, editable_check
from solidaire.core.models import AuditEntry
from solidaire.core.ownership import same_organization_check
from solidaire.core.services import audit_log

from .models import Petition, Signature
from .selectors import petition_may_edit

# What the organizer pages may change on a petition (targets are set as a list).
PETITION_EDITABLE = ("slug", "organization", "chapter", "campaign", "title", "summary", "body",
                     "goal", "status", "double_opt_in", "show_signers", "next_step_url")


def _require_editor(actor, petition: Petition) -> None:
    require(petition_may_edit(actor, petition), "this account may not edit this petition")


@transaction.atomic
def petition_create(
    *,
    actor,
    organization,
    slug: str,
    title: dict,
    chapter=None,
    campaign=None,
    summary: dict | None = None,
    body: dict | None = None,
    targets=(),
    cosponsors=(),
    goal: int = 1000,
    status: str = Publication.DRAFT,
    double_opt_in: bool = False,
    show_signers: bool = False,
    next_step_url: str = "",
) -> Petition:
    same_organization_check(organization, chapter=chapter, campaign=campaign)
    require_may_own(actor, organization=organization, chapter=chapter, what="a petition")
    petition = Petition.objects.create(
        slug=slug, organization=organization, chapter=chapter, campaign=campaign,
        title=title, summary=summary or {}, body=body or {}, goal=goal, status=status,
        double_opt_in=double_opt_in, show_signers=show_signers, next_step_url=next_step_url,
    )
    petition.targets.set(list(targets))
    petition.cosponsors.set([org for org in cosponsors if org.pk != organization.pk])
    audit_log(action="solidaire.petition.created", actor=actor, obj=petition,
              data={"status": status})
    return petition


@transaction.atomic
def petition_update(*, actor, petition: Petition, targets=None, cosponsors=None,
                    **changes) -> Petition:
    """Change a petition's details; with `targets` (`cosponsors`), also replace the list of
    its targets (co-sponsors)."""
    editable_check(changes, PETITION_EDITABLE)
    _require_editor(actor, petition)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    same_organization_check(
        changes.get("organization", petition.organization),
        chapter=changes.get("chapter", petition.chapter),
        campaign=changes.get("campaign", petition.campaign),
    )
    if "organization" in changes or "chapter" in changes:
        require_may_own(actor, organization=changes.get("organization", petition.organization),
                        chapter=changes.get("chapter", petition.chapter), what="a petition")
    changed = changed_fields_apply(petition, changes)
    if targets is not None:
        wanted = {target.pk for target in targets}
        if wanted != set(petition.targets.values_list("pk", flat=True)):
            petition.targets.set(sorted(wanted))
            changed.append("targets")
    if cosponsors is not None:
        wanted = {org.pk for org in cosponsors} - {petition.organization_id}
        if wanted != set(petition.cosponsors.values_list("pk", flat=True)):
            petition.cosponsors.set(sorted(wanted))
            changed.append("cosponsors")
    if changed:
        audit_log(action="solidaire.petition.updated", actor=actor, obj=petition,
                  data={"fields": changed})
    return petition


@transaction.atomic
def signature_remove(*, actor, signature: Signature) -> Signature:
    """Take a signature out of the count (spam, a joke name). Removing twice changes nothing.

    The status it had is kept in the audit entry, so that a restore puts it back.
    """
    signature = (Signature.objects.select_for_update(of=("self",)).select_related("petition")
                 .get(pk=signature.pk))
    _require_editor(actor, signature.petition)
    if signature.status == Signature.Status.REMOVED:
        return signature
    previous = signature.status
    signature.status = Signature.Status.REMOVED
    signature.save(update_fields=["status"])
    audit_log(action="solidaire.signature.removed", actor=actor, obj=signature,
              data={"petition": signature.petition_id, "from": previous})
    return signature


def _status_before_removal(signature: Signature) -> str:
    entry = (AuditEntry.objects.filter(
        action="solidaire.signature.removed",
        object_type=ContentType.objects.get_for_model(Signature),
        object_id=str(signature.pk),
    ).order_by("-id").values_list("data", flat=True).first())
    previous = (entry or {}).get("from")
    if previous in Signature.Status.values and previous != Signature.Status.REMOVED:
        return previous
    # Removed some other way (the admin, an old row): work it out from the dates.
    if signature.processed_at is None:
        return Signature.Status.PENDING
    if signature.confirmed_at is None and signature.petition.double_opt_in \
            and signature.source == Signature.Source.ONLINE:
        return Signature.Status.UNCONFIRMED
    return Signature.Status.COUNTED


@transaction.atomic
def signature_restore(*, actor, signature: Signature) -> Signature:
    """Put a removed signature back with the status it had before.

    When the same person has signed again meanwhile, it comes back as a duplicate.
    """
    signature = (Signature.objects.select_for_update(of=("self",)).select_related("petition")
                 .get(pk=signature.pk))
    _require_editor(actor, signature.petition)
    if signature.status != Signature.Status.REMOVED:
        return signature
    signature.status = _status_before_removal(signature)
    try:
        with transaction.atomic():
            signature.save(update_fields=["status"])
    except IntegrityError:  # one counted signature per person and petition
        signature.status = Signature.Status.DUPLICATE
        signature.save(update_fields=["status"])
    audit_log(action="solidaire.signature.restored", actor=actor, obj=signature,
              data={"petition": signature.petition_id, "to": signature.status})
    return signature
