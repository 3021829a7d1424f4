"""Attendance import of a 3,500-participant Zoom report (issue 6): `attendance_import`
wall time, on PostgreSQL and on SQLite, against a target of 10 seconds.

Each backend gets a scratch database (PostgreSQL: `solidaire_bench_attendance` on PG_URL's
server, dropped afterwards; SQLite: a temporary file), migrated, holding BENCH_PEOPLE
(default 20,000) other people with an e-mail, and an online event with 3,000 registrations.
The generated report has 3,500 participants: 3,000 registered (by e-mail, 10% of them in
another case), 300 known people who did not register, 150 e-mails nobody has, 50 names
without an e-mail that are a registered person's name, plus 400 rejoin rows (3,900 rows).
BENCH_DATABASE_URL measures that database instead of the scratch PostgreSQL one (the
bench's rows are removed afterwards). `BENCH_BACKENDS=sqlite` or `=postgres` runs one.

Baseline in the same run: reading and parsing the report alone (no database), and the
bare queries the matching needs (the event's registrations with names, the report's
e-mails) — the floor under which no import can go.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLIDAIRE = ROOT / ".venv" / "bin" / "solidaire"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
DB = "solidaire_bench_attendance"
OTHERS = int(os.environ.get("BENCH_PEOPLE", "20000"))
REGISTERED, KNOWN, NEW, NAME_ONLY, REJOINS = 3000, 300, 150, 50, 400
TARGET = 10.0
SLUG = "bench-attendance-session"


def _report() -> bytes:
    import datetime

    # The meeting is dated the event's day (yesterday): a report of another day is refused.
    day = (datetime.date.today() - datetime.timedelta(days=1)).strftime("%m/%d/%Y")
    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        f"812 3456 7890,Séance d'information,{day} 06:58:01 PM,{day} 08:31:15 PM,"
        "hote@example.org,94,3500",
        "",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
    ]

    def row(name: str, email: str, minutes: int) -> str:
        return (f"{name},{email},{day} 07:00:00 PM,{day} 08:00:00 PM,"
                f"{minutes},Yes")

    for n in range(REGISTERED):
        email = f"registered{n}@bench.example.org"
        lines.append(row(f"Inscrite {n}", email.upper() if n % 10 == 0 else email, 45))
    for n in range(KNOWN):
        lines.append(row(f"Connue {n}", f"known{n}@bench.example.org", 30))
    for n in range(NEW):
        lines.append(row(f"Nouvelle {n}", f"new{n}@bench.example.org", 20))
    for n in range(NAME_ONLY):
        lines.append(row(f"Par Nom {n}", "", 15))
    for n in range(REJOINS):
        lines.append(row(f"Inscrite {n}", f"registered{n}@bench.example.org", 10))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _build():
    """The event, its registrations and the known people; returns the event."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from solidaire.events.models import Event, Registration
    from solidaire.organizing.models import Organization
    from solidaire.people.models import EmailAddress, Person

    with transaction.atomic():
        organization, _created = Organization.objects.get_or_create(
            slug="bench-attendance", defaults={"name": "Bench", "kind": "workers_centre"})
        starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
        event = Event.objects.create(
            slug=SLUG, organization=organization, title={"fr": "Séance", "en": "Session"},
            format=Event.Format.ONLINE, starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2), languages=["fr", "en"],
            status=Event.Status.PUBLISHED)
        people = (
            [Person(chosen_name=f"Autre {n}", source="demo",
                     organization=organization) for n in range(OTHERS)]
            + [Person(chosen_name=f"Inscrite {n}", source="demo",
                     organization=organization) for n in range(REGISTERED)]
            + [Person(chosen_name=f"Par Nom {n}", source="demo",
                     organization=organization) for n in range(NAME_ONLY)]
            + [Person(chosen_name=f"Connue {n}", source="demo",
                     organization=organization) for n in range(KNOWN)]
        )
        Person.objects.bulk_create(people, batch_size=2000)
        others = people[:OTHERS]
        registered = people[OTHERS:OTHERS + REGISTERED]
        by_name = people[OTHERS + REGISTERED:OTHERS + REGISTERED + NAME_ONLY]
        known = people[OTHERS + REGISTERED + NAME_ONLY:]
        emails = (
            [EmailAddress(person=p, organization=organization,
                       address=f"other{n}@bench.example.org")
             for n, p in enumerate(others)]
            + [EmailAddress(person=p, organization=organization,
                         address=f"registered{n}@bench.example.org")
               for n, p in enumerate(registered)]
            + [EmailAddress(person=p, organization=organization,
                         address=f"known{n}@bench.example.org")
               for n, p in enumerate(known)]
        )
        EmailAddress.objects.bulk_create(emails, batch_size=2000)
        Registration.objects.bulk_create(
            [Registration(event=event, person=p, language="fr")
             for p in registered + by_name], batch_size=2000)
        Event.objects.filter(pk=event.pk).update(seats_taken=REGISTERED + NAME_ONLY)
    return event


