"""Background jobs of the organizing app."""

from django_tasks import task

from .retention import statuses_expire


@task()
def status_retention_run() -> int:
    """Erase the statuses kept past their organization's period; safe to run twice."""
    return statuses_expire()
