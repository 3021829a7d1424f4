"""Background jobs of the shared kernel."""

from django_tasks import task

from .outbox import email_send


@task(queue_name="email")
def outbox_send(email_id: int) -> bool:
    """Send one outbox e-mail; safe to run more than once (it sends at most once)."""
    return email_send(email_id=email_id)