def _clean() -> None:
    from solidaire.core.models import Activity
    from solidaire.events.models import Event
    from solidaire.organizing.models import Organization
    from solidaire.people.models import Person

    event = Event.objects.filter(slug=SLUG).first()
    if event is not None:
        Activity.objects.filter(object_id=event.pk, kind="event.attended").delete()
        event.delete()
    people = Person.objects.filter(source__in=["demo", "event"],
                                   emails__address__endswith="@bench.example.org")
    Person.objects.filter(pk__in=list(people.values_list("pk", flat=True))).delete()
    Person.objects.filter(source="demo", chosen_name__startswith="Par Nom ").delete()
    Organization.objects.filter(slug="bench-attendance").delete()


def measure() -> None:
    import django

    django.setup()
    from django.db import connection

    from solidaire.events.attendance import attendance_import, report_read
    from solidaire.events.models import Registration
    from solidaire.people.models import EmailAddress

    vendor = connection.vendor
    _clean()
    event = _build()
    data = _report()
    try:
        start = time.perf_counter()
        report = report_read(data)
        parse = time.perf_counter() - start

        start = time.perf_counter()
        registrations = list(Registration.objects.filter(event=event)
                             .values_list("id", "person_id", "person__chosen_name"))
        emails = [p.email for p in report.participants if p.email]
        found = 0
        for at in range(0, len(emails), 500):
            found += len(list(EmailAddress.objects.filter(address__in=emails[at:at + 500])
                              .values_list("address", "person_id")))
        bare = time.perf_counter() - start

        start = time.perf_counter()
        result = attendance_import(event=event, file=data, filename="zoom.csv", actor=None)
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = attendance_import(event=event, file=data, filename="zoom.csv", actor=None)
        second = time.perf_counter() - start

        print(f"[{vendor}] report: {report.rows:,} rows, {len(report.participants):,} "
              f"participants; database: {OTHERS:,} other people, "
              f"{len(registrations):,} registrations")
        print(f"[{vendor}] attendance_import, first run: {first:.2f} s  (registrations "
              f"{result.matched_registrations:,}, known people {result.matched_people:,}, "
              f"new people {result.new_people:,}, not matched {result.unmatched:,}, "
              f"newly marked {result.newly_marked:,})")
        print(f"[{vendor}] attendance_import, same report again: {second:.2f} s  "
              f"(already marked {again.already_marked:,}, newly marked {again.newly_marked:,})")
        print(f"[{vendor}] baseline: reading + parsing the report alone {parse:.2f} s; "
              f"bare look-up queries ({len(registrations):,} registrations, {found:,} of "
              f"{len(emails):,} e-mails) {bare:.2f} s")
        print(f"[{vendor}] target: under {TARGET:.0f} s -> "
              f"{'met' if first < TARGET else 'MISSED'}", flush=True)
    finally:
        _clean()


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:  # any failure means: no PostgreSQL here
        return False


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _run(url: str, migrate: bool) -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.dev",
           "DATABASE_URL": url}
    if migrate:
        subprocess.run([str(SOLIDAIRE), "migrate", "--verbosity", "0"], env=env, check=True)
    return subprocess.call([sys.executable, __file__, "--measure"], env=env)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure()
        return 0
    backends = os.environ.get("BENCH_BACKENDS", "postgres,sqlite").split(",")
    status = 0
    if "postgres" in backends:
        if url := os.environ.get("BENCH_DATABASE_URL"):
            status |= _run(url, migrate=False)
        elif _pg_reachable():
            _admin(f"drop database if exists {DB}")
            _admin(f"create database {DB}")
            try:
                status |= _run(f"{SERVER}/{DB}", migrate=True)
            finally:
                _admin(f"drop database if exists {DB}")
        else:
            print(f"PostgreSQL not reachable at {SERVER}: skipped")
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory(prefix="solidaire-bench-") as directory:
            status |= _run(f"sqlite:///{directory}/bench.sqlite3", migrate=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
