"""Organizer pages on a million people (PostgreSQL): time each page as the demo
coordinator and the Montréal organizer, against hand-written SQL for the same list.

Loads `demo-data --people N` into a scratch database (dropped afterwards), or uses
BENCH_DATABASE_URL as it is when set (e.g. a database already loaded).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
N = int(os.environ.get("BENCH_PEOPLE", "1000000"))
DB = "solidaire_bench_pages"
ROOT = Path(__file__).resolve().parent.parent
SOLIDAIRE = ROOT / ".venv" / "bin" / "solidaire"
RUNS = 5

PAGES = [
    "/en/organize/",
    "/en/organize/people/",
    "/en/organize/people/?page=200",
    "/en/organize/people/?q=maria",
    "/en/organize/people/?q=514-555-0142",
    "/en/organize/people/?language=tl",
    "/en/organize/chapters/",
    "/en/organize/committees/",
]
# The coordinator's first people page, written by hand: the floor for that page.
HAND_SQL = [
    "SELECT count(*) FROM people_person p LEFT JOIN organizing_chapter c "
    "ON c.id = p.home_chapter_id WHERE c.organization_id = %(org)s OR p.home_chapter_id IS NULL",
    "SELECT p.id, p.chosen_name, e.address, ph.number, c.name FROM people_person p "
    "LEFT JOIN organizing_chapter c ON c.id = p.home_chapter_id "
    "LEFT JOIN people_emailaddress e ON e.person_id = p.id AND e.is_primary "
    "LEFT JOIN people_phonenumber ph ON ph.person_id = p.id AND ph.is_primary "
    "WHERE c.organization_id = %(org)s OR p.home_chapter_id IS NULL "
    "ORDER BY p.chosen_name, p.id LIMIT 50",
]


def measure_pages() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS.append("testserver")
    for username in ("coordinator", "montreal"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for path in PAGES:
            client.get(path)  # warm
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                status = client.get(path).status_code
                times.append((time.perf_counter() - start) * 1000)
            print(f"{username:12} {path:40} {status} median {statistics.median(times):6.0f} ms"
                  f"  max {max(times):6.0f} ms")
    org = get_user_model().objects.get(username="coordinator").organizer_role.organization_id
    times = []
    with connection.cursor() as cursor:
        for _ in range(RUNS):
            start = time.perf_counter()
            for sql in HAND_SQL:
                cursor.execute(sql, {"org": org})
                cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    print(f"baseline: hand-written SQL for the coordinator's first people page (count + 50 rows):"
          f" median {statistics.median(times):.0f} ms")


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure_pages()
        return 0
    url = os.environ.get("BENCH_DATABASE_URL")
    scratch = url is None
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.dev"}
    if scratch:
        url = f"{SERVER}/{DB}"
        admin(f"drop database if exists {DB}")
        admin(f"create database {DB}")
    env["DATABASE_URL"] = url
    try:
        if scratch:
            subprocess.run([str(SOLIDAIRE), "migrate", "--verbosity", "0"], env=env, check=True)
            subprocess.run([str(SOLIDAIRE), "demo-data", "--people", str(N), "--verbosity", "0"],
                           env=env, check=True)
        print(f"{N:,} people" if scratch else url.rsplit("/", 1)[1], flush=True)
        subprocess.run([sys.executable, __file__, "--measure"], env=env, check=True)
    finally:
        if scratch:
            admin(f"drop database if exists {DB}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
