"""Organizational sign-ons: statements that organizations endorse (decision 0021).

An endorsement is stored the moment the form is posted, waiting for a coordinator; only
approved endorsements are listed publicly, and only by organization name and city. The
contact person behind it is a person record, never shown publicly.

Writes: `signon_create`, `signon_update`, `endorsement_submit`, `endorsement_decide`.
Reads: `public_signon`, `public_endorsements`, `endorsements_pending_count`,
`signons_with_counts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Publication
from solidaire.core.access import require, require_may_own, require_unless_system
from solidaire.core.changes import changed_fields_apply, editable_check
from solidaire.core.services import activity_record, audit_log
from solidaire.core.site import absolute
from solidaire.people.duplicates import name_fold
from solidaire.people.models import ConsentMethod, EmailAddress
from solidaire.people.services import consent_from_form, person_email_enqueue, person_upsert

from .activities import SIGNON_ENDORSED
from .models import Endorsement, SignOn
from .selectors import signon_may_edit

# The heading of each group of endorsers on the public page (the kinds, in the plural).
KIND_HEADINGS = {
    Endorsement.Kind.UNION: _("Unions and labour councils"),
    Endorsement.Kind.WORKERS: _("Workers' centres and migrant-worker groups"),
    Endorsement.Kind.COMMUNITY: _("Community organizations"),
    Endorsement.Kind.STUDENT: _("Student associations"),
    Endorsement.Kind.FAITH: _("Faith groups"),
    Endorsement.Kind.SERVICE: _("Legal, health and settlement services"),
    Endorsement.Kind.ACADEMIC: _("Research and academic groups"),
    Endorsement.Kind.OTHER: _("Other organizations"),
}

# What a sign-on's editors may change (targets go through `targets`).
SIGNON_EDITABLE = ("slug", "title", "body", "organization", "chapter", "campaign", "status")


def org_name_fold(name: str) -> str:
    """An organization name folded for comparison: no case, accents or punctuation.

    "Migrante BC", "MIGRANTE B.C." and "migranté bc" fold alike, so an organization
    endorses a statement once whatever way its name is typed. The people's name folding
    (the duplicate finder's) is reused so that demo data and the form agree.
    """
    return name_fold(name)[:200]


# -- statements -------------------------------------------------------------------------------
# `actor=None` is the application itself (the demo data); an account must be allowed to
# run the statement (`signons_editable_by`, decision 0056).

def _require_editor(actor, sign_on: SignOn) -> None:
    require_unless_system(actor, lambda: signon_may_edit(actor, sign_on),
                          "this account may not edit this statement")


@transaction.atomic
def signon_create(
    *,
    slug: str,
    title: dict,
    organization,
    body: dict | None = None,
    chapter=None,
    campaign=None,
    targets=(),
    status: str = Publication.DRAFT,
    actor=None,
) -> SignOn:
    """A new statement for organizations to endorse (a draft unless said otherwise)."""
    require_may_own(actor, organization=organization, chapter=chapter, what="a statement",
                    system=True)
    sign_on = SignOn.objects.create(
        slug=slug, title=title, body=body or {}, organization=organization, chapter=chapter,
        campaign=campaign, status=status,
    )
    sign_on.targets.set(targets)
    audit_log(action="solidaire.signon.created", actor=actor, obj=sign_on)
    return sign_on


@transaction.atomic
def signon_update(*, sign_on: SignOn, actor=None, targets=None, **fields) -> SignOn:
    """Change a statement's texts, owner, campaign, status or targets."""
    editable_check(fields, SIGNON_EDITABLE)
    _require_editor(actor, sign_on)
    if "organization" in fields or "chapter" in fields:
        require_may_own(actor, organization=fields.get("organization", sign_on.organization),
                        chapter=fields.get("chapter", sign_on.chapter), what="a statement",
                        system=True)
    changed = changed_fields_apply(sign_on, fields)
    if targets is not None:
        wanted = {target.pk for target in targets}
        if wanted != set(sign_on.targets.values_list("pk", flat=True)):
            sign_on.targets.set(targets)
            changed.append("targets")
    if changed:
        audit_log(action="solidaire.signon.updated", actor=actor, obj=sign_on,
                  data={"fields": changed})
    return sign_on


# -- endorsements ------------------------------------------------------------------------------

class Outcome(StrEnum):
    RECORDED = "recorded"              # a new endorsement, waiting for approval
    REPLAYED = "replayed"              # the same form posted again: nothing new
    ALREADY_ENDORSED = "already"       # the organization endorsed already: nothing new


@dataclass
class SubmitResult:
    outcome: Outcome
    endorsement: Endorsement


def _email_language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _page_url(sign_on: SignOn, language: str) -> str:
    with translation.override(language):
        return absolute(reverse("public:signon", kwargs={"slug": sign_on.slug}))


def _email_contact(endorsement: Endorsement, *, to: EmailAddress, which: str) -> None:
    """`which`: "signon_received" or "signon_approved", in the contact's language; held
    until confirmed when the address waits for it (decision 0036)."""
    language = _email_language(endorsement.language)
    person_email_enqueue(
        address=to,
        subject_template=f"petitions/email/{which}_subject.txt",
        body_template=f"petitions/email/{which}.txt",
        context={
            "sign_on": endorsement.sign_on,
            "org_name": endorsement.org_name,
            # The recorded name only at the primary address (see events' _notify).
            "name": (endorsement.contact.chosen_name
                     if endorsement.contact_id and to.is_primary else ""),
            "page_url": _page_url(endorsement.sign_on, language),
        },
        language=language,
        kind=which.replace("_", "."),
    )


def _existing(sign_on: SignOn, key: str, name_key: str) -> SubmitResult | None:
    found = (Endorsement.objects.select_related("sign_on")
             .filter(Q(token=key) | Q(sign_on=sign_on, name_key=name_key)))
    for endorsement in found:
        if endorsement.token == key:
            return SubmitResult(Outcome.REPLAYED, endorsement)
    for endorsement in found:
        return SubmitResult(Outcome.ALREADY_ENDORSED, endorsement)
    return None


@transaction.atomic
def endorsement_submit(
    *,
    sign_on: SignOn,
    key: str,
    org_name: str,
    kind: str,
    city: str,
    website: str = "",
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    language: str,
    consent_email: bool = False,
) -> SubmitResult:
    """An organization endorses a statement through the public form.

    Runs once per form key (a replayed POST answers with the first result) and once per
    organization (its name folded): a second endorsement is answered, not stored. The
    contact person is matched or created, the ledger and the acknowledgment e-mail are
    written in the same transaction.
    """
    name_key = org_name_fold(org_name)
    existing = _existing(sign_on, key, name_key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            upserted = person_upsert(
                organization=sign_on.organization, chosen_name=contact_name,
                email=contact_email, phone=contact_phone, preferred_language=language,
                source="sign-on", source_detail=sign_on.slug,
            )
            contact = upserted.person
            endorsement = Endorsement.objects.create(
                sign_on=sign_on, token=key, org_name=" ".join(org_name.split()),
                name_key=name_key, kind=kind, city=" ".join(city.split()),
                website=website.strip(), contact=contact, language=language,
            )
            consent_from_form(result=upserted, email=consent_email,
                              method=ConsentMethod.WEB_FORM, source="sign-on")
            activity_record(person=contact, kind=SIGNON_ENDORSED, obj=sign_on,
                            campaign=sign_on.campaign, chapter=sign_on.chapter)
            if upserted.email_address is not None:
                _email_contact(endorsement, to=upserted.email_address,
                               which="signon_received")
    except IntegrityError:
        # Another request with the same key or organization won the race.
        existing = _existing(sign_on, key, name_key)
        if existing is None:
            raise
        return existing
    return SubmitResult(Outcome.RECORDED, endorsement)


@transaction.atomic
def endorsement_decide(*, actor, endorsement: Endorsement, approve: bool) -> Endorsement:
    """A coordinator lists an endorsement publicly, or keeps it off the list.

    A decision can be changed later; the contact is told by e-mail each time it becomes
    listed.
    """
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    # Deciding is editing the statement; an account is always the one deciding.
    require(signon_may_edit(actor, endorsement.sign_on),
            "this account may not decide on this statement's endorsements")
    status = Endorsement.Status.APPROVED if approve else Endorsement.Status.REJECTED
    if endorsement.status == status:
        return endorsement
    endorsement.status = status
    endorsement.decided_by = actor
    endorsement.decided_at = timezone.now()
    endorsement.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(action=f"solidaire.endorsement.{'approved' if approve else 'rejected'}",
              actor=actor, obj=endorsement, data={"sign_on": endorsement.sign_on.slug})
    if approve and endorsement.contact_id:
        address = (endorsement.contact.emails.filter(pending=False)
                   .order_by("-is_primary", "id").first())
        if address is not None:
            _email_contact(endorsement, to=address, which="signon_approved")
    return endorsement


# -- reads ------------------------------------------------------------------------------------

@dataclass
class EndorserGroup:
    kind: str
    heading: str
    endorsements: list[Endorsement] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.endorsements)


def public_signon(slug: str) -> SignOn | None:
    """An open or closed statement by its address; drafts are not public."""
    return (SignOn.objects.exclude(status=Publication.DRAFT)
            .select_related("organization").filter(slug=slug).first())


def public_endorsements(sign_on: SignOn) -> list[EndorserGroup]:
    """Approved endorsers by kind (in the order of the kinds), each group by name.

    Only the name and city are read: nothing about the contact person leaves here.
    """
    rows = (sign_on.endorsements.filter(status=Endorsement.Status.APPROVED)
            .only("id", "org_name", "city", "kind").order_by("name_key", "id"))
    groups = {kind: EndorserGroup(kind=kind, heading=str(KIND_HEADINGS[kind]))
              for kind in Endorsement.Kind}
    for endorsement in rows:
        groups.get(endorsement.kind, groups[Endorsement.Kind.OTHER]).endorsements.append(
            endorsement)
    return [group for group in groups.values() if group.endorsements]


def endorsements_pending_count(sign_on: SignOn) -> int:
    return sign_on.endorsements.filter(status=Endorsement.Status.PENDING).count()


def signons_with_counts(queryset: QuerySet[SignOn]) -> QuerySet[SignOn]:
    """Each statement with `approved_count` and `pending_count`."""
    return queryset.annotate(
        approved_count=Count("endorsements",
                             filter=Q(endorsements__status=Endorsement.Status.APPROVED)),
        pending_count=Count("endorsements",
                            filter=Q(endorsements__status=Endorsement.Status.PENDING)),
    )
