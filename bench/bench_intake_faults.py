"""Petition intake while things break: are signatures lost or counted twice?

The production set-up on one machine: deploy/serve (granian, production settings),
PostgreSQL, Redis, and two `solidaire worker` processes as production runs them (one
on the queues `intake,default`, one on `email,bulk`), e-mail going to a small SMTP
sink in this script. A load generator (bench/loadgen.py `patient`) signs the petition
for --seconds (default 60) as people would: a page that fails is reloaded, a POST that
fails is sent again with the same form, up to 5 times. During the load this script:

- kills both workers (SIGKILL) at 15% and 75% of the run, and restarts them 1.5 s
  later, as systemd would; a worker that exits by itself is NOT restarted, and the
  run says so ("worker exited on its own"): it shows whether the workers ride out
  the other faults;
- restarts PostgreSQL at 35% of the run (--pg-restart);
- kills one of granian's worker processes (SIGKILL) at 55% of the run; granian
  starts another (--respawn-failed-workers).

Then it waits until the backlog is empty — every stored signature recorded (none
pending), every e-mail of the outbox sent — and prints what was accepted, stored,
recorded and e-mailed, duplicates, losses, the failed answers around each fault, and
the time from the end of the load until the backlog was empty (target: 2 minutes).

It restarts the database server, so it runs only when asked: BENCH_FAULTS=1. Point it
at a throw-away cluster rather than a server others use, e.g.

    pg_createcluster 15 benchfault --port 5499   # then trust auth in its pg_hba.conf
    pg_ctlcluster --skip-systemctl-redirect 15 benchfault start
    BENCH_FAULTS=1 PG_URL=postgres://postgres@127.0.0.1:5499/postgres \\
        python bench/bench_intake_faults.py \\
        --pg-restart "pg_ctlcluster --skip-systemctl-redirect 15 benchfault restart"
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
from intake_common import (
    ROOT,
    SOLIDAIRE,
    admin,
    loadgen_command,
    percentile,
    petition_database,
    process_tree,
    production_env,
    redis_flush,
    serve,
    tree_cpu,
    wait_for,
)

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
DB = "solidaire_bench_faults"
PORT = int(os.environ.get("BENCH_FAULTS_PORT", "8843"))
SMTP_PORT = PORT + 1
REDIS_URL = os.environ.get("BENCH_FAULTS_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKER_QUEUES = ("intake,default", "email,bulk")
# Failed answers up to this long after a fault ends are put down to that fault: each
# server thread's first query after a database restart fails once, for instance.
AFTERMATH = 5.0
TARGET_DRAIN = 120.0
# Waiting for the backlog stops when nothing moved for this long and a worker exited
# on its own (nobody is left to do the work), or after --drain-timeout.
STUCK_AFTER = 60.0


class SmtpSink:
    """A tiny SMTP server that accepts every message and counts it (no TLS, no auth)."""

    def __init__(self, port: int):
        self.port = port
        self.messages = 0
        self.received: Counter[tuple[str, str]] = Counter()  # (recipient, subject)
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._session, "127.0.0.1", self.port))
        ready.set()
        self.loop.run_forever()

    async def _session(self, reader, writer) -> None:
        writer.write(b"220 bench-sink ESMTP\r\n")
        recipients: list[str] = []
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-bench-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                elif verb == b"MAIL":
                    recipients = []
                    writer.write(b"250 OK\r\n")
                elif verb == b"RCPT":
                    recipients.append(line.partition(b":")[2].strip().split(b" ")[0]
                                      .strip(b"<>").decode(errors="replace").lower())
                    writer.write(b"250 OK\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    await writer.drain()
                    subject, headers = "", True
                    while (data := await reader.readline()) not in (b".\r\n", b".\n", b""):
                        if headers and data in (b"\r\n", b"\n"):
                            headers = False
                        elif headers and data[:8].lower() == b"subject:":
                            subject = data[8:].strip().decode(errors="replace")
                    self.messages += 1
                    for recipient in recipients:
                        self.received[(recipient, subject)] += 1
                    writer.write(b"250 OK: queued\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 Bye\r\n")
                    await writer.drain()
                    break
                else:  # HELO, RSET, NOOP and the rest
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class Worker:
    """One `solidaire worker` process, restarted by this script only when it killed it."""

    def __init__(self, queues: str, env: dict, log_dir: str):
        self.queues, self.env, self.log_dir = queues, env, log_dir
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.killed_pid: int | None = None
        self.restart_at: float | None = None
        self.exited: list[int] = []  # return codes of exits this script did not cause
        self.banked_cpu = 0.0  # CPU seconds of this worker's earlier, killed processes

    def start(self) -> None:
        self.starts += 1
        log = open(Path(self.log_dir) / f"worker-{self.queues.replace(',', '-')}-"  # noqa: SIM115
                   f"{self.starts}.log", "wb")
        self.proc = subprocess.Popen([*SOLIDAIRE, "worker", "--queue-name", self.queues],
                                     env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def cpu(self) -> float:
        """CPU seconds (user + system) used by this worker's processes so far."""
        if self.alive:
            with contextlib.suppress(OSError):
                return self.banked_cpu + tree_cpu(self.proc.pid)[0]
        return self.banked_cpu

    def kill(self, delay: float) -> bool:
        if not self.alive:
            return False
        self.banked_cpu = self.cpu()
        self.killed_pid = self.proc.pid
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.restart_at = time.monotonic() + delay
        return True

    def supervise(self, clock) -> None:
        """Restart after a kill once the delay is over; notice an exit of its own."""
        if self.restart_at is not None:
            if time.monotonic() >= self.restart_at:
                self.restart_at = None
                self.start()
                print(f"{clock():5.1f} s  worker {self.queues} restarted", flush=True)
            return
        if self.proc is not None and self.proc.poll() is not None \
                and self.proc.pid != self.killed_pid and not self.exited:
            self.exited.append(self.proc.returncode)
            print(f"{clock():5.1f} s  worker exited on its own: {self.proc.returncode} "
                  f"(queues {self.queues}; not restarted)", flush=True)
            self._print_log_tail()

    def _print_log_tail(self) -> None:
        path = Path(self.log_dir) / f"worker-{self.queues.replace(',', '-')}-{self.starts}.log"
        lines = path.read_text(errors="replace").strip().splitlines()[-3:]
        for line in lines:
            print(f"         | {line[:200]}")

    def stop(self) -> None:
        if self.alive:
            self.proc.send_signal(signal.SIGTERM)  # graceful: finishes the current job
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def spool_drain_command() -> bool:
    """Whether this checkout has `solidaire spool-drain` (signatures kept aside while
    the database was down)."""
    return any(ROOT.glob("src/solidaire/*/management/commands/spool[-_]drain.py"))


