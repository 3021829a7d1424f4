"""The reading process of a large import (decision 0015).

Started with the "spawn" method, so this module is imported before Django is set
up: it imports the engine only once `django.setup()` has run. It sends batches
(cleaned and looked up) down a one-way pipe, then DONE, or the name of the error
that stopped it.

It never outlives the importing process, however that one ends:

- on Linux the kernel kills it (SIGKILL) as soon as its parent dies;
- everywhere, the importer holds the only reading end of the pipe: once it is dead,
  the next send fails (broken pipe), even one already waiting for room, and this
  process ends. A multiprocessing Queue would not do: its process holds the reading
  end too, and exiting waits for a background thread to finish writing what was
  queued into a pipe that nobody reads any more.
"""

import os
import signal
import sys
from pathlib import Path

DONE = "done"
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; leave if it already has.

    The request is tied to the parent *thread* that started this process; the engine
    starts it from the thread that runs the import, which outlives it.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            prctl = ctypes.CDLL(None, use_errno=True).prctl
            prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                              ctypes.c_ulong]
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the broken pipe still stops this process
    if os.getppid() != parent_pid:  # died before the request: no signal will come
        os._exit(0)


def send(out, item) -> bool:
    """Send `item`, waiting while the importer writes the previous batch; False once
    the importer is gone (broken pipe)."""
    try:
        out.send(item)
    except OSError:
        return False
    return True


def main(path: str, info: tuple, headers: list, mapping: dict, after_row: int, size: int,
         out, parent_pid: int, organization_id: int) -> None:
    """Send the batches after `after_row` to `out` (the writing end of a pipe)."""
    die_with_parent(parent_pid)
    import gc

    import django

    django.setup()
    gc.disable()  # a short-lived process that makes no reference cycles
    from django.db import connections

    from solidaire.core import tabular

    from . import engine
    from .cleaning import RowCleaner

    batches = None
    try:
        cleaner = RowCleaner(headers, mapping)
        _header, rows = tabular.header_and_rows(Path(path), tabular.FileInfo(*info))
        # A thread reads, cleans and looks up the next batches while this one sends:
        # the importer finds up to three batches ready, as with a queue.
        batches = engine._ahead(engine._looked_up(
            engine._batches(rows, cleaner, after_row, size), organization_id), depth=2)
        for batch in batches:
            batch.cleans = [clean.as_tuple() for clean in batch.cleans]
            if not send(out, batch):
                return
        send(out, DONE)
    except BaseException as exc:
        send(out, f"error: {type(exc).__name__}")
    finally:
        if batches is not None:
            batches.close()  # the reading thread stops
        out.close()
        connections.close_all()
