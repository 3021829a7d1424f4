"""Signing a petition: store first, record after (decision 0018).

`signature_submit` is all a public POST does: one INSERT of what the signer typed,
guarded by two unique constraints (the form key, and the contact per petition). The
signature is safe the moment the page answers. `signatures_process`, run by a
background job seconds later, finds or creates the person, records consent, writes
the ledger and queues the confirmation e-mail; the same person signing twice under
two contacts is caught there (a partial unique constraint on petition and person).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.urls import reverse
from django.utils import timezone, translation

from solidaire.core.intake import contact_key
from solidaire.core.outbox import email_enqueue, emails_enqueue
from solidaire.core.services import activity_record
from solidaire.core.site import absolute
from solidaire.people.models import ConsentMethod, EmailAddress
from solidaire.people.services import (
    consent_from_form,
    email_address_confirm,
    person_email_enqueue,
    person_upsert,
)

from .activities import PETITION_SIGNED
from .models import Petition, Signature
from .recording import fast_path_eligible, signatures_record

logger = logging.getLogger(__name__)

NEW, REPLAY, ALREADY_SIGNED = "new", "replay", "already_signed"
_CONFIRM_SALT = "solidaire.petition.confirm"
CONFIRM_MAX_AGE = 30 * 24 * 3600
# At most one processing job is queued per this many seconds, however many signatures
# arrive; the job works until nothing is left waiting.
_SCHEDULE_KEY = "solidaire.petitions.process-scheduled"
_SCHEDULE_SECONDS = 2  # settings.PETITION_SCHEDULE_SECONDS overrides (0 in the tests)
_BATCH = 500


@dataclass
class SubmitResult:
    signature: Signature
    outcome: str  # NEW, REPLAY (the same form sent again) or ALREADY_SIGNED


def signature_submit(
    *,
    petition: Petition,
    key: str,
    name: str,
    email: str = "",
    phone: str = "",
    postal_code: str = "",
    city: str = "",
    language: str,
    comment: str = "",
    consent_email: bool = False,
    consent_sms: bool = False,
    share_with_cosponsors: bool = False,
    source: str = Signature.Source.ONLINE,
    sheet_number: str = "",
    entered_by=None,
) -> SubmitResult:
    """Store a signature as typed (e-mail, phone and postal code already normalized).

    One INSERT; a replayed form key or a contact that already signed this petition
    hits a unique constraint and is answered from the row already there.
    """
    if not (email or phone) and source == Signature.Source.ONLINE:
        raise ValueError("an online signature needs an e-mail address or a phone number")
    ckey = (contact_key(email=email, phone=phone) if (email or phone)
            else contact_key(email=f"no-contact:{key}"))
    values = {
        "petition": petition, "token": key, "contact_key": ckey, "name": name.strip()[:150],
        "email": email, "phone": phone, "postal_code": postal_code,
        "city": city.strip()[:100], "language": language, "comment": comment.strip(),
        "consent_email": consent_email, "consent_sms": consent_sms,
        "share_with_cosponsors": share_with_cosponsors, "source": source,
        "sheet_number": sheet_number.strip()[:20], "status": Signature.Status.PENDING,
        "entered_by": entered_by if getattr(entered_by, "is_authenticated", False) else None,
        "created_at": timezone.now(),
    }
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                pk = _insert(values)
        else:
            # Autocommit: the INSERT is its own transaction (one round trip).
            pk = _insert(values)
    except IntegrityError:
        existing = Signature.objects.filter(token=key).first()
        if existing is not None:
            return SubmitResult(existing, REPLAY)
        existing = Signature.objects.filter(petition=petition, contact_key=ckey).first()
        if existing is not None:
            return SubmitResult(existing, ALREADY_SIGNED)
        raise
    signature = Signature(pk=pk, **values)
    signature._state.adding = False
    transaction.on_commit(signatures_schedule, robust=True)
    return SubmitResult(signature, NEW)


_INSERT_SQL: dict[str, str] = {}


def _insert(values: dict) -> int:
    """One INSERT … RETURNING id, its SQL written once per database vendor.

    The busiest write of the site: the ORM's per-call compiling of the same statement
    cost as much as the rest of the request. Field names come from the model.
    """
    fields = [cast("models.Field", Signature._meta.get_field(name)) for name in values]
    sql = _INSERT_SQL.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608 (model names)
            quote(Signature._meta.db_table), ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)), quote(Signature._meta.pk.column))
        _INSERT_SQL[connection.vendor] = sql
    params = [field.get_db_prep_save(
        value.pk if field.is_relation and value is not None else value, connection)
        for field, value in zip(fields, values.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


_last_scheduled = 0.0


def schedule_reset() -> None:
    """Let the next submission in this process ask for a job at once (tests)."""
    global _last_scheduled
    _last_scheduled = 0.0


def signatures_schedule() -> None:
    """Queue a processing job, at most once every few seconds across all processes."""
    global _last_scheduled
    seconds = getattr(settings, "PETITION_SCHEDULE_SECONDS", _SCHEDULE_SECONDS)
    now = time.monotonic()
    if now - _last_scheduled < seconds:
        return  # this process asked a moment ago: no need to ask the shared cache
    _last_scheduled = now
    if not seconds or cache.add(_SCHEDULE_KEY, 1, timeout=seconds):
        from .tasks import signatures_process_task

        signatures_process_task.enqueue()


def signatures_process(*, limit: int = 10_000) -> int:
    """Record waiting signatures, oldest first, in batches; returns how many were done.

    Each batch is recorded set-based where no decision is needed (`recording`, decision
    0053) and one at a time otherwise. Several workers may run this at once: on
    PostgreSQL each batch locks its rows and skips rows another worker holds. A
    signature that fails is logged (by id only) and left waiting for the next run. A
    worker asked to stop returns between batches.
    """
    from solidaire.core.worker import stop_requested

    done, failed = 0, set[int]()
    while done < limit and not stop_requested():
        with transaction.atomic():
            waiting = (Signature.objects.filter(status=Signature.Status.PENDING)
                       .exclude(pk__in=failed).order_by("pk")
                       # The e-mails name the organization: joined once, not per e-mail.
                       .select_related("petition__organization"))
            if connection.vendor == "postgresql":
                waiting = waiting.select_for_update(skip_locked=True, of=("self",))
            batch = list(waiting[:_BATCH])
            if not batch:
                break
            # PETITION_RECORD_IN_BATCHES = False records every signature one at a
            # time (the baseline of bench/bench_recording.py, and a way out if needed).
            batched = getattr(settings, "PETITION_RECORD_IN_BATCHES", True)
            fast = [s for s in batch if batched and fast_path_eligible(s)]
            one_by_one = [s for s in batch if not (batched and fast_path_eligible(s))]
            if fast:
                try:
                    with transaction.atomic():
                        recorded, rest = signatures_record(fast)
                        # Every address here is the signer's own and confirmed.
                        emails_enqueue(emails=[{"to": item.address, **_email_spec(
                            item.signature, "confirm" if item.signature.status
                            == Signature.Status.UNCONFIRMED else "thanks")}
                            for item in recorded])
                except (OperationalError, InterfaceError):
                    raise  # the database went away: the worker reconnects (0048)
                except Exception:
                    # A race with another worker (the same new address at the same
                    # moment) or anything unforeseen: the batch goes one at a time.
                    logger.warning("A batch of %d signatures is recorded one at a time.",
                                   len(fast), exc_info=True)
                    # As stored: the pass above changed the objects in memory.
                    rest = list(Signature.objects.filter(pk__in=[s.pk for s in fast])
                                .select_related("petition__organization"))
                done += len(fast) - len(rest)
                one_by_one.extend(rest)
            for signature in sorted(one_by_one, key=lambda s: s.pk):
                try:
                    with transaction.atomic():
                        _process(signature)
                except (OperationalError, InterfaceError):
                    raise
                except Exception:
                    failed.add(signature.pk)
                    logger.exception("Signature #%s could not be recorded; it stays waiting.",
                                     signature.pk)
                else:
                    done += 1
    return done


def signature_process(*, signature: Signature) -> Signature:
    """Record one waiting signature now (paper entry shows its outcome at once)."""
    with transaction.atomic():
        locked = (Signature.objects.select_for_update(of=("self",)).select_related("petition")
                  .get(pk=signature.pk))
        if locked.status == Signature.Status.PENDING:
            _process(locked)
    return locked


def _process(signature: Signature) -> None:
    petition = signature.petition
    paper = signature.source == Signature.Source.PAPER
    profile = {"preferred_language": signature.language}
    if signature.postal_code:
        profile["postal_code"] = signature.postal_code
    # A sheet typed in by an organizer who can see the person may correct the record;
    # anything else only adds to it (decision 0036).
    result = person_upsert(
        organization=petition.organization, chosen_name=signature.name,
        email=signature.email, phone=signature.phone, source="petition",
        source_detail=petition.slug, actor=signature.entered_by, **profile,
    )
    person = result.person
    method = ConsentMethod.PAPER if paper else ConsentMethod.WEB_FORM
    consent_from_form(result=result, email=signature.consent_email, sms=signature.consent_sms,
                      method=method, source=f"petition:{petition.slug}")
    if signature.share_with_cosponsors and not paper:
        _share_with_cosponsors(signature)
    wants_confirmation = petition.double_opt_in and not paper and bool(signature.email)
    signature.person = person
    signature.email_address = result.email_address
    signature.status = (Signature.Status.UNCONFIRMED if wants_confirmation
                        else Signature.Status.COUNTED)
    signature.processed_at = timezone.now()
    address = signature.email
    # The person record holds the contact now; the signature keeps no second copy.
    signature.email = signature.phone = ""
    try:
        with transaction.atomic():
            signature.save(update_fields=["person", "email_address", "status", "processed_at",
                                          "email", "phone"])
    except IntegrityError:
        # The same person already signed under another e-mail or phone.
        signature.status = Signature.Status.DUPLICATE
        signature.save(update_fields=["person", "email_address", "status", "processed_at",
                                      "email", "phone"])
        return
    if wants_confirmation:
        _email(signature, result.email_address, "confirm")
        return
    activity_record(person=person, kind=PETITION_SIGNED, obj=petition,
                    campaign=petition.campaign, occurred_at=signature.created_at)
    if address:
        _email(signature, result.email_address, "thanks")


def _share_with_cosponsors(signature: Signature) -> None:
    """The signer ticked the box to share their name and contact with the petition's
    co-sponsors: each gets the signer on its own list, as an addition (decision 0035)."""
    petition = signature.petition
    profile = {"preferred_language": signature.language}
    if signature.postal_code:
        profile["postal_code"] = signature.postal_code
    for cosponsor in petition.cosponsors.exclude(pk=petition.organization_id):
        shared = person_upsert(
            organization=cosponsor, chosen_name=signature.name, email=signature.email,
            phone=signature.phone, source="petition",
            source_detail=petition.slug, **profile,
        )
        consent_from_form(result=shared, email=signature.consent_email,
                          sms=signature.consent_sms, method=ConsentMethod.WEB_FORM,
                          source=f"petition:{petition.slug}")
        activity_record(person=shared.person, kind=PETITION_SIGNED, obj=petition,
                        campaign=petition.campaign, occurred_at=signature.created_at)


def signature_confirm(*, token: str) -> Signature | None:
    """Count a signature whose signer clicked the link in the e-mail; None if the link
    is forged or too old. Clicking twice changes nothing the second time."""
    try:
        pk = int(signing.TimestampSigner(salt=_CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None
    with transaction.atomic():
        signature = (Signature.objects.select_for_update(of=("self",))
                     .select_related("petition", "person", "email_address")
                     .filter(pk=pk).first())
        if signature is None:
            return None
        if signature.status == Signature.Status.UNCONFIRMED:
            signature.status = Signature.Status.COUNTED
            signature.confirmed_at = timezone.now()
            signature.save(update_fields=["status", "confirmed_at"])
            # The link reached the address the signer typed: that address is theirs.
            if signature.email_address is not None:
                email_address_confirm(address=signature.email_address)
            petition = signature.petition
            activity_record(person=signature.person, kind=PETITION_SIGNED,
                            obj=petition, campaign=petition.campaign)
    return signature


def confirm_token(signature: Signature) -> str:
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign(str(signature.pk))


def _email(signature: Signature, address: EmailAddress | None, which: str) -> None:
    if address is None:
        return
    # The confirmation link itself proves the address: it goes out even to an address
    # waiting for confirmation. Anything else waits until the address is confirmed.
    if which == "confirm":
        email_enqueue(to=address.address, **_email_spec(signature, which))
    else:
        person_email_enqueue(address=address, **_email_spec(signature, which))


def _email_spec(signature: Signature, which: str) -> dict:
    """The confirmation or thanks e-mail of a signature, in the signer's language."""
    petition = signature.petition
    language = signature.language if signature.language in dict(settings.LANGUAGES) \
        else settings.LANGUAGE_CODE
    with translation.override(language):
        page = absolute(reverse("public:petition", kwargs={"slug": petition.slug}))
        confirm = (absolute(reverse(
            "public:petition_confirm",
            kwargs={"slug": petition.slug, "token": confirm_token(signature)}))
            if which == "confirm" else "")
    return {
        "subject_template": f"petitions/email/{which}_subject.txt",
        "body_template": f"petitions/email/{which}.txt",
        "context": {"petition": petition, "name": signature.first_name, "page_url": page,
                    "confirm_url": confirm, "language": language},
        "language": language,
        "kind": f"petition.{which}",
    }
