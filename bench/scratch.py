"""Shared by the benchmarks that measure pages on a demo database.

`main_on_demo_database(script, db, people)` loads `demo-data --people N` into a
scratch PostgreSQL database (dropped afterwards) — or uses BENCH_DATABASE_URL as it
is — then runs `script --measure` against it in a fresh process.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
SOLIDAIRE = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "solidaire"


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main_on_demo_database(script: str, db: str, people: int) -> int:
    url = os.environ.get("BENCH_DATABASE_URL")
    scratch = url is None
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.dev"}
    if scratch:
        url = f"{SERVER}/{db}"
        admin(f"drop database if exists {db}")
        admin(f"create database {db}")
    env["DATABASE_URL"] = url
    try:
        if scratch:
            subprocess.run([str(SOLIDAIRE), "migrate", "--verbosity", "0"], env=env, check=True)
            subprocess.run([str(SOLIDAIRE), "demo-data", "--people", str(people),
                            "--verbosity", "0"], env=env, check=True)
        print(f"{people:,} people" if scratch else url.rsplit("/", 1)[1], flush=True)
        subprocess.run([sys.executable, script, "--measure"], env=env, check=True)
    finally:
        if scratch:
            admin(f"drop database if exists {db}")
    return 0
