"""Petition intake under load (issue 5), against a minimal Django app on the same server.

Two servers, both started by deploy/serve (granian, same flags, same machine, same
PostgreSQL server, each its own database):
- the petition, with production settings and Redis (decision 0018);
- a minimal Django app (bench/minimal_settings.py, bench/minimal_app.py): no installed
  app, no middleware, one view whose GET answers a small form with a random key and
  whose POST stores it with one INSERT through a cursor, then answers 303.

A load generator on loopback (bench/loadgen.py `flow`, uvloop) runs the same flow on
both: GET the page for its form key, POST a unique signature. The runs are
interleaved (petition, minimal, petition, minimal: --rounds of --seconds each, after a
short warm-up of each), so that the machine's drift falls on both alike. For each:
signatures per second, p99 of the GET + POST pair, and the server's CPU time per
signature: user + system time of granian's master and workers (/proc/<pid>/stat)
over the run, divided by the signatures stored. Then it checks that the rows stored
equal the successful responses with no duplicate, and times the background job
recording the first signatures.

    python bench/bench_petition_intake.py [--seconds 30] [--rounds 2] [--concurrency 32]

The per-address rate limit is lifted for the loopback client (the output says so):
every simulated signer comes from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid

import psycopg
from intake_common import (
    ROOT,
    SOLIDAIRE,
    admin,
    base_env,
    loadgen_command,
    machine_cpu,
    percentile,
    petition_database,
    production_env,
    redis_flush,
    serve,
    tree_cpu,
    wait_for,
)

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
DB = "solidaire_bench_intake"
MINIMAL_DB = "solidaire_bench_intake_minimal"
PORT = int(os.environ.get("BENCH_PORT", "8841"))
MINIMAL_PORT = PORT + 1
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
WARM_UP_SECONDS = 3

TARGET_RATE = 1000  # signatures per second
TARGET_P99_MS = 200
TARGET_CPU_RATIO = 1.5

MINIMAL_TABLE = """
CREATE TABLE signature (id bigserial PRIMARY KEY, key text UNIQUE NOT NULL, name text,
    email text, postal_code text, city text, language text, created_at timestamptz NOT NULL)
"""


def run_load(app: dict, seconds: float, concurrency: int, run_id: str) -> dict:
    """One run of the load generator against `app`, with the server's CPU around it."""
    cpu_before, pids_before = tree_cpu(app["server"].pid)
    busy_before, total_before = machine_cpu()
    gen_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(loadgen_command("flow", app["url"], seconds, concurrency, run_id),
                         capture_output=True, text=True, check=True)
    gen_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_after, total_after = machine_cpu()
    cpu_after, pids_after = tree_cpu(app["server"].pid)
    result = json.loads(out.stdout)
    if pids_before != pids_after:
        print(f"   warning: {app['name']}'s server processes changed during the run; "
              "its CPU figure misses the ones that ended")
    result["server_cpu"] = cpu_after - cpu_before
    result["generator_cpu"] = ((gen_after.ru_utime + gen_after.ru_stime)
                               - (gen_before.ru_utime + gen_before.ru_stime))
    result["machine_busy"] = busy_after - busy_before
    result["machine_total"] = total_after - total_before
    return result


def describe(app: dict, result: dict, label: str) -> None:
    ok, seconds = result["ok"], result["seconds"]
    failed = result["get_failed"] + result["post_failed"] + result["errors"]
    cores = result["machine_total"] / seconds
    print(f"{label:<9} {app['name']:<8} {ok:>7,} signatures in {seconds:4.1f} s = "
          f"{ok / seconds:6,.0f}/s   p99 GET+POST {percentile(result['pair_ms'], 99):6.1f} ms   "
          f"server CPU {result['server_cpu']:5.1f} s = "
          f"{1000 * result['server_cpu'] / max(ok, 1):.3f} ms/signature   "
          f"failed {failed}{' ' + str(result['statuses']) if result['statuses'] else ''}   "
          f"page {result.get('page_bytes', 0):,} bytes")
    print(f"{'':<19}machine {100 * result['machine_busy'] / result['machine_total']:3.0f}% busy "
          f"of {cores:.0f} cores: server {100 * result['server_cpu'] / seconds / cores:3.0f}%, "
          f"load generator {100 * result['generator_cpu'] / seconds / cores:3.0f}%, the rest "
          f"(PostgreSQL, Redis, other work on the machine) "
          f"{100 * (result['machine_busy'] - result['server_cpu'] - result['generator_cpu']) / result['machine_total']:3.0f}%")  # noqa: E501


