"""Organizer pages on a million people (PostgreSQL): time each page as the demo
coordinator and the Montréal organizer, against hand-written SQL for the same list.

Loads `demo-data --people N` into a scratch database (dropped afterwards), or uses
BENCH_DATABASE_URL as it is when set (e.g. a database already loaded).
"""

import os
import statistics
import sys
import time

from scratch import log_in, main_on_demo_database

N = int(os.environ.get("BENCH_PEOPLE", "1000000"))
DB = "solidaire_bench_pages"
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
    "SELECT count(*) FROM people_person p WHERE p.organization_id = %(org)s",
    "SELECT p.id, p.chosen_name, e.address, ph.number, c.name FROM people_person p "
    "LEFT JOIN organizing_chapter c ON c.id = p.home_chapter_id "
    "LEFT JOIN people_emailaddress e ON e.person_id = p.id AND e.is_primary "
    "LEFT JOIN people_phonenumber ph ON ph.person_id = p.id AND ph.is_primary "
    "WHERE p.organization_id = %(org)s "
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
        log_in(client, get_user_model().objects.get(username=username))
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


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure_pages()
        return 0
    return main_on_demo_database(__file__, DB, N)


if __name__ == "__main__":
    sys.exit(main())
