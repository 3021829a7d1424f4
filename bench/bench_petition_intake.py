"""Petition intake under load (issue 5): granian + PostgreSQL + Redis, production settings.

A load generator on loopback (bench/loadgen.py, uvloop) runs the real flow for 60 seconds:
GET the petition page for its form key, POST a unique signature. In the same run,
the same server's bare endpoint (one INSERT, same middleware) gives the ceiling.
Then it checks that the rows stored equal the successful responses, with no
duplicates, and times the background job recording the first signatures.

    python bench/bench_petition_intake.py [--seconds 60] [--concurrency 32]

The per-address rate limit is lifted for the loopback client (the output says so):
every simulated signer comes from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
DB = "solidaire_bench_intake"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def keyring() -> str:
    return json.dumps({"version": 1, "shredded": [], "keys": [{
        "id": "status-bench", "purpose": "status", "primary": True,
        "key": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
        "created": "2026-11-21T00:00:00+00:00",
    }]})


def server_env(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLIDAIRE_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.intake_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"{SERVER}/{DB}",
        "SOLIDAIRE_SECRET_KEY": secrets.token_urlsafe(50),
        "SOLIDAIRE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SOLIDAIRE_FIELD_KEYS": keyring(),
        "SOLIDAIRE_CACHE_URL": REDIS_URL,
        "SOLIDAIRE_SSL_REDIRECT": "false",
        "SOLIDAIRE_VAR_DIR": var_dir,
        "SOLIDAIRE_PORT": str(PORT),
        # Every simulated signer comes from 127.0.0.1: the per-address limit is lifted
        # for that address only.
        "SOLIDAIRE_PUBLIC_FORM_RATE_EXEMPT": "127.0.0.1",
    })
    return env


SETUP = """
from solidaire.campaigns.models import Publication
from solidaire.organizing.models import Organization
from solidaire.petitions.models import Petition
org = Organization.objects.create(name="Bench workers' centre", slug="bench", is_host=True)
Petition.objects.create(slug="bench", organization=org, status=Publication.OPEN, goal=100000,
    title={"en": "Health care and income support for migrant students",
           "fr": "Soins de santé et soutien du revenu pour les étudiants migrants"},
    summary={"en": "We call on the federal government to act now.",
             "fr": "Nous demandons au gouvernement fédéral d'agir maintenant."},
    body={"en": "Migrant students lost their jobs.\\n\\nWe call for health care.",
          "fr": "Les étudiants migrants ont perdu leur emploi.\\n\\nNous demandons des soins."})
"""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run_load(mode: str, url: str, seconds: float, concurrency: int, run_id: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadgen.py"), mode, url, str(seconds),
         str(concurrency), run_id], capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ceiling-seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    admin(f"DROP DATABASE IF EXISTS {DB}")
    admin(f"CREATE DATABASE {DB}")
    var_dir = tempfile.mkdtemp(prefix="solidaire-bench-intake-")
    env = server_env(var_dir)
    solidaire = [str(VENV / "python"), "-m", "solidaire"]
    subprocess.run([*solidaire, "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([*solidaire, "collectstatic", "--noinput", "--verbosity", "0"], env=env,
                   check=True)
    subprocess.run([*solidaire, "shell", "--no-imports", "-c", SETUP], env=env, check=True)
    with psycopg.connect(f"{SERVER}/{DB}", autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, at timestamptz)")
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False,
                   capture_output=True)

    # The production server as shipped (deploy/serve), on the benchmark's port.
    command = [str(ROOT / "deploy" / "serve")]
    server = subprocess.Popen(command, env=env, cwd=str(ROOT))
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_for(f"{base}/healthz")
        wait_for(f"{base}/en/petitions/bench/")
        workers = os.environ.get("SOLIDAIRE_WORKERS") or f"{os.cpu_count() + 1}"
        print(f"server: deploy/serve (granian, WSGI: {workers} processes × "
              f"{os.environ.get('SOLIDAIRE_THREADS', '3')} threads), production settings, "
              f"PostgreSQL, Redis cache; {os.cpu_count()} cores shared with the load generator")
        print("note: the per-address rate limit is lifted for 127.0.0.1 (the load generator)")
        run_id = uuid.uuid4().hex[:8]

        bare = run_load("bare", f"{base}/bench/bare-insert", args.ceiling_seconds,
                        args.concurrency, run_id)
        bare_rate = bare["ok"] / bare["seconds"]
        print(f"ceiling — bare endpoint, one INSERT per request: {bare_rate:,.0f} requests/s "
              f"(p50 {percentile(bare['post_ms'], 50):.1f} ms, "
              f"p99 {percentile(bare['post_ms'], 99):.1f} ms, {bare['post_failed']} failed)")
        print(f"   the signing flow makes 2 requests per signature: its ceiling is about "
              f"{bare_rate / 2:,.0f} signatures/s")

        flow = run_load("flow", f"{base}/en/petitions/bench/", args.seconds,
                        args.concurrency, run_id)
        rate = flow["ok"] / flow["seconds"]
        print(f"signing flow, {args.concurrency} simulated signers for {flow['seconds']:.0f} s: "
              f"{flow['ok']:,} signatures, {rate:,.0f} signatures/s")
        for label, key in (("GET page", "get_ms"), ("POST signature", "post_ms"),
                           ("GET + POST", "pair_ms")):
            values = flow[key]
            print(f"   {label:<15} p50 {percentile(values, 50):6.1f} ms   "
                  f"p99 {percentile(values, 99):6.1f} ms   "
                  f"mean {statistics.fmean(values) if values else float('nan'):6.1f} ms")
        failed = flow["get_failed"] + flow["post_failed"] + flow["errors"]
        print(f"   failed requests: {failed} {flow.get('statuses', '')}")
    finally:
        server.terminate()
        server.wait(timeout=30)

    with psycopg.connect(f"{SERVER}/{DB}", autocommit=True) as conn:
        stored, distinct_contacts, distinct_keys = conn.execute(
            "SELECT count(*), count(DISTINCT contact_key), count(DISTINCT token) "
            "FROM petitions_signature").fetchone()
    print(f"check: {stored:,} signatures stored for {flow['ok']:,} successful responses; "
          f"duplicates by contact {stored - distinct_contacts}, by form key "
          f"{stored - distinct_keys}")
    ok = stored == flow["ok"] and stored == distinct_contacts == distinct_keys

    # The background job then records them (person, consent, ledger, e-mail).
    sample = min(5000, stored)
    code = ("import time; from solidaire.petitions.services import signatures_process as p; "
            f"t=time.perf_counter(); n=p(limit={sample}); "
            "print(f'{n} {time.perf_counter()-t:.2f}')")
    out = subprocess.run([*solidaire, "shell", "--no-imports", "-c", code], env=env,
                         check=True, capture_output=True, text=True).stdout.split()[-2:]
    done, seconds = int(out[0]), float(out[1])
    print(f"recording afterwards (background job, one process): {done:,} signatures in "
          f"{seconds:.1f} s = {done / seconds:,.0f}/s")
    if not args.keep:
        admin(f"DROP DATABASE IF EXISTS {DB}")
    print("PASS" if ok else "FAIL: stored rows differ from successful responses")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
