"""The e-mail outbox: every app writes e-mails here; a background job sends them.

`email_enqueue` renders the e-mail in the recipient's language and stores it in the
caller's transaction; the send job is queued only when that transaction commits, so an
e-mail exists if and only if what caused it was saved. `email_send` (run by the
`outbox_send` task) sends it at most once per row; `outbox_flush` re-queues any e-mail
whose job was lost or failed. Bodies never go into logs or error messages.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import OutboxEmail

logger = logging.getLogger(__name__)

# After this many failed attempts an e-mail is marked failed and no longer retried.
MAX_ATTEMPTS = 5
# The sweep leaves alone e-mails younger than this: their job is normally on its way.
FLUSH_GRACE = datetime.timedelta(minutes=1)
FLUSH_BATCH = 500
# A held e-mail (its address not yet confirmed) waits this long, then is given up.
HOLD_DAYS = 30


@transaction.atomic
def email_enqueue(
    *,
    to: str,
    subject_template: str,
    body_template: str,
    context: dict,
    language: str,
    reply_to: str = "",
    kind: str = "",
    attachments: list[tuple[str, str, str]] = (),
    hold: str = "",
) -> OutboxEmail:
    """Render an e-mail in `language`, store it, and queue its sending on commit.

    `body_template` is a .txt template; an .html template beside it, if there is one,
    becomes the HTML alternative. The subject template's output is joined onto one line.
    `attachments` are small text files as (file name, content, MIME type), e.g. an
    invitation's `.ics`. With `hold`, the e-mail waits until `outbox_release(hold=…)`
    (e.g. the recipient confirming their address), and is dropped after HOLD_DAYS.
    """
    html_template = _html_beside(body_template)
    with translation.override(language):
        subject = " ".join(_render_text(get_template(subject_template), context).split())
        body_text = _render_text(get_template(body_template), context)
        body_html = html_template.render(context) if html_template else ""
    email = OutboxEmail.objects.create(
        to=to,
        reply_to=reply_to,
        subject=subject[: OutboxEmail._meta.get_field("subject").max_length],
        body_text=body_text,
        body_html=body_html,
        language=language,
        kind=kind,
        attachments=[{"filename": name, "content": content, "mimetype": mimetype}
                     for name, content, mimetype in attachments],
        status=OutboxEmail.Status.HELD if hold else OutboxEmail.Status.PENDING,
        hold=hold,
    )
    if hold:
        return email
    # robust: if queueing fails, the caller's committed work must not turn into an
    # error page; the worker's sweep queues the e-mail a minute later.
    transaction.on_commit(lambda: _queue_send(email.pk), robust=True)
    return email


def email_send(*, email_id: int) -> bool:
    """Send one outbox e-mail unless it was already sent. Returns whether it was sent now.

    The row stays locked while sending, so two jobs for one e-mail send it once. A
    failure is recorded on the row (attempts, a short error) and raised again.
    """
    error: Exception | None = None
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboxEmail.Status.PENDING:
            return False
        email.attempts += 1
        try:
            _message(email).send()
        except Exception as exc:
            error = exc
            email.last_error = _short_error(exc)
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboxEmail.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
        else:
            email.status = OutboxEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    if error is not None:
        # The class only: an SMTP error message can carry the recipient's address.
        logger.warning("E-mail #%s could not be sent (attempt %d): %s",
                       email_id, email.attempts, type(error).__name__)
        raise error
    return True


@transaction.atomic
def outbox_release(*, hold: str) -> int:
    """Send the e-mails held for `hold` (queued on commit). Returns how many."""
    held = list(OutboxEmail.objects.select_for_update()
                .filter(status=OutboxEmail.Status.HELD, hold=hold).values_list("pk", flat=True))
    if not held:
        return 0
    OutboxEmail.objects.filter(pk__in=held).update(status=OutboxEmail.Status.PENDING)
    for email_id in held:
        transaction.on_commit(lambda email_id=email_id: _queue_send(email_id), robust=True)
    return len(held)


def outbox_flush() -> int:
    """Queue a send for pending e-mails older than a minute that have no job waiting.

    Covers a crash between the commit and the queueing, and retries failed attempts
    (about once a minute, as often as the worker sweeps). Returns how many were queued.
    """
    pending = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, created_at__lt=timezone.now() - FLUSH_GRACE,
    ).order_by("created_at").values_list("pk", "job_id")[:FLUSH_BATCH]
    # Held e-mails whose address was never confirmed are given up on.
    OutboxEmail.objects.filter(
        status=OutboxEmail.Status.HELD,
        created_at__lt=timezone.now() - datetime.timedelta(days=HOLD_DAYS),
    ).update(status=OutboxEmail.Status.FAILED, last_error="never released")
    queued = 0
    for email_id, job_id in pending:
        if not _job_waiting(job_id):
            _queue_send(email_id)
            queued += 1
    if queued:
        logger.info("Outbox sweep queued %d e-mail(s).", queued)
    return queued


def _html_beside(body_template: str):
    """The optional HTML twin of a .txt body template (x.txt -> x.html), or None."""
    if not body_template.endswith(".txt"):
        return None
    try:
        return get_template(body_template.removesuffix(".txt") + ".html")
    except TemplateDoesNotExist:
        return None


def _render_text(template, context: dict) -> str:
    if hasattr(template, "template"):
        # Plain text is not HTML: "O'Brien & fils" must not become "O&#x27;Brien &amp; fils".
        return template.template.render(Context(context, autoescape=False))
    return template.render(context)


def _message(email: OutboxEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"Content-Language": email.language},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments or ():
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _short_error(exc: Exception) -> str:
    limit = OutboxEmail._meta.get_field("last_error").max_length
    return f"{type(exc).__name__}: {exc}"[:limit]


def _queue_send(email_id: int) -> None:
    from .tasks import outbox_send  # tasks.py imports this module

    result = outbox_send.enqueue(email_id)
    OutboxEmail.objects.filter(pk=email_id).update(job_id=str(result.id))


def _job_waiting(job_id: str) -> bool:
    """Is the e-mail's send job still ready or running?

    A job that finished (failed) or disappeared is not waiting. With a backend that
    cannot report on jobs, a queued job is assumed to be on its way.
    """
    if not job_id:
        return False
    from .tasks import outbox_send

    backend = outbox_send.get_backend()
    if not backend.supports_get_result:
        return True
    try:
        status = backend.get_result(job_id).status
    except TaskResultDoesNotExist:
        return False
    return status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
