"""The reading process of a large import (decision 0015).

Started with the "spawn" method, so this module is imported before Django is set
up: it imports the engine only once `django.setup()` has run. It puts batches
(cleaned and looked up) into the queue, then DONE, or the name of the error that
stopped it.
"""

import os
import queue
from pathlib import Path

DONE = "done"


def main(path: str, info: tuple, headers: list, mapping: dict, after_row: int, size: int,
         out, parent_pid: int, organization_id: int) -> None:
    import gc

    import django

    django.setup()
    gc.disable()  # a short-lived process that makes no reference cycles
    from django.db import connections

    from . import engine, reading
    from .cleaning import RowCleaner

    try:
        cleaner = RowCleaner(headers, mapping)
        _header, rows = reading.header_and_rows(Path(path), reading.FileInfo(*info))
        for batch in engine._looked_up(engine._batches(rows, cleaner, after_row, size),
                                       organization_id):
            batch.cleans = [clean.as_tuple() for clean in batch.cleans]
            while True:
                try:
                    out.put(batch, timeout=1)
                    break
                except queue.Full:
                    if os.getppid() != parent_pid:  # the importer died: stop too
                        return
        out.put(DONE)
    except BaseException as exc:
        out.put(f"error: {type(exc).__name__}")
    finally:
        connections.close_all()
