"""Spreadsheet import: every row lands in one count, and the reading process of a
large import never outlives the importer (decision 0015)."""

import io
import multiprocessing
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from solidaire.people.importing import engine
from solidaire.people.importing.services import (
    person_import_configure,
    person_import_create,
    person_import_run,
)
from solidaire.people.models import Person, PersonImport

from tests.factories import EmailFactory, PersonFactory
from tests.people.test_importing import _children, _cmdline, _process_stat, _running
from tests.waiting import wait_until

# Row 1 is the header; each later row says what it is.
REPEATS = "\n".join([
    "Name,Email,Phone,Postal code",
    "Ana Roy,ana@example.org,,",  # 2: added
    "Ana Roy,ANA@example.org,514-555-0201,",  # 3: Ana again, same e-mail: a repeat
    "Ben Roy,,514-555-0202,",  # 4: added
    "Ben Roy,,514 555 0202,H2X 1Y4",  # 5: Ben again, same phone: a repeat
    "Carla Diaz,carla@example.org,,",  # 6: on the list, nothing new: up to date... (see 9)
    "Dora Lee,dora@example.org,514-555-0204,",  # 7: on the list, a new phone: updated
    "Dora Lee,dora@example.org,,",  # 8: Dora again: a repeat
    "Carla Diaz,carla@example.org,514-555-0203,",  # 9: a repeat, and Carla is updated after all
    "Eve Moreau,eve@example.org,,",  # 10: on the list, nothing new: up to date
    "Eve Moreau,EVE@example.org,,",  # 11: Eve again: a repeat
    "Carlos Rimouski,carlos@example.org,,",  # 12: another chapter's: left unchanged
    "Carlos Rimouski,carlos@example.org,,",  # 13: Carlos again: a repeat
    "Nobody,not-an-email,,",  # 14: no usable contact: not imported
    "Fay Roy,fay@example.org,,XYZ",  # 15: added, without the bad postal code
]) + "\n"
ROWS = 14
EXPECTED = {"created_count": 3, "updated_count": 2, "unchanged_count": 1, "skipped_count": 1,
            "repeated_count": 6, "rejected_count": 1, "problem_count": 2, "rows_done": ROWS}


def _on_the_list(world):
    for name, address in (("Carla Diaz", "carla@example.org"), ("Dora Lee", "dora@example.org"),
                          ("Eve Moreau", "eve@example.org")):
        EmailFactory(person=PersonFactory(chosen_name=name, home_chapter=world.montreal),
                     address=address, is_primary=True)
    EmailFactory(person=world.in_bsl, address="carlos@example.org", is_primary=True)


def _configured(world, tmp_path, text=REPEATS) -> PersonImport:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    person_import = person_import_create(path=path, original_name="list.csv",
                                         actor=world.montreal_organizer)
    person_import_configure(person_import=person_import, mapping=person_import.mapping,
                            chapter=world.montreal, actor=world.montreal_organizer)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    return person_import


@pytest.mark.parametrize(("chunk_rows", "stop_after"), [
    (engine.DEFAULT_CHUNK_ROWS, None),  # the whole file in one chunk
    (2, None),  # repeats in later chunks than the person's first row
    (2, 3),  # stopped after row 7, then resumed: the run's memory of rows 2-7 is gone
])
def test_every_row_lands_in_exactly_one_count(world, tmp_path, monkeypatch, chunk_rows,
                                              stop_after):
    _on_the_list(world)
    monkeypatch.setattr(engine, "CHUNK_ROWS", chunk_rows)
    people = Person.objects.count()
    person_import = _configured(world, tmp_path)
    if stop_after:
        with pytest.raises(engine.ImportStopped):
            person_import_run(import_id=person_import.pk, stop_after_chunks=stop_after)
        assert PersonImport.objects.get(pk=person_import.pk).rows_done == 2 * stop_after
    done = person_import_run(import_id=person_import.pk)

    assert done.state == PersonImport.State.DONE
    assert {name: getattr(done, name) for name in EXPECTED} == EXPECTED
    assert done.rows_accounted == done.rows_done == done.rows_total == ROWS
    assert Person.objects.count() == people + 3
    assert Person.objects.get(emails__address="carla@example.org").phones.get().number == \
        "+15145550203"


def test_the_summary_page_and_the_command_show_the_total_equal_to_the_rows(
        world, tmp_path, client):
    from django.core.management import call_command

    from tests.organize.conftest import url

    _on_the_list(world)
    done = person_import_run(import_id=_configured(world, tmp_path).pk)
    client.force_login(world.montreal_organizer)
    html = client.get(url("import_detail", pk=done.pk)).content.decode()
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([\d,]+)</dd>", html))
    assert counts["Rows repeating someone already in the file"] == "6"
    assert counts["Total"] == str(ROWS)
    assert "every row read from the file (14)" in html
    with translation.override("fr"):
        label = translation.gettext("Rows repeating someone already in the file")
    french = client.get(url("import_detail", pk=done.pk, lang="fr")).content.decode()
    assert label != "Rows repeating someone already in the file" and label in french

    # The command, on a second file: its rows all match people now on the list.
    again = tmp_path / "again.csv"
    again.write_text(REPEATS, encoding="utf-8")
    out = io.StringIO()
    with translation.override("en"):
        call_command("people", "import", str(again), "--user", "montreal", "--chapter",
                     world.montreal.slug, stdout=out)
    text = out.getvalue()
    second = PersonImport.objects.get(original_name="again.csv")
    assert second.created_count == 0 and second.rows_accounted == ROWS
    assert f"rows repeating someone already in the file: {second.repeated_count}" in text
    assert f"Total: {ROWS} of {ROWS} rows read." in text


