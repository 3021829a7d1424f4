"""The spool: what people send while the database is down, kept on disk until it is back.

A signature or a registration posted while the database cannot be reached is written
here instead (decision 0051): one line per entry, appended to a file of this process's
own under settings.SOLIDAIRE_SPOOL_DIR, sealed with the field-encryption key (the
signer's contact details never sit on disk in clear), flushed and fsynced before the
person is answered.

`spool_drain` records every entry through the handler registered for its kind
(settings.SOLIDAIRE_SPOOL_HANDLERS: kind → dotted path of `handler(data) -> outcome`).
Handlers call the same services as the form would have, with the form's own
idempotency key, so an entry drained twice is recorded once. It runs from every
worker's sweep, from the web process after its next POST that reached the database
(`spool_drain_soon`), and from `solidaire spool-drain`.

Files and locks:
- a writer appends under an exclusive `flock` of the file, and checks that the file
  it opened is still the one at the path (a drainer may have just moved it away);
- a drainer takes the same lock, renames `<name>.spool` to `<name>.<ns>.draining`
  (writers then start a new file) and works on the renamed file under its own lock,
  without holding up writers;
- a file is removed only once each of its entries is recorded or set aside. When the
  database goes away again (or the time budget ends) the entries not yet recorded are
  written to a new file first; an entry replayed after a crash is answered "replay".

An entry that can never be recorded (its petition was deleted, a line that does not
open) is appended, still sealed, to `rejected/<name>.spool` and its reason logged
without any personal data; it never holds up the others. Moving that file back into
the spool directory tries it again.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import secrets
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .crypto import ERASED, DecryptionError, seal, unseal
from .keys import KeyringError

logger = logging.getLogger(__name__)

# What a query raises when the database cannot be reached (refused, restarting,
# connection cut). Anything else is a bug or a bad entry, not an outage.
DATABASE_DOWN = (OperationalError, InterfaceError)

# The keyring holds keys for one purpose; its primary key seals spool lines too. A
# spooled line lives for seconds to minutes: it needs no key of its own, and a shred
# of the status keys (the destruction of sensitive data) also makes unread lines
# unreadable, which is what a shred is for.
PURPOSE = "status"
AAD = b"solidaire.spool.v1"
BLOCK = 256  # lines of one kind have the same length whatever was typed (mostly)
VERSION = 1
SPOOL = ".spool"
DRAINING = ".draining"
REJECTED_DIR = "rejected"
SWEEP_SECONDS = 2.0  # a worker's heartbeat must not stall on a long spool


class SpoolEntryRejected(Exception):
    """A handler can never record this entry. The message is the reason, written to
    the log: it must never hold personal data."""


class SpoolWriteError(Exception):
    """The entry could not be written durably (disk full, no key): nothing is kept."""


def spool_dir() -> Path:
    return Path(getattr(settings, "SOLIDAIRE_SPOOL_DIR", Path(settings.VAR_DIR) / "spool"))


# --- Writing ------------------------------------------------------------------------------

_write_lock = threading.Lock()
_own: dict[str, object] = {"pid": None, "stem": ""}
# Set when this process wrote an entry that it has not drained since: the check that a
# POST makes before looking for its own file is one attribute read.
_unsent = threading.Event()


def _own_stem() -> str:
    """This process's file name without its suffix: host, pid and a random part, so a
    pid reused after a restart never writes into a dead process's file."""
    if _own["pid"] != os.getpid():
        host = "".join(c if c.isalnum() or c in "-_" else "-" for c in socket.gethostname())
        _own["pid"] = os.getpid()
        _own["stem"] = f"{host[:40]}-{os.getpid()}-{secrets.token_hex(3)}"
    return str(_own["stem"])


