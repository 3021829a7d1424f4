"""The e-mail outbox: every app writes e-mails here; background jobs send them in batches.

`email_enqueue` (or `emails_enqueue` for many) renders the e-mail in the recipient's
language and stores it in the caller's transaction; on commit, `outbox_schedule` queues
a batch job, at most one per second across every process, so an e-mail exists if and
only if what caused it was saved. The job (`outbox_send_pending`) sends every pending
e-mail over one SMTP connection, a batch of rows at a time, each row at most once even
with several workers; `outbox_flush` queues a retry job for e-mails left waiting. Bodies
never go into logs or error messages. Decisions 0005 and 0049.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import OutboxEmail

logger = logging.getLogger(__name__)

# After this many failed attempts an e-mail is marked failed and no longer retried.
MAX_ATTEMPTS = 5
# The sweep leaves alone e-mails younger than this: their job is normally on its way.
FLUSH_GRACE = datetime.timedelta(minutes=1)
# A held e-mail (its address not yet confirmed) waits this long, then is given up.
HOLD_DAYS = 30
# Rows claimed (locked) per transaction, and how long one batch may spend sending: on
# SQLite the batch holds the database's write lock all that time (decision 0049).
BATCH_SIZE = 200
BATCH_SECONDS = 1.0
# On SQLite, a pause between batches lets requests waiting for the write lock in
# (SQLite's busy handler looks again every 100 ms at most).
SQLITE_PAUSE_SECONDS = 0.1
# One job sends at most this many, then hands over to a fresh job queued behind it, so
# that a worker serving every queue gets to more urgent jobs during a long backlog.
JOB_LIMIT = 10_000
# At most one batch job per this many seconds, however many e-mails are committed;
# settings.OUTBOX_SCHEDULE_SECONDS overrides (0 in the tests: a job per commit).
_SCHEDULE_SECONDS = 1
_SCHEDULE_KEY = "solidaire.outbox.batch-scheduled"


def email_enqueue(
    *,
    to: str,
    subject_template: str,
    body_template: str,
    context: dict,
    language: str,
    reply_to: str = "",
    kind: str = "",
    attachments: Iterable[tuple[str, str, str]] = (),
    hold: str = "",
) -> OutboxEmail:
    """Render an e-mail in `language`, store it, and queue its sending on commit.

    `body_template` is a .txt template; an .html template beside it, if there is one,
    becomes the HTML alternative. The subject template's output is joined onto one line.
    `attachments` are small text files as (file name, content, MIME type), e.g. an
    invitation's `.ics`. With `hold`, the e-mail waits until `outbox_release(hold=…)`
    (e.g. the recipient confirming their address), and is dropped after HOLD_DAYS.
    """
    [email] = emails_enqueue(emails=[{
        "to": to, "subject_template": subject_template, "body_template": body_template,
        "context": context, "language": language, "reply_to": reply_to, "kind": kind,
        "attachments": attachments, "hold": hold,
    }])
    return email


@transaction.atomic
def emails_enqueue(*, emails: Iterable[Mapping]) -> list[OutboxEmail]:
    """`email_enqueue` for many e-mails at once: rendered, inserted in a few statements,
    and one batch job asked for on commit. Returns the stored rows, in order.

    Each item holds `email_enqueue`'s arguments: to, subject_template, body_template,
    context, language, and optionally reply_to, kind, attachments, hold.
    """
    templates: dict[str, object] = {}
    html_twins: dict[str, object] = {}

    def template(name: str):
        if name not in templates:
            templates[name] = get_template(name)
        return templates[name]

    def html_twin(name: str):
        if name not in html_twins:
            html_twins[name] = _html_beside(name)
        return html_twins[name]

    rows = []
    subject_length = OutboxEmail._meta.get_field("subject").max_length
    for spec in emails:
        html_template = html_twin(spec["body_template"])
        context = spec["context"]
        with translation.override(spec["language"]):
            subject = " ".join(_render_text(template(spec["subject_template"]),
                                            context).split())
            body_text = _render_text(template(spec["body_template"]), context)
            body_html = html_template.render(context) if html_template else ""
        hold = spec.get("hold", "")
        rows.append(OutboxEmail(
            to=spec["to"],
            reply_to=spec.get("reply_to", ""),
            subject=subject[:subject_length],
            body_text=body_text,
            body_html=body_html,
            language=spec["language"],
            kind=spec.get("kind", ""),
            attachments=[{"filename": name, "content": content, "mimetype": mimetype}
                         for name, content, mimetype in spec.get("attachments", ())],
            status=OutboxEmail.Status.HELD if hold else OutboxEmail.Status.PENDING,
            hold=hold,
        ))
    created = OutboxEmail.objects.bulk_create(rows, batch_size=500)
    if any(email.status == OutboxEmail.Status.PENDING for email in created):
        # robust: if queueing fails, the caller's committed work must not turn into an
        # error page; the worker's sweep queues a job a minute later.
        transaction.on_commit(outbox_schedule, robust=True)
    return created


@transaction.atomic
def outbox_release(*, hold: str) -> int:
    """Send the e-mails held for `hold` (a batch job is asked for on commit)."""
    released = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.HELD, hold=hold,
    ).update(status=OutboxEmail.Status.PENDING)
    if released:
        transaction.on_commit(outbox_schedule, robust=True)
    return released


_scheduled_until = 0.0


def schedule_reset() -> None:
    """Let the next commit in this process ask for a job at once (tests)."""
    global _scheduled_until
    _scheduled_until = 0.0


def outbox_schedule() -> None:
    """Queue a batch job for e-mails just committed, at most one a second across processes.

    The first process to ask in a window owns it (`cache.add`) and queues a job that runs
    when the window ends, so every e-mail committed during the window is pending when
    the job looks. Every process remembers the window's end and does not ask again
    before it (wall-clock time: the end is shared with other processes); an e-mail
    committed after the end asks afresh, as the cache key has expired by then. Clocks a
    little apart between machines can leave an e-mail to the sweep (a minute).
    """
    global _scheduled_until
    seconds = getattr(settings, "OUTBOX_SCHEDULE_SECONDS", _SCHEDULE_SECONDS)
    if not seconds:
        outbox_job_enqueue()
        return
    now = time.time()
    if now < _scheduled_until:
        return  # a job queued by this or another process will run after this commit
    until = now + seconds
    if cache.add(_SCHEDULE_KEY, until, timeout=seconds):
        try:
            outbox_job_enqueue(run_after=until)
        except Exception:
            cache.delete(_SCHEDULE_KEY)  # the window has no job: let the next one try
            raise
        _scheduled_until = until
        return
    until = cache.get(_SCHEDULE_KEY) or 0.0
    if until > now:
        _scheduled_until = until  # another process's window: its job runs after this
    else:
        outbox_job_enqueue()  # that window ended as we asked: its job may have looked


def outbox_job_enqueue(*, retry: bool = False, run_after: float | None = None) -> None:
    """Queue a batch job now (or to run at `run_after`, a Unix time), debounce aside."""
    from .tasks import outbox_retry_batch, outbox_send_batch  # tasks.py imports this module

    task = outbox_retry_batch if retry else outbox_send_batch
    if run_after is not None:
        task = task.using(run_after=datetime.datetime.fromtimestamp(run_after, datetime.UTC))
    task.enqueue()


@dataclass
class SendRun:
    """What one run of `outbox_send_pending` did."""

    sent: int = 0
    failed: int = 0  # failed attempts recorded (some e-mails may now be given up)
    stopped: bool = False  # the worker is stopping: e-mails may be left pending
    more: bool = False  # the run reached its limit with e-mails possibly left


def outbox_send_pending(
    *,
    retry: bool = False,
    limit: int | None = None,
    batch_size: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SendRun:
    """Send pending e-mails, oldest first, over one mail-server connection, until none is
    left, `limit` is reached or `should_stop()` says the worker is stopping.

    Without `retry`, only e-mails never tried yet: one that failed waits for the retry
    job the sweep queues (about once a minute, MAX_ATTEMPTS in all). Each batch locks its
    rows (PostgreSQL: skipping rows another worker holds; SQLite: the write lock), sends
    them and records the outcome in the same transaction, so a row is sent by one worker
    only. A recipient's failure is recorded on its row and the others go on; a dropped
    connection is reopened; if the server cannot be reached at all, what was sent is
    recorded, the rest stays pending, and the error is raised.
    """
    if should_stop is None:
        from .worker import stop_requested  # the worker imports us

        should_stop = stop_requested
    limit = JOB_LIMIT if limit is None else limit
    batch_size = BATCH_SIZE if batch_size is None else batch_size

    run = SendRun()
    tried: set[int] = set()  # failed in this run: not tried twice in one run
    mail = get_connection()
    opened = False
    try:
        while True:
            if should_stop():
                run.stopped = True
                break
            if run.sent + run.failed >= limit:
                run.more = True
                break
            with transaction.atomic():
                batch = _claim(retry=retry, skip=tried, size=batch_size)
                if not batch:
                    break
                if not opened:
                    _open(mail)  # raises _Unreachable: nothing sent, all stays pending
                    opened = True
                sent, failures, unreachable = _deliver(batch, mail)
                _record(sent=sent, failures=failures)
            run.sent += len(sent)
            run.failed += len(failures)
            tried.update(email.pk for email, _error in failures)
            if unreachable is not None:
                raise unreachable
            if connection.vendor == "sqlite":
                time.sleep(SQLITE_PAUSE_SECONDS)
    except _Unreachable as exc:
        logger.warning("The mail server cannot be reached (%s); e-mails stay pending.",
                       type(exc.error).__name__)
        raise exc.error from None
    finally:
        if opened:
            _close_quietly(mail)
    return run


def email_send(*, email_id: int) -> bool:
    """Send one outbox e-mail unless it was already sent. Returns whether it was sent now.

    For jobs queued one per e-mail before batches (decision 0049) and for tests. The row
    stays locked while sending, so it is sent once; a failure is recorded on the row
    and raised.
    """
    with transaction.atomic():
        email = (OutboxEmail.objects.select_for_update()
                 .filter(pk=email_id, status=OutboxEmail.Status.PENDING).first())
        if email is None:
            return False
        mail = get_connection()
        try:
            _open(mail)
            sent, failures, unreachable = _deliver([email], mail)
        except _Unreachable as exc:
            raise exc.error from None
        finally:
            _close_quietly(mail)
        _record(sent=sent, failures=failures)
    if unreachable is not None:
        raise unreachable.error
    if failures:
        raise failures[0][1]
    return True


def outbox_flush() -> bool:
    """The worker's sweep, once a minute: queue a retry job for e-mails left waiting.

    Pending e-mails older than a minute are those whose job was lost (a crash between
    the commit and the queueing) or whose attempt failed; the retry job sends all of
    them, failed ones included. At most one retry job is ready or running at a time.
    Held e-mails never released are given up on. True if a job was queued.
    """
    now = timezone.now()
    OutboxEmail.objects.filter(
        status=OutboxEmail.Status.HELD, created_at__lt=now - datetime.timedelta(days=HOLD_DAYS),
    ).update(status=OutboxEmail.Status.FAILED, last_error="never released")
    waiting = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, created_at__lt=now - FLUSH_GRACE,
    ).exists()
    if not waiting or _retry_job_waiting():
        return False
    outbox_job_enqueue(retry=True)
    logger.info("Outbox sweep queued a retry job for e-mails left waiting.")
    return True


class _Unreachable(Exception):
    """The mail server could not be (re)connected to; __cause__ is the error."""

    @property
    def error(self) -> BaseException:
        assert self.__cause__ is not None  # always raised `from` the error
        return self.__cause__


def _claim(*, retry: bool, skip: set[int], size: int) -> list[OutboxEmail]:
    pending = (OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING)
               .exclude(pk__in=skip).order_by("created_at", "pk"))
    if not retry:
        pending = pending.filter(attempts=0)
    if connection.vendor == "postgresql":
        pending = pending.select_for_update(skip_locked=True)
    return list(pending[:size])


def _deliver(batch: list[OutboxEmail], mail):
    """Send a claimed batch, for BATCH_SECONDS at most (the rest stays pending and is
    unlocked at commit). Returns (sent ids, [(e-mail, error)], _Unreachable or None)."""
    sent: list[int] = []
    failures: list[tuple[OutboxEmail, Exception]] = []
    deadline = time.monotonic() + BATCH_SECONDS
    for email in batch:
        if (sent or failures) and time.monotonic() > deadline:
            break
        try:
            _send_one(mail, _message(email))
        except _Unreachable as exc:
            return sent, failures, exc
        except Exception as exc:
            failures.append((email, exc))
        else:
            sent.append(email.pk)
    return sent, failures, None


def _send_one(mail, message: EmailMultiAlternatives) -> None:
    try:
        mail.send_messages([message])
    except Exception as exc:
        if not _connection_lost(exc):
            raise  # this message's own failure (refused recipient, bad data…)
        # The server closed the connection (idle timeout, a cap on messages per
        # connection, a restart): reconnect and try this message once more. A second
        # failure right after a good reconnect is this message's own.
        _close_quietly(mail)
        _open(mail)
        mail.send_messages([message])


def _connection_lost(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421  # "service not available, closing channel"
    # smtplib's errors are OSErrors too; what is left is the socket's (reset, timeout).
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _open(mail) -> None:
    try:
        mail.open()
    except Exception as exc:
        raise _Unreachable from exc


def _close_quietly(mail) -> None:
    try:
        mail.close()
    except Exception:
        logger.debug("Closing the mail-server connection failed.", exc_info=True)


def _record(*, sent: list[int], failures: list[tuple[OutboxEmail, Exception]]) -> None:
    """Write a batch's outcome set-based: one UPDATE for the sent, one per error text."""
    if sent:
        OutboxEmail.objects.filter(pk__in=sent).update(
            status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error="",
            attempts=F("attempts") + 1,
        )
    by_error: dict[str, list[int]] = defaultdict(list)
    for email, error in failures:
        by_error[_short_error(error)].append(email.pk)
        # The class only: an SMTP error message can carry the recipient's address.
        logger.warning("E-mail #%s could not be sent (attempt %d): %s",
                       email.pk, email.attempts + 1, type(error).__name__)
    for message, ids in by_error.items():
        # SET expressions read the row as it was: attempts before this one.
        OutboxEmail.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1, last_error=message,
            status=Case(When(attempts__gte=MAX_ATTEMPTS - 1,
                             then=Value(OutboxEmail.Status.FAILED)),
                        default=F("status")),
        )


def _retry_job_waiting() -> bool:
    from .tasks import outbox_retry_batch

    return DBTaskResult.objects.filter(
        task_path=outbox_retry_batch.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()


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
