"""Spreadsheet import at scale (issue 4): a generated 1,000,000-row CSV into PostgreSQL
already holding 1,000,000 people.

The file has French headers; 5% of its rows belong to people already in the
database (their e-mail, in another case), 2% are invalid (no usable e-mail or
phone), the rest are new people. Prints the import's wall time and rows per
second (`solidaire people import`, in its own process, as the demo coordinator),
and, in the same run, the ceiling: PostgreSQL's COPY of the same file into a bare
table with no index.

Loads `demo-data --people N` into a scratch database (dropped afterwards) or uses
BENCH_DATABASE_URL as it is (the import then adds its people to that database).
"""

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import psycopg
from scratch import SOLIDAIRE, main_on_demo_database

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
DB = "solidaire_bench_import"
IMPORT_DIR = Path(os.environ.get("SOLIDAIRE_IMPORT_DIR",
                                 Path(__file__).resolve().parent.parent / "var" / "imports"))

GIVEN = ["Marie", "Jean", "Fatima", "Mohamed", "Ana", "José", "Linh", "Priya", "Rosa",
         "Éloïse", "Kwame", "Olena", "Carlos", "Amira", "Ravi", "Sofía", "Nguyen", "Grace"]
FAMILY = ["Tremblay", "Gagnon", "Côté", "Nguyen", "Singh", "Garcia", "Diallo", "Haddad",
          "Santos", "Roy", "Kaur", "Pérez", "Lévesque", "Mensah", "Kovalenko", "Dubois"]
LANGUAGES = ["Français", "English", "Español", "fr", "en", "Tagalog", "", ""]
AREA = ["514", "438", "450", "418", "819", "581", "416", "647"]


def plain(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def generate(path: Path, url: str, seed: int = 4) -> tuple[int, int]:
    rng = random.Random(seed)
    with psycopg.connect(url) as conn:
        org = conn.execute("SELECT id FROM organizing_organization WHERE is_host").fetchone()[0]
        existing = [row[0] for row in conn.execute(
            "SELECT e.address FROM people_emailaddress e "
            "WHERE e.organization_id = %s "
            "ORDER BY e.id LIMIT %s", [org, ROWS // 20 * 3])]
    rng.shuffle(existing)
    matching = existing[: ROWS // 20]
    plan = ["match"] * len(matching) + ["invalid"] * (ROWS // 50)
    plan += ["new"] * (ROWS - len(plan))
    rng.shuffle(plan)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Prénom", "Nom", "Courriel", "Cellulaire", "Code postal", "Langue"])
        for i, kind in enumerate(plan):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            # Phones are random (the bench file is deleted after the run); a real list
            # seldom shares phones, and 555-01xx has only 100 numbers an area code.
            phone = (f"({rng.choice(AREA)}) {rng.randrange(200, 1000)}-{rng.randrange(10000):04d}"
                     if rng.random() < 0.3 else "")
            postal = f"H{rng.randrange(10)}X {rng.randrange(10)}Y{rng.randrange(10)}" \
                if rng.random() < 0.5 else ""
            if kind == "match":
                email = matching.pop().upper()
            elif kind == "invalid":
                email, phone = f"{plain(given)}.{plain(family)}.{i}-at-nowhere", ""
            else:
                email = f"{plain(given)}.{plain(family)}.{i}@bench.example.org".lower()
            writer.writerow([given, family, email, phone, postal, rng.choice(LANGUAGES)])
    return len(plan), plan.count("match")


def copy_ceiling(path: Path, url: str) -> float:
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_import_ceiling")
        conn.execute("CREATE TABLE bench_import_ceiling (given text, family text, email text, "
                     "phone text, postal text, language text)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor, open(path, "rb") as handle, cursor.copy(
                "COPY bench_import_ceiling FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while block := handle.read(1 << 20):
                copy.write(block)
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_import_ceiling")
        conn.commit()
    return seconds


def measure() -> int:
    url = os.environ["DATABASE_URL"]
    with tempfile.TemporaryDirectory() as scratch_dir:
        path = Path(scratch_dir) / "bench-import.csv"
        rows, matching = generate(path, url)
        size = path.stat().st_size / 1e6
        with psycopg.connect(url) as conn:
            before = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
        print(f"file: {rows:,} rows, {size:.0f} MB, {matching:,} matching existing people, "
              f"{rows // 50:,} invalid; database holds {before:,} people", flush=True)
        ceiling = copy_ceiling(path, url)
        started = time.perf_counter()
        subprocess.run([str(SOLIDAIRE), "people", "import", str(path), "--user", "coordinator",
                        "--tag", "Bench import", "--new"], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        with psycopg.connect(url) as conn:
            after = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
            summary = conn.execute(
                "SELECT created_count, updated_count, unchanged_count, skipped_count, "
                "rejected_count, stored_name FROM people_personimport "
                "ORDER BY id DESC LIMIT 1").fetchone()
    # The import keeps its copy of the file for its undo window: not the bench's.
    (IMPORT_DIR / summary[5]).unlink(missing_ok=True)
    print(f"import (solidaire people import, whole command): {seconds:.1f} s, "
          f"{rows / seconds:,.0f} rows/s — target < 60 s", flush=True)
    print(f"  added {summary[0]:,}, updated {summary[1]:,}, up to date {summary[2]:,}, "
          f"outside scope {summary[3]:,}, not imported {summary[4]:,}; "
          f"people {before:,} → {after:,}")
    print(f"ceiling (same run): COPY of the file into a bare table: {ceiling:.1f} s, "
          f"{rows / ceiling:,.0f} rows/s")
    return 0


if __name__ == "__main__":
    if "--measure" in sys.argv:
        sys.exit(measure())
    sys.exit(main_on_demo_database(__file__, DB, PEOPLE))