def query(sql: str, params=()) -> list[tuple]:
    with psycopg.connect(f"{SERVER}/{DB}", autocommit=True, connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def postmaster_started():
    """When the server of PG_URL started (waits up to 30 s for it to answer)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return query("SELECT pg_postmaster_start_time()")[0][0]
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def backlog() -> tuple[int, int]:
    """(signatures pending, e-mails pending)."""
    return (query("SELECT count(*) FROM petitions_signature WHERE status = 'pending'")[0][0],
            query("SELECT count(*) FROM core_outboxemail WHERE status = 'pending'")[0][0])


def sample_progress(samples: list, stop: threading.Event, clock) -> None:
    """Every 5 s during the load: (second, signatures recorded, signatures pending)."""
    while not stop.wait(5):
        try:
            samples.append((clock(), *query(
                "SELECT count(*) FILTER (WHERE status <> 'pending'), "
                "count(*) FILTER (WHERE status = 'pending') FROM petitions_signature")[0]))
        except psycopg.OperationalError:
            samples.append((clock(), None, None))


def missing(accepted: set[str]) -> set[str]:
    stored = {name for (name,) in query("SELECT name FROM petitions_signature")}
    return accepted - stored


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--pg-restart",
                        default="pg_ctlcluster --skip-systemctl-redirect 15 main restart",
                        help="command that restarts the PostgreSQL server of PG_URL")
    parser.add_argument("--restart-delay", type=float, default=1.5,
                        help="seconds before a killed worker is started again")
    parser.add_argument("--drain-timeout", type=float, default=900,
                        help="give up waiting for the backlog after this many seconds")
    parser.add_argument("--spool-drain", action="store_true",
                        help="also run `solidaire spool-drain` once when the load ends (by "
                             "default only the workers' sweep drains the spool)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database, and the logs and spool, afterwards")
    args = parser.parse_args()
    if os.environ.get("BENCH_FAULTS") != "1":
        print(f"skipped: this run restarts PostgreSQL ({args.pg_restart!r}, for {SERVER}); "
              "set BENCH_FAULTS=1 to run it (see bench/README.md)")
        return 0

    var_dir = tempfile.mkdtemp(prefix="solidaire-bench-faults-")
    env = production_env(database_url=f"{SERVER}/{DB}", redis_url=REDIS_URL, port=PORT,
                         var_dir=var_dir)
    env.update({"SOLIDAIRE_EMAIL_HOST": "127.0.0.1", "SOLIDAIRE_EMAIL_PORT": str(SMTP_PORT),
                "SOLIDAIRE_EMAIL_TLS": "false",
                # A killed worker's last lines reach its log file.
                "PYTHONUNBUFFERED": "1"})
    petition_database(SERVER, DB, env)
    redis_flush(REDIS_URL)
    sink = SmtpSink(SMTP_PORT)
    server_log = open(Path(var_dir) / "server.log", "wb")  # noqa: SIM115
    server = serve(env, log=server_log)
    workers = [Worker(queues, env, var_dir) for queues in WORKER_QUEUES]
    url = f"http://127.0.0.1:{PORT}/en/petitions/bench/"
    spool = spool_drain_command()
    load: subprocess.Popen | None = None
    try:
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        wait_for(url)
        for worker in workers:
            worker.start()
        web_processes = len(process_tree(server.pid)) - 1
        print(f"set-up: deploy/serve (granian, {web_processes} processes), production "
              f"settings, PostgreSQL at {SERVER} (restarted with {args.pg_restart!r}), Redis, "
              f"workers on {' and '.join(WORKER_QUEUES)}, SMTP sink on port {SMTP_PORT}; "
              f"{os.cpu_count()} cores shared with the load generator and other work")
        print(f"load: {args.concurrency} patient signers for {args.seconds:.0f} s (a failed "
              "page is reloaded, a failed POST sent again with the same form, up to 5 times)")
        print("note: the per-address rate limit is lifted for 127.0.0.1 (the load generator)")
        time.sleep(2)  # the workers' start-up

        plan = [(0.15, "workers"), (0.35, "postgres"), (0.55, "web"), (0.75, "workers")]
        plan = [(args.seconds * at, what) for at, what in plan]
        cpu_at_load_start = [w.cpu() for w in workers]
        started = time.monotonic()
        started_wall = time.time()
        clock = lambda: time.monotonic() - started  # noqa: E731
        load = subprocess.Popen(loadgen_command("patient", url, args.seconds, args.concurrency,
                                                uuid.uuid4().hex[:6]),
                                stdout=subprocess.PIPE, text=True)
        windows: list[tuple[str, float, float]] = []  # (fault, start, end), wall clock
        restart: subprocess.Popen | None = None
        restart_began = 0.0
        web_killed: tuple[int, float] | None = None
        chunks: list[str] = []
        reader = threading.Thread(target=lambda: chunks.append(load.stdout.read()), daemon=True)
        reader.start()
        samples: list[tuple] = []
        sampling = threading.Event()
        sampler = threading.Thread(target=sample_progress, args=(samples, sampling, clock),
                                   daemon=True)
        sampler.start()
        while load.poll() is None or restart is not None:
            now = clock()
            while plan and plan[0][0] <= now:
                _at, what = plan.pop(0)
                if what == "workers":
                    killed = [w.queues for w in workers if w.kill(args.restart_delay)]
                    print(f"{now:5.1f} s  SIGKILL to the workers ({', '.join(killed) or 'none'}"
                          f" alive); restart in {args.restart_delay:.1f} s", flush=True)
                    windows.append(("workers killed", time.time(),
                                    time.time() + args.restart_delay))
                elif what == "postgres":
                    print(f"{now:5.1f} s  restarting PostgreSQL", flush=True)
                    postmaster_before = postmaster_started()
                    restart_began = time.time()
                    restart = subprocess.Popen(shlex.split(args.pg_restart),
                                               stdout=subprocess.DEVNULL,
                                               stderr=subprocess.PIPE)
                elif what == "web":
                    children = sorted(process_tree(server.pid)[1:])
                    if children:
                        os.kill(children[0], signal.SIGKILL)
                        web_killed = (len(children), time.monotonic())
                        print(f"{now:5.1f} s  SIGKILL to one of granian's {len(children)} "
                              "worker processes", flush=True)
                        windows.append(("web process killed", time.time(), time.time()))
            if restart is not None and restart.poll() is not None:
                took = time.time() - restart_began
                error = restart.stderr.read().decode(errors="replace").strip()
                print(f"{clock():5.1f} s  PostgreSQL restarted in {took:.1f} s "
                      f"(exit {restart.returncode}{': ' + error[:200] if error else ''})",
                      flush=True)
                windows.append(("PostgreSQL restart", restart_began, time.time()))
                restart = None
                if postmaster_started() == postmaster_before:
                    raise SystemExit(f"--pg-restart did not restart the server of {SERVER}: "
                                     "it must restart the server the bench uses")
            if web_killed and time.monotonic() - web_killed[1] > 3:
                now_children = len(process_tree(server.pid)) - 1
                print(f"{clock():5.1f} s  granian runs {now_children} worker processes "
                      f"(had {web_killed[0]})", flush=True)
                web_killed = None
            for worker in workers:
                worker.supervise(clock)
            time.sleep(0.05)
        reader.join()
        sampling.set()
        result = json.loads("".join(chunks))
        load_end_wall = result["ended"]
        load_end = time.monotonic() - (time.time() - load_end_wall)
        print(f"{clock():5.1f} s  load over")
        # Killed workers not yet back are started as planned.
        while any(w.restart_at is not None for w in workers):
            for worker in workers:
                worker.supervise(clock)
            time.sleep(0.05)

        accepted = set(result["accepted"])
        if spool and args.spool_drain:
            print(f"{clock():5.1f} s  running `solidaire spool-drain` once")
            subprocess.run([*SOLIDAIRE, "spool-drain"], env=env, check=False)

        # Wait until the backlog is empty.
        at_load_end = backlog()
        cpu_at_load_end = [w.cpu() for w in workers]
        drained_signatures = drained_all = None
        last_change, last_seen = time.monotonic(), None
        while True:
            for worker in workers:
                worker.supervise(clock)
            try:
                pending = backlog()
            except psycopg.OperationalError:
                pending = None
            now = time.monotonic()
            if pending is not None:
                if pending[0] == 0 and drained_signatures is None:
                    drained_signatures = now - load_end
                if pending == (0, 0) and not (spool and missing(accepted)):
                    drained_all = now - load_end
                    break
                if pending != last_seen:
                    last_seen, last_change = pending, now
            if now - load_end > args.drain_timeout:
                print(f"gave up waiting after {args.drain_timeout:.0f} s: {pending}")
                break
            if (now - last_change > STUCK_AFTER
                    and any(w.exited for w in workers)):
                print(f"gave up waiting: nothing moved for {STUCK_AFTER:.0f} s and a worker "
                      f"exited on its own (pending signatures, e-mails: {pending})")
                break
            if int(now - load_end) % 15 == 0 and pending is not None:
                print(f"{clock():5.1f} s  backlog: {pending[0]:,} signatures, "
                      f"{pending[1]:,} e-mails pending", flush=True)
            time.sleep(1)
        cpu_at_drain = [w.cpu() for w in workers]
    finally:
        if load is not None and load.poll() is None:
            load.kill()
        for worker in workers:
            worker.stop()
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
        sink.stop()

    # What happened, from the database and the sink.
    (stored, tokens, contacts, names, recorded, persons) = query(
        "SELECT count(*), count(DISTINCT token), count(DISTINCT contact_key), "
        "count(DISTINCT name), count(*) FILTER (WHERE status <> 'pending'), "
        "count(DISTINCT person_id) FROM petitions_signature")[0]
    statuses = dict(query("SELECT status, count(*) FROM petitions_signature GROUP BY 1"))
    twice = query("SELECT count(*) FROM (SELECT person_id FROM petitions_signature "
                  "WHERE person_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) t")[0][0]
    emails = dict(query("SELECT status, count(*) FROM core_outboxemail GROUP BY 1"))
    jobs = query("SELECT queue_name, task_path, status, count(*) FROM "
                 "django_tasks_database_dbtaskresult GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
    lost = missing(accepted)
    stored_names = {name for (name,) in query("SELECT name FROM petitions_signature")}
    unanswered = len(stored_names - accepted)

    print()
    by_status = ", ".join(f"{n:,} {status}" for status, n in
                          sorted(result["accepted_statuses"].items()))
    print(f"accepted:    {len(accepted):,} signatures answered 2xx/3xx ({by_status}; "
          f"{result['retried']:,} after sending again; {result['abandoned']:,} signers gave "
          f"up after 6 tries; {result['ok'] / result['seconds']:,.0f}/s, "
          f"p99 POST {percentile(result['post_ms'], 99):.0f} ms)")
    print(f"stored:      {stored:,} rows ({unanswered:,} of them stored although the signer "
          "saw no success)")
    print(f"recorded:    {recorded:,} not pending ({', '.join(f'{k} {v:,}' for k, v in sorted(statuses.items()))})")  # noqa: E501
    print(f"e-mailed:    outbox {', '.join(f'{k} {v:,}' for k, v in sorted(emails.items())) or 'empty'}; "  # noqa: E501
          f"the sink received {sink.messages:,} messages for {len(sink.received):,} distinct "
          f"recipient and subject ({sink.messages - len(sink.received):,} sent twice)")
    duplicates = max(stored - tokens, stored - contacts, stored - names) + twice
    print(f"duplicates:  {duplicates} (by form key {stored - tokens}, by contact "
          f"{stored - contacts}, by signer {stored - names}, people counted twice {twice}; "
          f"{persons:,} people for {recorded:,} recorded)")
    print(f"lost:        {len(lost)} (accepted but not stored)")

    # Failed answers, put down to the fault they followed.
    failures = result["failures"]
    windows.sort(key=lambda w: w[1])
    buckets: dict[int | None, Counter] = {}
    for at, kind, code in failures:
        # The latest fault begun before the failure, if its window still runs.
        which = None
        for index, (_fault, begin, end) in enumerate(windows):
            if begin <= at <= end + AFTERMATH:
                which = index
        buckets.setdefault(which, Counter())[f"{kind} {code}"] += 1
    print(f"failed answers: {len(failures):,} (each put down to the latest fault begun "
          f"before it, up to {AFTERMATH:.0f} s after that fault ended; a signer pauses 0.5 s "
          "after each)")
    for index, (fault, begin, end) in enumerate(windows):
        detail = buckets.get(index, Counter())
        print(f"   {fault:<20} at {begin - started_wall:5.1f}–{end - started_wall:5.1f} s: "
              f"{sum(detail.values()):,} {dict(detail) if detail else ''}")
    if None in buckets:
        print(f"   {'no fault running':<20}: {sum(buckets[None].values()):,} "
              f"{dict(buckets[None])}")
    per_second = result["accepted_per_second"]
    first = int(started_wall)
    line = [per_second.get(str(first + s), 0) for s in range(int(args.seconds) + 2)]
    print("accepted per second: " + " ".join(str(n) for n in line))
    print("jobs (queue, task, status, count): "
          + "; ".join(f"{q} {t.rsplit('.', 1)[-1]} {s} {n:,}" for q, t, s, n in jobs))

    for worker in workers:
        for rc in worker.exited:
            print(f"worker exited on its own: {rc} ({worker.queues})")
    if not any(w.exited for w in workers):
        print("no worker exited on its own")
    print("recorded / pending signatures during the load, every 5 s: " + " ".join(
        f"{recorded_}/{pending_}" if recorded_ is not None else "down"
        for _t, recorded_, pending_ in samples))
    load_seconds = result["seconds"]
    drain_seconds = max(1.0, drained_all if drained_all is not None else args.drain_timeout)
    for worker, before, during, after in zip(workers, cpu_at_load_start, cpu_at_load_end,
                                             cpu_at_drain, strict=True):
        during -= before
        after -= before
        print(f"worker {worker.queues}: CPU {during:.1f} s during the {load_seconds:.0f} s of "
              f"load ({100 * during / load_seconds:.0f}% of a core), {after - during:.1f} s in "
              f"the {drain_seconds:.0f} s after ({100 * (after - during) / drain_seconds:.0f}%)")
    if drained_signatures:
        print(f"recording after the load: {at_load_end[0]:,} signatures waiting when it ended, "
              f"all recorded {drained_signatures:.0f} s later "
              f"(≈ {at_load_end[0] / max(drained_signatures, 1):,.0f}/s with the load gone)")
    if drained_all is not None:
        print(f"backlog empty {drained_all:.0f} s after the end of the load (signatures all "
              f"recorded after {drained_signatures:.0f} s); target ≤ {TARGET_DRAIN:.0f} s: "
              f"{'met' if drained_all <= TARGET_DRAIN else 'MISSED'}")
    else:
        print("backlog NOT empty" + (f" (signatures all recorded after "
                                     f"{drained_signatures:.0f} s)" if drained_signatures
                                     is not None else ""))
    if args.keep:
        print(f"kept: the database {DB}, and the logs and spool in {var_dir}")
    else:
        admin(SERVER, f"DROP DATABASE IF EXISTS {DB}")
        shutil.rmtree(var_dir, ignore_errors=True)
    ok = not lost and duplicates == 0 and drained_all is not None
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
