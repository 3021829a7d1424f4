"""Time `solidaire demo-data --people N` on PostgreSQL against a bare COPY of N rows."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
N = int(os.environ.get("BENCH_PEOPLE", "1000000"))
DB = "solidaire_bench_demo"
ROOT = Path(__file__).resolve().parent.parent
SOLIDAIRE = ROOT / ".venv" / "bin" / "solidaire"


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def copy_baseline() -> float:
    rows = io.StringIO()
    for i in range(N):
        rows.write(f"Member {i}\tmember{i}@example.org\t{i % 12}\tfr\t2026-01-01 00:00:00+00\n")
    data = rows.getvalue().encode()
    with psycopg.connect(f"{SERVER}/{DB}") as conn:
        conn.execute("create unlogged table bare_people (name text, email text, chapter int,"
                     " language text, created timestamptz)")
        start = time.perf_counter()
        with conn.cursor().copy("copy bare_people from stdin") as copy:
            copy.write(data)
        conn.commit()
        elapsed = time.perf_counter() - start
        conn.execute("drop table bare_people")
        conn.commit()
    return elapsed


def main() -> int:
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{DB}",
           "DJANGO_SETTINGS_MODULE": "solidaire.settings.dev"}
    admin(f"drop database if exists {DB}")
    admin(f"create database {DB}")
    try:
        subprocess.run([str(SOLIDAIRE), "migrate", "--verbosity", "0"], env=env, check=True)
        start = time.perf_counter()
        subprocess.run([str(SOLIDAIRE), "demo-data", "--people", str(N), "--seed", "1"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        demo = time.perf_counter() - start
        baseline = copy_baseline()
    finally:
        admin(f"drop database if exists {DB}")
    print(f"demo-data --people {N:,}: {demo:.1f} s ({N / demo:,.0f} people/s, "
          "with e-mails, phones, languages, tags, consent, memberships and ledger rows)")
    print(f"baseline, COPY of {N:,} bare rows: {baseline:.1f} s ({N / baseline:,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
