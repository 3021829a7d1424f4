"""Background jobs keeping the weekly counts of the ledger (decisions 0032, 0054)."""

import time

from django_tasks import task

REFRESH_EVERY_SECONDS = 60
_last_refresh = float("-inf")


@task()
def activity_weeks_refresh_task() -> int:
    """Count again the weeks that new ledger rows fall in."""
    from .weekly import activity_weeks_refresh

    return activity_weeks_refresh()


@task()
def activity_weeks_rebuild_run() -> int:
    """Daily: count every week again (rows deleted since, people who changed chapter)."""
    from .weekly import activity_weeks_refresh

    return activity_weeks_refresh(full=True)


def activity_weeks_sweep() -> bool:
    """Called by each worker at every heartbeat: at most once a minute per process,
    queues a refresh of the weekly counts when the ledger has rows they do not hold yet
    and none is waiting. True if it queued one."""
    global _last_refresh
    if time.monotonic() - _last_refresh < REFRESH_EVERY_SECONDS:
        return False
    _last_refresh = time.monotonic()
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from solidaire.core.models import Activity

    from .weekly import mark

    if not Activity.objects.filter(id__gt=mark()).exists():
        return False
    if DBTaskResult.objects.filter(
        task_path=activity_weeks_refresh_task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists():
        return False
    activity_weeks_refresh_task.enqueue()
    return True