def _spawned_children() -> list[int]:
    return [pid for pid, started in _children(os.getpid()).items()
            if _running(pid, started) and "spawn_main" in _cmdline(pid)]


def test_the_reading_process_is_stopped_and_joined_when_the_import_stops(
        transactional_db, tmp_path, settings, monkeypatch):
    """Stopped between chunks (an error would do the same), the import leaves no reading
    process behind; resumed, it ends with every row counted."""
    from django.contrib.auth import get_user_model

    from tests.core.test_worker import database_url
    from tests.factories import OrganizationFactory

    OrganizationFactory(is_host=True)
    actor = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    # The reading process connects to this test's database.
    monkeypatch.setenv("DATABASE_URL", database_url())
    settings.IMPORT_READER_PROCESS_ROWS = 100
    monkeypatch.setattr(engine, "CHUNK_ROWS", 50)
    lines = ["Name,Email"] + [f"P {i},p{i % 300}@example.org" for i in range(400)]
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    person_import = person_import_create(path=path, original_name="list.csv", actor=actor)
    person_import_configure(person_import=person_import, mapping=person_import.mapping,
                            actor=actor)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    started = []
    real = engine._from_reader_process
    monkeypatch.setattr(engine, "_from_reader_process",
                        lambda *args: started.append(args) or real(*args))

    with pytest.raises(engine.ImportStopped):
        person_import_run(import_id=person_import.pk, stop_after_chunks=1)
    assert started, "the import should read ahead in a second process"
    # At once, while the exception's traceback still holds the run and its reader.
    assert multiprocessing.active_children() == []
    assert _spawned_children() == []

    done = person_import_run(import_id=person_import.pk)
    assert (done.created_count, done.repeated_count, done.rows_accounted) == (300, 100, 400)
    assert multiprocessing.active_children() == []


READER_WITHOUT_DEATH_SIGNAL = """
import sys, time
import django
django.setup()
from solidaire.people.importing import engine
from solidaire.people.models import PersonImport
from tests.people import reader_without_death_signal
engine.reader_process.main = reader_without_death_signal.main
person_import = PersonImport(file_format="csv", encoding="utf-8", delimiter=",",
                             headers=["Name", "Email"], mapping={"0": "chosen_name",
                                                                 "1": "email"})
batches = engine._from_reader_process(person_import, sys.argv[1], 500, 0)
next(batches)
print("reading", flush=True)
time.sleep(60)  # an importer busy elsewhere, holding the pipe until the test kills it
"""


def _waiting_for_room(pid: int) -> bool:
    """The process sleeps in the kernel writing to a full pipe. Where the kernel hides
    where a process sleeps (wchan "0"), that it sleeps at all."""
    try:
        wchan = Path(f"/proc/{pid}/wchan").read_text().strip()
    except OSError:
        wchan = ""
    if wchan and wchan != "0":
        return "pipe_write" in wchan or wchan == "pipe_wait"
    stat = _process_stat(pid)
    return stat is not None and stat[0] == "S"


def test_a_reading_process_without_the_death_signal_ends_when_the_importer_is_killed(
        transactional_db, tmp_path):
    """Where Linux's parent-death signal is not there, the broken pipe ends the reader."""
    from tests.core.test_worker import REPO_ROOT, database_url

    lines = ["Name,Email"] + [f"Person number {i},person{i}@example.org" for i in range(5000)]
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.test",
           "DATABASE_URL": database_url(),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                       os.environ.get("PYTHONPATH")]))}
    importer = subprocess.Popen([sys.executable, "-c", READER_WITHOUT_DEATH_SIGNAL, str(path)],
                                env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert importer.stdout.readline().strip() == "reading"
        children = {pid: started for pid, started in _children(importer.pid).items()
                    if "spawn_main" in _cmdline(pid)}
        assert children
        # The reader has the next batches ready and waits for room in the pipe.
        wait_until(lambda: all(_waiting_for_room(pid) for pid in children),
                   message="the reader to fill the pipe")
        assert all(_running(pid, started) for pid, started in children.items())
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=10)
        wait_until(lambda: not any(_running(pid, started) for pid, started in children.items()),
                   timeout=5, message="the reader to end with the importer")
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()
        importer.stdout.close()


def test_the_reading_process_asks_linux_to_die_with_its_parent():
    """The parent-death signal is set in the reading process itself (Linux)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("Linux only")
    script = ("import os, signal; from solidaire.people.importing import reader_process; "
              "reader_process.die_with_parent(os.getppid()); "
              "import ctypes; value = ctypes.c_int(); "
              "ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0); print(value.value)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert int(result.stdout) == signal.SIGKILL
