"""Shared by bench_petition_intake.py and bench_intake_faults.py: the production
server's environment, the bench petition, the load generator, and CPU accounting."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
SOLIDAIRE = [str(VENV / "python"), "-m", "solidaire"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# deploy/serve's own knobs are passed through, so that a run can try other counts.
SERVE_KNOBS = ("SOLIDAIRE_WORKERS", "SOLIDAIRE_THREADS", "SOLIDAIRE_VENV")

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


def admin(server: str, sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def keyring() -> str:
    return json.dumps({"version": 1, "shredded": [], "keys": [{
        "id": "status-bench", "purpose": "status", "primary": True,
        "key": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
        "created": "2026-11-21T00:00:00+00:00",
    }]})


def base_env() -> dict[str, str]:
    """This environment without SOLIDAIRE_* settings, except deploy/serve's knobs."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("SOLIDAIRE_") or k in SERVE_KNOBS}


def production_env(*, database_url: str, redis_url: str, port: int, var_dir: str) -> dict:
    """Production settings as an operator would set them, on loopback."""
    env = base_env()
    env.update({
        "DJANGO_SETTINGS_MODULE": "solidaire.settings.production",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "SOLIDAIRE_SECRET_KEY": secrets.token_urlsafe(50),
        "SOLIDAIRE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SOLIDAIRE_SITE_URL": "http://127.0.0.1",
        "SOLIDAIRE_FIELD_KEYS": keyring(),
        "SOLIDAIRE_CACHE_URL": redis_url,
        "SOLIDAIRE_SSL_REDIRECT": "false",
        "SOLIDAIRE_VAR_DIR": var_dir,
        "SOLIDAIRE_PORT": str(port),
        # Every simulated signer comes from 127.0.0.1: the per-address limit is lifted
        # for that address only.
        "SOLIDAIRE_PUBLIC_FORM_RATE_EXEMPT": "127.0.0.1",
    })
    return env


def petition_database(server: str, db: str, env: dict) -> None:
    """A fresh, migrated database holding the open petition `bench`."""
    admin(server, f"DROP DATABASE IF EXISTS {db}")
    admin(server, f"CREATE DATABASE {db}")
    subprocess.run([*SOLIDAIRE, "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([*SOLIDAIRE, "collectstatic", "--noinput", "--verbosity", "0"], env=env,
                   check=True)
    subprocess.run([*SOLIDAIRE, "shell", "--no-imports", "-c", SETUP], env=env, check=True)


def redis_flush(redis_url: str) -> None:
    subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=False, capture_output=True)


def serve(env: dict, *, log=None) -> subprocess.Popen:
    """The production server as shipped (deploy/serve); its pid is granian's master."""
    return subprocess.Popen([str(ROOT / "deploy" / "serve")], env=env, cwd=str(ROOT),
                            stdout=log, stderr=log)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def loadgen_command(mode: str, url: str, seconds: float, concurrency: int,
                    run_id: str) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "loadgen.py"), mode, url, str(seconds),
            str(concurrency), run_id]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def _stat(pid: int | str) -> tuple[int, int]:
    """(parent pid, user + system CPU in clock ticks) from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        # The command name, in parentheses, may hold spaces: split after it.
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def process_tree(root: int) -> list[int]:
    """`root` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent, _cpu = _stat(entry)
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def tree_cpu(root: int) -> tuple[float, frozenset[int]]:
    """CPU seconds (user + system) used so far by `root` and its descendants, and
    their pids: compare the pids before and after, since the time of a process that
    ended in between is no longer counted."""
    pids = process_tree(root)
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            ticks += _stat(pid)[1]
    return ticks / CLOCK_TICKS, frozenset(pids)


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already inside user time
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS
