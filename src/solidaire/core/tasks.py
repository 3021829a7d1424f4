"""Background jobs of the shared kernel: sending the e-mail outbox (decision 0049)."""

from django_tasks import task

from .outbox import SendRun, email_send, outbox_job_enqueue, outbox_send_pending
from .worker import JobHandedBack


@task(queue_name="email")
def outbox_send_batch() -> int:
    """Send every e-mail not yet tried, in batches over one connection; safe to run twice
    at once (each row is sent by one job). Queued by `outbox_schedule` on commit."""
    return _finish(outbox_send_pending(), retry=False)


@task(queue_name="email")
def outbox_retry_batch() -> int:
    """Like `outbox_send_batch`, failed attempts included: queued by the worker's sweep
    (`outbox_flush`) about once a minute while e-mails are left waiting."""
    return _finish(outbox_send_pending(retry=True), retry=True)


@task(queue_name="email")
def outbox_send(email_id: int) -> bool:
    """Send one outbox e-mail (jobs queued one per e-mail before batches, decision 0049);
    safe to run more than once (it sends at most once)."""
    return email_send(email_id=email_id)


def _finish(run: SendRun, *, retry: bool) -> int:
    if run.stopped:
        raise JobHandedBack  # back on the queue: the next worker carries on
    if run.more:
        outbox_job_enqueue(retry=retry)  # a fresh job behind more urgent ones
    return run.sent