def _fsync_dir(directory: Path) -> None:
    """A new or renamed file survives a crash only once its directory is synced."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def spool_append(*, kind: str, data: dict) -> None:
    """Keep one entry durably: when this returns, it is on disk (sealed, fsynced).

    Raises SpoolWriteError when that cannot be done; the caller then tells the person
    to send again, with what they typed still in the form.
    """
    payload = json.dumps({
        "v": VERSION, "kind": kind, "at": timezone.now().isoformat(),
        "language": translation.get_language() or settings.LANGUAGE_CODE, "data": data,
    }, ensure_ascii=False, separators=(",", ":"))
    try:
        line = (seal(payload, purpose=PURPOSE, aad=AAD, block=BLOCK) + "\n").encode("ascii")
        directory = spool_dir()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _write_lock:
            path = directory / (_own_stem() + SPOOL)
            for _attempt in range(10):
                descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX)
                    if not _same_file(descriptor, path):
                        continue  # a drainer moved it away while we waited: start anew
                    created = os.fstat(descriptor).st_size == 0
                    _write_all(descriptor, line)
                    os.fsync(descriptor)
                    if created:
                        _fsync_dir(directory)
                finally:
                    os.close(descriptor)  # also releases the lock
                _unsent.set()
                return
            raise SpoolWriteError("the spool file kept moving away")
    except (OSError, KeyringError) as error:
        raise SpoolWriteError(type(error).__name__) from error


# --- Draining -----------------------------------------------------------------------------

@dataclass
class DrainResult:
    recorded: int = 0
    rejected: int = 0
    left: int = 0  # entries still waiting (the database is down again, or time ran out)
    outcomes: Counter = field(default_factory=Counter)
    database_down: bool = False

    def __bool__(self) -> bool:
        return bool(self.recorded or self.rejected)


def _handlers() -> dict:
    return getattr(settings, "SOLIDAIRE_SPOOL_HANDLERS", {})


def _claim(path: Path) -> None:
    """Rename a file that writers append to, so that they start a new one."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        if not _same_file(descriptor, path):
            return
        if os.fstat(descriptor).st_size == 0:
            os.unlink(path)
            return
        stem = path.name[:-len(SPOOL)]
        os.rename(path, path.with_name(f"{stem}.{time.time_ns()}{DRAINING}"))
        _fsync_dir(path.parent)
    finally:
        os.close(descriptor)


def _stem_of(name: str) -> str:
    """The writer's stem of a spool, draining or rejected file name."""
    for suffix in (SPOOL, DRAINING):
        if name.endswith(suffix):
            name = name[:-len(suffix)]
            break
    head, _dot, tail = name.rpartition(".")
    return head if tail.isdigit() and head else name


def _open_line(raw: bytes) -> dict:
    """The entry of one sealed line; ValueError (with a reason) when it does not open."""
    try:
        text = unseal(raw.decode("ascii"), aad=AAD)
    except (UnicodeDecodeError, DecryptionError, KeyringError) as error:
        raise ValueError("the line does not open with the keys") from error
    if text is ERASED:
        raise ValueError("the line was sealed with a shredded key")
    try:
        entry = json.loads(text)
    except ValueError as error:
        raise ValueError("the line is not an entry") from error
    if not isinstance(entry, dict) or entry.get("v") != VERSION or "kind" not in entry:
        raise ValueError("the line is not an entry of this version")
    return entry


def _append_durably(path: Path, lines: list[bytes]) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        _write_all(descriptor, b"".join(line + b"\n" for line in lines))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    _fsync_dir(path.parent)


