"""A demo database holds no immigration status in readable form (issue 3, "Done means").

The raw database is dumped — the SQLite file bytes after a WAL checkpoint, or
`pg_dump` on PostgreSQL — and searched for every category (code and label),
programme, expiry month and note that the demo can record.
"""

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from solidaire.demo.members import ANCHOR
from solidaire.demo.statuses import NOTES
from solidaire.people.models import Person, PersonStatus, StatusCategory, StatusFlag
from solidaire.people.services import status_open


def raw_database() -> bytes:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Every page into the database file and the write-ahead log emptied: the
            # log's old frames (e.g. the migrations table, rewritten by each migration,
            # stamped with today's date) would otherwise be counted as often as the
            # log happens to still hold them.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(connection.settings_dict["NAME"])
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert connection.vendor == "postgresql"
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed to check a PostgreSQL database"
    params = connection.get_connection_params()
    command = [pg_dump, "--no-owner", "--data-only", "-d", params["dbname"]]
    for option, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
        if params.get(key):
            command += [option, str(params[key])]
    env = {"PATH": "/usr/bin:/bin"}
    if params.get("password"):
        env["PGPASSWORD"] = params["password"]
    return subprocess.run(command, capture_output=True, check=True, env=env, timeout=120).stdout


def needles() -> dict[str, bytes]:
    """Every way a status value could sit in the database in plaintext."""
    found = {}
    for choice in (*StatusCategory, *StatusFlag):
        found[choice.value] = choice.value.encode()
        found[str(choice.label)] = str(choice.label).encode()
    first = ANCHOR.year * 12 + ANCHOR.month - 1
    for offset in range(1, 25):
        month = datetime.date((first + offset) // 12, (first + offset) % 12 + 1, 1)
        found[month.isoformat()[:7]] = month.isoformat()[:7].encode()
    for notes in NOTES.values():
        for note in notes:
            found[note] = note.encode()
    return found


@pytest.mark.django_db(transaction=True)
def test_a_demo_database_contains_no_status_value_in_readable_form():
    call_command("demo-data", people=200, seed=1, verbosity=0)
    statuses = list(PersonStatus.objects.all())
    assert len(statuses) > 50  # a realistic share of members has one
    opened = [status_open(status) for status in statuses]
    assert {view.category for view in opened} <= set(StatusCategory.values)
    assert any(view.expiry_month for view in opened) and any(view.flags for view in opened)

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Free pages keep old versions of rows the load updated or deleted (today's
            # timestamps among them); both dumps are compared without them.
            cursor.execute("VACUUM")
    dump = raw_database()
    # The dump is readable: plain values of the same people are found in it.
    assert Person.objects.order_by("pk").first().chosen_name.encode() in dump

    # Some words also belong to campaign texts ("Open work permit"): a value leaks
    # when the dump holds it more often than the same database without status rows.
    PersonStatus.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # no deleted row left in free pages
    control = raw_database()
    leaks = [text for text, needle in needles().items()
             if dump.count(needle) > control.count(needle)]
    assert leaks == []
