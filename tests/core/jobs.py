"""Task functions used only by the tests (importable by a worker subprocess)."""

import time
from pathlib import Path

from django_tasks import task

from solidaire.core.models import AuditEntry


@task()
def apply_once_then_sleep(*, key: str, workdir: str) -> None:
    """An idempotent handler: apply an effect once per key, then take a while.

    Each start is appended to <workdir>/starts; the pause lasts as many seconds as
    <workdir>/sleep says, so a test can make the first attempt long and the next short.
    """
    folder = Path(workdir)
    with (folder / "starts").open("a") as starts:
        starts.write("start\n")
    # The effect: one audit row per key, whatever the number of attempts.
    AuditEntry.objects.get_or_create(action="tests.job.effect", object_id=key)
    # The job's long work: the tests kill or stop the worker while it lasts.
    time.sleep(float((folder / "sleep").read_text()))


@task()
def batches_until_done(*, workdir: str, batches: int) -> int:
    """A long job in short batches, as the signature and e-mail jobs are: each batch is
    appended to <workdir>/done once; between batches it hands itself back if the worker
    is stopping, and a later run resumes after the batches already done."""
    from solidaire.core.worker import hand_back_if_stopping

    done_file = Path(workdir) / "done"
    done_file.touch()
    while (done := len(done_file.read_text().split())) < batches:
        hand_back_if_stopping()
        time.sleep(0.1)  # a batch's work, so that a stop arrives in the middle of the job
        with done_file.open("a") as out:
            out.write(f"{done}\n")
    return done