def _drain_file(path: Path, result: DrainResult, deadline: float | None) -> bool:
    """Record the entries of one claimed file; False when draining must stop here."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return True  # another drainer finished it
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True  # another drainer works on it
        if not path.exists():
            return True
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            content = handle.read()
        lines = content.split(b"\n")
        truncated = lines.pop()  # b"" when the file ends with a newline
        handlers = _handlers()
        rejected: list[bytes] = []
        stop_at = None
        for number, raw in enumerate(lines):
            if deadline is not None and time.monotonic() > deadline:
                stop_at = number
                break
            if not raw:
                continue
            try:
                entry = _open_line(raw)
            except ValueError as error:
                rejected.append(raw)
                _log_rejected(path, number + 1, "?", str(error))
                continue
            kind = str(entry["kind"])
            handler_path = handlers.get(kind)
            if handler_path is None:
                rejected.append(raw)
                _log_rejected(path, number + 1, kind, "no handler for this kind")
                continue
            try:
                with translation.override(entry.get("language") or settings.LANGUAGE_CODE):
                    outcome = import_string(handler_path)(entry.get("data") or {})
            except DATABASE_DOWN:
                result.database_down = True
                stop_at = number
                break
            except SpoolEntryRejected as error:
                rejected.append(raw)
                _log_rejected(path, number + 1, kind, str(error))
            except Exception as error:
                # One bad entry never holds up the rest. Only the class is logged: an
                # exception's message may quote what was typed.
                rejected.append(raw)
                _log_rejected(path, number + 1, kind, f"the handler raised {type(error).__name__}")
            else:
                result.recorded += 1
                result.outcomes[f"{kind}:{outcome}"] += 1
        if truncated:
            # Cut short by a crash while writing: that person was never answered.
            rejected.append(truncated)
            _log_rejected(path, len(lines) + 1, "?", "the line is incomplete")
        if rejected:
            _append_durably(spool_dir() / REJECTED_DIR / (_stem_of(path.name) + SPOOL),
                            rejected)
            result.rejected += len(rejected)
        if stop_at is not None:
            rest = [raw for raw in lines[stop_at:] if raw]
            result.left += len(rest)
            if stop_at > 0 or rejected:
                # Keep only what is left, written in full before the old file goes.
                fresh = path.with_name(f"{_stem_of(path.name)}.{time.time_ns()}{DRAINING}")
                temporary = fresh.with_name("." + fresh.name + ".tmp")
                _append_durably(temporary, rest)
                os.rename(temporary, fresh)
                os.unlink(path)
                _fsync_dir(path.parent)
            return False
        os.unlink(path)
        _fsync_dir(path.parent)
        return True
    finally:
        os.close(descriptor)


def _log_rejected(path: Path, number: int, kind: str, reason: str) -> None:
    logger.warning("Spool entry %s of %s (%s) set aside in %s/: %s", number, path.name, kind,
                   REJECTED_DIR, reason)


def spool_drain(*, own_only: bool = False, seconds: float | None = None) -> DrainResult:
    """Record what the spool holds; stop (keeping the rest) if the database goes away.

    `own_only`: only this process's files (the web process after a POST). `seconds`:
    stop after this long and leave the rest for the next call.
    """
    result = DrainResult()
    directory = spool_dir()
    try:
        names = sorted(os.listdir(directory))
    except FileNotFoundError:
        return result
    own = _own_stem() if own_only else None
    for name in names:
        if name.endswith(SPOOL) and (own is None or _stem_of(name) == own):
            _claim(directory / name)
    deadline = None if seconds is None else time.monotonic() + seconds
    draining = sorted((name for name in os.listdir(directory) if name.endswith(DRAINING)
                       and (own is None or _stem_of(name) == own)),
                      key=lambda name: (name.rsplit(".", 2)[-2], name))
    for index, name in enumerate(draining):
        if not _drain_file(directory / name, result, deadline):
            result.left += sum(_count_lines(directory / rest) for rest in draining[index + 1:])
            break
    if result or result.left:
        logger.info("Spool: %s recorded %s, %s set aside, %s left%s.", result.recorded,
                    dict(result.outcomes), result.rejected, result.left,
                    " (the database is not reachable)" if result.database_down else "")
    return result


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except FileNotFoundError:
        return 0


def spool_sweep() -> bool:
    """Called by every worker at each heartbeat (settings.SOLIDAIRE_SWEEPS): drains the
    spool of the machine the worker runs on, a couple of seconds at a time."""
    return bool(spool_drain(seconds=SWEEP_SECONDS))


_drainer: threading.Thread | None = None
_drainer_lock = threading.Lock()


def spool_drain_soon() -> threading.Thread | None:
    """After a request reached the database: drain this process's own spool, if it
    wrote one, in a thread of its own so that nobody's answer waits for it."""
    global _drainer
    if not _unsent.is_set():
        return None
    with _drainer_lock:
        if _drainer is not None and _drainer.is_alive():
            return _drainer
        _drainer = threading.Thread(target=_drain_own, name="solidaire-spool-drain",
                                    daemon=True)
        _drainer.start()
        return _drainer


def _drain_own() -> None:
    _unsent.clear()  # an entry written from now on sets it again
    try:
        result = spool_drain(own_only=True)
        if result.left:
            _unsent.set()
    except Exception:
        _unsent.set()
        logger.exception("Draining this process's spool failed; the worker's sweep will.")
    finally:
        # This thread's own connection: nothing else would ever close it.
        connections.close_all()
