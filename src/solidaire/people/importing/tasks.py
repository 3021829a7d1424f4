"""Background jobs for spreadsheet imports."""

from django_tasks import task

from ..models import PersonImport
from . import services


@task()
def person_import_task(import_id: int) -> int:
    """Run or resume one import; a rerun after a crash continues after the last chunk."""
    return services.person_import_run(import_id=import_id).rows_done


@task()
def person_import_undo_task(import_id: int) -> int:
    person_import = PersonImport.objects.get(pk=import_id)
    if person_import.state != PersonImport.State.UNDOING:
        return 0
    return services.person_import_undo(person_import=person_import,
                                       actor=person_import.undone_by).removed


@task()
def imports_purge_run() -> int:
    """Daily: forget files and undo records of imports past their undo window."""
    return services.imports_purge()
