"""Writes for call and e-mail actions: organizers set them up, supporters report and write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from solidaire.campaigns.models import Target
from solidaire.core.access import require_may_own, require_unless_system
from solidaire.core.changes import changed_fields_apply
from solidaire.core.outbox import email_enqueue
from solidaire.core.ownership import same_organization_check
from solidaire.core.services import activity_record, audit_log
from solidaire.people.models import ConsentMethod, Person, Source
from solidaire.people.services import consent_from_form, person_upsert

from .activities import TARGET_CALLED, TARGET_EMAILED
from .models import Action, CallReport, EmailSent
from .selectors import action_may_edit

# What the organizer pages may change on an action (targets go separately).
ACTION_EDITABLE = ("slug", "kind", "organization", "chapter", "campaign", "title", "intro",
                   "targeting", "riding_level", "script", "letter_subject", "letter_body",
                   "status", "goal")


# `actor=None` is the application itself (the demo data); an account must be allowed by
# the rules in selectors.py (decision 0056).

@transaction.atomic
def action_create(
    *,
    slug: str,
    title: dict,
    organization,
    kind: str = Action.Kind.CALL,
    chapter=None,
    campaign=None,
    intro: dict | None = None,
    targeting: str = Action.Targeting.FIXED,
    riding_level: str = "federal",
    targets: Iterable[Target] = (),
    script: dict | None = None,
    letter_subject: dict | None = None,
    letter_body: dict | None = None,
    status: str = "draft",
    goal: int = 0,
    actor=None,
) -> Action:
    same_organization_check(organization, chapter=chapter)
    require_may_own(actor, organization=organization, chapter=chapter, what="an action",
                    system=True)
    action = Action.objects.create(
        slug=slug, title=title, organization=organization, kind=kind, chapter=chapter,
        campaign=campaign, intro=intro or {}, targeting=targeting, riding_level=riding_level,
        script=script or {}, letter_subject=letter_subject or {},
        letter_body=letter_body or {}, status=status, goal=goal,
    )
    action.targets.set(list(targets))
    audit_log(action="solidaire.action.created", actor=actor, obj=action)
    return action


@transaction.atomic
def action_update(*, action: Action, actor=None, targets: Iterable[Target] | None = None,
                  **fields) -> Action:
    """Change an action's details; with `targets`, also replace its list of targets."""
    require_unless_system(actor, lambda: action_may_edit(actor, action),
                          "this account may not edit this action")
    action = Action.objects.select_for_update().get(pk=action.pk)
    same_organization_check(fields.get("organization", action.organization),
                            chapter=fields.get("chapter", action.chapter))
    if "organization" in fields or "chapter" in fields:
        require_may_own(actor, organization=fields.get("organization", action.organization),
                        chapter=fields.get("chapter", action.chapter), what="an action",
                        system=True)
    changed = changed_fields_apply(action, fields, editable=ACTION_EDITABLE)
    if targets is not None:
        wanted = {t.pk for t in targets}
        if wanted != set(action.targets.values_list("pk", flat=True)):
            action.targets.set(sorted(wanted))
            changed.append("targets")
    audit_log(action="solidaire.action.updated", actor=actor, obj=action,
              data={"fields": changed})
    return action


# -- supporters ------------------------------------------------------------------------------

def _supporter(*, action: Action, chosen_name: str, email: str, phone: str, postal_code: str,
               language: str, consent: bool) -> Person | None:
    """The person behind a report or a letter, when they left a way to reach them."""
    if not (email or phone):
        return None
    profile = {"preferred_language": language} if language else {}
    if postal_code:
        profile["postal_code"] = postal_code
    result = person_upsert(
        organization=action.organization,
        chosen_name=chosen_name or (email.split("@")[0] if email else ""),
        email=email, phone=phone, source=Source.WEB, source_detail=f"action:{action.slug}",
        **profile,
    )
    consent_from_form(result=result, email=consent and bool(email),
                      sms=consent and bool(phone), method=ConsentMethod.WEB_FORM,
                      source=f"action:{action.slug}")
    return result.person


@dataclass
class CallReportResult:
    report: CallReport
    created: bool


@transaction.atomic
def call_report_add(
    *,
    action: Action,
    target: Target,
    token: str,
    outcome: str,
    note: str = "",
    chosen_name: str = "",
    email: str = "",
    phone: str = "",
    consent: bool = False,
    language: str = "",
) -> CallReportResult:
    """A supporter says how their call went. Counted once per form key; with a way to
    reach them, the report is theirs and goes on their ledger."""
    existing = CallReport.objects.filter(token=token).first()
    if existing is not None:
        return CallReportResult(existing, created=False)
    try:
        with transaction.atomic():
            person = _supporter(action=action, chosen_name=chosen_name, email=email,
                                phone=phone, postal_code="", language=language,
                                consent=consent)
            report = CallReport.objects.create(action=action, target=target, token=token,
                                               outcome=outcome, note=note.strip(),
                                               person=person)
            if person is not None:
                activity_record(person=person, kind=TARGET_CALLED, obj=report,
                                campaign=action.campaign)
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it.
        return CallReportResult(CallReport.objects.get(token=token), created=False)
    return CallReportResult(report, created=True)


@dataclass
class LetterResult:
    sent: list[EmailSent] = field(default_factory=list)  # rows of this form, old and new
    skipped: list[Target] = field(default_factory=list)  # targets without an e-mail
    created: int = 0  # rows written by this call (0 on a replay)


@transaction.atomic
def letter_send(
    *,
    action: Action,
    targets: Iterable[Target],
    token: str,
    method: str,
    subject: str,
    body: str,
    chosen_name: str,
    email: str,
    postal_code: str = "",
    consent: bool = False,
    language: str = "fr",
) -> LetterResult:
    """A supporter writes to each target: through the outbox (the supporter as reply-to)
    or from their own mail app (only recorded here). Once per target per form key;
    targets without an e-mail address are skipped."""
    result = LetterResult()
    person = _supporter(action=action, chosen_name=chosen_name, email=email, phone="",
                        postal_code=postal_code, language=language, consent=consent)
    for target in targets:
        if not target.email:
            result.skipped.append(target)
            continue
        existing = EmailSent.objects.filter(token=token, target=target).first()
        if existing is not None:
            result.sent.append(existing)
            continue
        try:
            with transaction.atomic():
                row = EmailSent.objects.create(
                    action=action, target=target, person=person, token=token, method=method,
                    subject=subject[:200], body=body,
                )
                if method == EmailSent.Method.OUTBOX:
                    row.outbox_email = email_enqueue(
                        to=target.email, reply_to=email,
                        subject_template="advocacy/email/letter_subject.txt",
                        body_template="advocacy/email/letter.txt",
                        context={"subject": subject, "body": body,
                                 "supporter_name": chosen_name, "supporter_email": email,
                                 "action_title": action.display_title},
                        language=language, kind="advocacy.letter",
                    )
                    row.save(update_fields=["outbox_email"])
                if person is not None:
                    activity_record(person=person, kind=TARGET_EMAILED, obj=row,
                                    campaign=action.campaign)
        except IntegrityError:
            result.sent.append(EmailSent.objects.get(token=token, target=target))
            continue
        result.sent.append(row)
        result.created += 1
    return result
