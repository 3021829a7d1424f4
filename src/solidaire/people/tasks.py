"""Background jobs of the people app."""

from django_tasks import task

from .duplicates import duplicates_scan


@task()
def duplicates_scan_task() -> dict:
    """Scan every person for possible duplicates; safe to run again (decision 0017)."""
    result = duplicates_scan()
    return {"counts": result.counts, "seconds": result.seconds}
