"""Background jobs of the people app."""

from django_tasks import task

from .duplicates import duplicates_scan
from .retention import statuses_expire


@task()
def duplicates_scan_task() -> dict:
    """Scan every person for possible duplicates; safe to run again (decision 0017)."""
    result = duplicates_scan()
    return {"counts": result.counts, "seconds": result.seconds}


@task()
def status_retention_run() -> int:
    """Erase the statuses kept past their organization's period; safe to run twice."""
    return statuses_expire()
