"""Recording signatures in the worker (decision 0053): signatures/s by one worker.

Stores N pending signatures on one petition of an organization whose list already
holds some of the signers (PostgreSQL, production-like settings), then runs ONE real
`solidaire worker --batch --queue-name intake` and times it until nothing waits. The
baseline, measured in the same run on a sample: the same job recording one signature
at a time (PETITION_RECORD_IN_BATCHES = False), as every signature was before.

    python bench/bench_recording.py [--signatures 20000] [--members 0.1] [--sample 2000]

Target: ≥ 500 signatures/s recorded by one worker on this 2-core machine.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
SERVER = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire").rsplit("/", 1)[0]
DB = "solidaire_bench_recording"


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def server_env(var_dir: str) -> dict[str, str]:
    """Production settings, as the worker runs in production (keys made up for the run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLIDAIRE_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "solidaire.settings.production",
        "SOLIDAIRE_SECRET_KEY": secrets.token_urlsafe(50),
        "SOLIDAIRE_ALLOWED_HOSTS": "127.0.0.1",
        "SOLIDAIRE_SITE_URL": "http://127.0.0.1",
        "SOLIDAIRE_FIELD_KEYS": json.dumps({"version": 1, "shredded": [], "keys": [{
            "id": "bench", "purpose": "status", "primary": True,
            "key": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
            "created": "2026-12-07T00:00:00+00:00"}]}),
        "SOLIDAIRE_CACHE_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "SOLIDAIRE_SSL_REDIRECT": "false",
        "SOLIDAIRE_VAR_DIR": var_dir,
    })
    return env

SETUP = """
import random
from solidaire.campaigns.models import Publication
from solidaire.organizing.models import Organization
from solidaire.people.services import person_create
from solidaire.petitions.models import Petition
from solidaire.petitions.services import signature_submit
import uuid
org = Organization.objects.create(name="Bench workers' centre", slug="bench", is_host=True)
petition = Petition.objects.create(slug="bench", organization=org, status=Publication.OPEN,
    goal=100000, title={"en": "Health care for migrant students", "fr": "Soins de santé"},
    summary={"en": "Act now.", "fr": "Agissez."}, body={"en": "Body.", "fr": "Texte."})
random.seed(1)
members = int(N * SHARE)
for i in range(members):
    person_create(chosen_name=f"Member {i}", organization=org, email=f"signer{i}@example.org",
                  preferred_language="fr" if i % 3 else "en")
for i in range(N):
    signature_submit(petition=petition, key=uuid.uuid4().hex, name=f"Member {i}" if i < members
                     else f"Signer {i}", email=f"signer{i}@example.org",
                     language="fr" if i % 3 else "en", consent_email=bool(i % 2))
print(members)
"""

BASELINE = """
import time
from django.conf import settings
from solidaire.petitions.services import signatures_process
settings.PETITION_RECORD_IN_BATCHES = False
t = time.perf_counter()
n = signatures_process(limit=SAMPLE)
print(n, time.perf_counter() - t)
"""


def pending(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM petitions_signature "
                            "WHERE status = 'pending'").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signatures", type=int, default=20_000)
    parser.add_argument("--members", type=float, default=0.1,
                        help="share of signers already in the organization's list")
    parser.add_argument("--sample", type=int, default=2_000,
                        help="signatures recorded one at a time for the baseline")
    args = parser.parse_args()

    admin(f"DROP DATABASE IF EXISTS {DB}")
    admin(f"CREATE DATABASE {DB}")
    env = server_env(tempfile.mkdtemp(prefix="solidaire-bench-recording-"))
    env["DATABASE_URL"] = url = f"{SERVER}/{DB}"
    solidaire = [str(VENV / "python"), "-m", "solidaire"]
    try:
        subprocess.run([*solidaire, "migrate", "--verbosity", "0"], env=env, check=True)
        setup = SETUP.replace("N * SHARE", f"{args.signatures} * {args.members}").replace(
            "range(N)", f"range({args.signatures})")
        subprocess.run([*solidaire, "shell", "--no-imports", "-c", setup], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        total = pending(url)
        print(f"{total:,} signatures waiting on one petition; {args.members:.0%} of the signers "
              f"already in the organization's list (same name and address)")

        # Baseline first, on the oldest signatures (members and new signers alike).
        out = subprocess.run([*solidaire, "shell", "--no-imports", "-c",
                              BASELINE.replace("SAMPLE", str(args.sample))],
                             env=env, check=True, capture_output=True, text=True).stdout.split()
        base_n, base_s = int(out[-2]), float(out[-1])
        base_rate = base_n / base_s
        print(f"baseline — one at a time (as before): {base_n:,} signatures in {base_s:.1f} s "
              f"= {base_rate:,.0f}/s")

        left = pending(url)
        enqueue = ("from solidaire.petitions.tasks import signatures_process_task as t; "
                   "t.enqueue()")
        subprocess.run([*solidaire, "shell", "--no-imports", "-c", enqueue], env=env, check=True)
        start = time.perf_counter()
        worker = subprocess.run([*solidaire, "worker", "--batch", "--queue-name", "intake",
                                 "--verbosity", "0"], env=env)
        seconds = time.perf_counter() - start
        still = pending(url)
        done = left - still
        rate = done / seconds
        print(f"one worker, in batches: {done:,} signatures in {seconds:.1f} s = {rate:,.0f}/s "
              f"(process start included; {still} still waiting; worker exit {worker.returncode})")
        print(f"ratio: {rate / base_rate:.1f}× the one-at-a-time path; target ≥ 500/s: "
              f"{'met' if rate >= 500 else 'NOT met'}")
        with psycopg.connect(url, autocommit=True) as conn:
            people, emails, ledger = (conn.execute(q).fetchone()[0] for q in (
                "SELECT count(*) FROM people_person",
                "SELECT count(*) FROM core_outboxemail",
                "SELECT count(*) FROM core_activity WHERE kind = 'petition.signed'"))
        print(f"check: {people:,} people, {ledger:,} signatures in the ledger, {emails:,} "
              f"e-mails queued for {total:,} signatures")
        ok = still == 0 and ledger == total and people == total and emails == total
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        if not os.environ.get("BENCH_KEEP"):  # BENCH_KEEP=1 keeps the database
            admin(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    sys.exit(main())
