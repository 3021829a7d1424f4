"""Background jobs of petitions: recording the signatures the public forms stored."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Signature

# A signature waiting longer than this has missed its job (a crash between the commit
# and the queueing, or a job that ended just before it arrived): the sweep queues one.
SWEEP_AFTER = datetime.timedelta(seconds=10)


# Recording what people did comes before everything else a worker may have waiting
# (decision 0048): its own queue, and the highest priority among our jobs.
INTAKE_PRIORITY = 50


@task(queue_name="intake", priority=INTAKE_PRIORITY)
def signatures_process_task() -> int:
    """Record every waiting signature (decision 0018); safe to run twice at once."""
    from solidaire.core.worker import hand_back_if_stopping

    from .services import signatures_process

    done = signatures_process()
    if Signature.objects.filter(status=Signature.Status.PENDING).exists():
        # Stopped between batches (a deploy): the next worker takes up the rest at once.
        hand_back_if_stopping()
    return done


def signatures_sweep() -> bool:
    """Called by each worker at every heartbeat; True if it queued a job."""
    from .services import signatures_schedule

    old = timezone.now() - SWEEP_AFTER
    if not Signature.objects.filter(status=Signature.Status.PENDING,
                                    created_at__lt=old).exists():
        return False
    queued = DBTaskResult.objects.filter(
        task_path=signatures_process_task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )
    if not queued.exists():
        signatures_schedule()
        return True
    return False