def totals(runs: list[dict]) -> dict:
    ok = sum(r["ok"] for r in runs)
    return {
        "ok": ok,
        "rate": ok / sum(r["seconds"] for r in runs),
        "pair_ms": [v for r in runs for v in r["pair_ms"]],
        "get_ms": [v for r in runs for v in r["get_ms"]],
        "post_ms": [v for r in runs for v in r["post_ms"]],
        "cpu_ms": 1000 * sum(r["server_cpu"] for r in runs) / max(ok, 1),
    }


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30, help="length of each run")
    parser.add_argument("--rounds", type=int, default=2,
                        help="runs of each app, interleaved (default 2)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="solidaire-bench-intake-")
    env = production_env(database_url=f"{SERVER}/{DB}", redis_url=REDIS_URL, port=PORT,
                         var_dir=var_dir)
    petition_database(SERVER, DB, env)
    redis_flush(REDIS_URL)
    admin(SERVER, f"DROP DATABASE IF EXISTS {MINIMAL_DB}")
    admin(SERVER, f"CREATE DATABASE {MINIMAL_DB}")
    with psycopg.connect(f"{SERVER}/{MINIMAL_DB}", autocommit=True) as conn:
        conn.execute(MINIMAL_TABLE)
    minimal_env = base_env()
    minimal_env.update({
        "DJANGO_SETTINGS_MODULE": "bench.minimal_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"{SERVER}/{MINIMAL_DB}",
        "SOLIDAIRE_PORT": str(MINIMAL_PORT),
        # No static files nor messages to prepare: deploy/serve starts granian at once.
        "SOLIDAIRE_PREPARE": "false",
    })

    # Both through deploy/serve: the same granian flags, the same processes and threads.
    petition = {"name": "petition", "server": serve(env),
                "url": f"http://127.0.0.1:{PORT}/en/petitions/bench/", "runs": [], "warm": []}
    minimal = {"name": "minimal", "server": serve(minimal_env),
               "url": f"http://127.0.0.1:{MINIMAL_PORT}/sign/", "runs": [], "warm": []}
    apps = (petition, minimal)
    try:
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        wait_for(petition["url"])
        wait_for(minimal["url"])
        workers = os.environ.get("SOLIDAIRE_WORKERS") or f"{os.cpu_count() + 1}"
        threads = os.environ.get("SOLIDAIRE_THREADS", "3")
        print(f"servers: deploy/serve (granian, WSGI: {workers} processes × {threads} threads) "
              f"for each app; {os.cpu_count()} cores shared by both servers, PostgreSQL, "
              "Redis, the load generator and whatever else runs on the machine")
        print("   petition: production settings, PostgreSQL, Redis cache")
        print("   minimal:  bench/minimal_settings.py — no app, no middleware; GET a form "
              "with a random key, POST one INSERT through a cursor, 303")
        print("note: the per-address rate limit is lifted for 127.0.0.1 (the load generator)")
        run_id = uuid.uuid4().hex[:6]
        for app in apps:
            app["warm"].append(run_load(app, WARM_UP_SECONDS, args.concurrency,
                                        f"{run_id}w{app['name'][0]}"))
        print(f"warm-up: {WARM_UP_SECONDS} s of each, not counted; then {args.rounds} rounds "
              f"of {args.seconds:.0f} s each, interleaved, {args.concurrency} simulated "
              "signers")
        for round_ in range(1, args.rounds + 1):
            for app in apps:
                result = run_load(app, args.seconds, args.concurrency,
                                  f"{run_id}r{round_}{app['name'][0]}")
                app["runs"].append(result)
                describe(app, result, f"round {round_}")
    finally:
        for app in apps:
            app["server"].terminate()
        for app in apps:
            app["server"].wait(timeout=30)

    p, m = totals(petition["runs"]), totals(minimal["runs"])
    p99p, p99m = percentile(p["pair_ms"], 99), percentile(m["pair_ms"], 99)
    print()
    print(f"{'':<26}{'petition':>12}{'minimal':>12}{'ratio':>8}   target (petition)")
    print(f"{'signatures/s':<26}{p['rate']:>12,.0f}{m['rate']:>12,.0f}"
          f"{p['rate'] / m['rate']:>8.2f}   ≥ {TARGET_RATE:,}/s: "
          f"{verdict(p['rate'] >= TARGET_RATE)}")
    print(f"{'p99 GET + POST':<26}{p99p:>9.1f} ms{p99m:>9.1f} ms{p99p / p99m:>8.2f}   "
          f"< {TARGET_P99_MS} ms: {verdict(p99p < TARGET_P99_MS)}")
    for label, key in (("   p50 GET + POST", "pair_ms"), ("   p99 GET", "get_ms"),
                       ("   p99 POST", "post_ms")):
        q = 50 if "p50" in label else 99
        a, b = percentile(p[key], q), percentile(m[key], q)
        print(f"{label:<26}{a:>9.1f} ms{b:>9.1f} ms{a / b:>8.2f}")
    cpu_ratio = p["cpu_ms"] / m["cpu_ms"]
    print(f"{'server CPU per signature':<26}{p['cpu_ms']:>9.3f} ms{m['cpu_ms']:>9.3f} ms"
          f"{cpu_ratio:>8.2f}   ≤ {TARGET_CPU_RATIO}× the minimal app's: "
          f"{verdict(cpu_ratio <= TARGET_CPU_RATIO)}")
    per_round = ", ".join(
        f"round {i}: {1000 * a['server_cpu'] / max(a['ok'], 1) / (1000 * b['server_cpu'] / max(b['ok'], 1)):.2f}"  # noqa: E501
        for i, (a, b) in enumerate(zip(petition["runs"], minimal["runs"], strict=True), 1))
    print(f"   CPU ratio by round ({per_round}); the mean GET + POST was "
          f"{statistics.fmean(p['pair_ms']):.1f} vs {statistics.fmean(m['pair_ms']):.1f} ms")

    ok = True
    accepted = sum(r["ok"] for r in petition["warm"] + petition["runs"])
    with psycopg.connect(f"{SERVER}/{DB}", autocommit=True) as conn:
        stored, contacts, keys, names = conn.execute(
            "SELECT count(*), count(DISTINCT contact_key), count(DISTINCT token), "
            "count(DISTINCT name) FROM petitions_signature").fetchone()
    print(f"check, petition: {stored:,} signatures stored for {accepted:,} successful responses "
          f"(warm-up included); duplicates by contact {stored - contacts}, by form key "
          f"{stored - keys}, by signer {stored - names}")
    ok &= stored == accepted == contacts == keys == names
    accepted_minimal = sum(r["ok"] for r in minimal["warm"] + minimal["runs"])
    with psycopg.connect(f"{SERVER}/{MINIMAL_DB}", autocommit=True) as conn:
        stored_minimal, names_minimal = conn.execute(
            "SELECT count(*), count(DISTINCT name) FROM signature").fetchone()
    print(f"check, minimal:  {stored_minimal:,} rows stored for {accepted_minimal:,} successful "
          f"responses; duplicates by signer {stored_minimal - names_minimal}")
    ok &= stored_minimal == accepted_minimal == names_minimal

    # The background job then records them (person, consent, ledger, e-mail).
    sample = min(5000, stored)
    code = ("import time; from solidaire.petitions.services import signatures_process as p; "
            f"t=time.perf_counter(); n=p(limit={sample}); "
            "print(f'{n} {time.perf_counter()-t:.2f}')")
    out = subprocess.run([*SOLIDAIRE, "shell", "--no-imports", "-c", code], env=env,
                         check=True, capture_output=True, text=True).stdout.split()[-2:]
    done, seconds = int(out[0]), float(out[1])
    print(f"recording afterwards (background job, one process): {done:,} signatures in "
          f"{seconds:.1f} s = {done / seconds:,.0f}/s")
    if not args.keep:
        admin(SERVER, f"DROP DATABASE IF EXISTS {DB}")
        admin(SERVER, f"DROP DATABASE IF EXISTS {MINIMAL_DB}")
        shutil.rmtree(var_dir, ignore_errors=True)
    print("PASS" if ok else "FAIL: stored rows differ from successful responses")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
