"""Spreadsheet import: reading, matching, resuming, undoing (issue 4)."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from solidaire.core import tabular
from solidaire.people.importing import engine
from solidaire.people.importing.selectors import import_problem_rows, imports_visible_to
from solidaire.people.importing.services import (
    person_import_configure,
    person_import_create,
    person_import_run,
    person_import_undo,
    person_import_undo_possible,
)
from solidaire.people.models import (
    ConsentEvent,
    EmailAddress,
    ImportProblem,
    Person,
    PersonImport,
    PhoneNumber,
)

from tests.factories import EmailFactory, PersonFactory, PhoneFactory

FRENCH_HEADER = "Prénom;Nom;Courriel;Téléphone;Code postal;Langue;Accepte courriels\r\n"


def write(tmp_path: Path, name: str, text: str, encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def import_file(path: Path, actor, *, chapter=None, tags=(), mapping=None, **run) -> PersonImport:
    person_import = person_import_create(path=path, original_name=path.name, actor=actor)
    person_import_configure(person_import=person_import,
                            mapping=mapping if mapping is not None else person_import.mapping,
                            chapter=chapter, tag_names=list(tags), actor=actor)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    return person_import_run(import_id=person_import.pk, **run)


def test_windows_1252_semicolon_file_with_french_headers_imports(world, tmp_path):
    text = FRENCH_HEADER + (
        "Éloïse;Côté;eloise@example.org;514-555-0101;h2x 1y4;français;oui\r\n"
        "José;Núñez;JOSE@Example.org ;(438) 555-0102;;espagnol;non\r\n"
        "Sans;Contact;pas-une-adresse;;;;\r\n"
        ";;anonyme@example.org;;;;\r\n"
        "Bad;Postal;bad.postal@example.org;;XYZ;;\r\n"
    )
    path = write(tmp_path, "liste.csv", text, encoding="cp1252")
    person_import = person_import_create(path=path, original_name="liste.csv",
                                         actor=world.coordinator)
    assert person_import.encoding == "cp1252"
    assert person_import.delimiter == ";"
    assert person_import.headers[0] == "Prénom"
    assert person_import.mapping == {"0": "given_name", "1": "family_name", "2": "email",
                                     "3": "phone", "4": "postal_code",
                                     "5": "preferred_language", "6": "consent_email"}
    person_import_configure(person_import=person_import, mapping=person_import.mapping,
                            chapter=world.montreal, tag_names=["Rally"],
                            actor=world.coordinator)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    done = person_import_run(import_id=person_import.pk)

    assert done.state == PersonImport.State.DONE
    assert (done.created_count, done.rejected_count, done.problem_count) == (3, 2, 3)
    eloise = Person.objects.get(emails__address="eloise@example.org")
    assert eloise.chosen_name == "Éloïse Côté"
    assert (eloise.postal_code, eloise.preferred_language) == ("H2X 1Y4", "fr")
    assert eloise.home_chapter == world.montreal
    assert eloise.consent_email is True
    assert list(eloise.tags.values_list("name", flat=True)) == ["Rally"]
    assert eloise.phones.get().number == "+15145550101"
    assert ConsentEvent.objects.get(person=eloise).method == "import"
    jose = Person.objects.get(emails__address="jose@example.org")
    assert jose.chosen_name == "José Núñez" and jose.preferred_language == "es"
    # The bad postal code loses only that cell: the person is kept.
    assert Person.objects.get(emails__address="bad.postal@example.org").postal_code == ""
    with translation.override("fr"):
        report = list(import_problem_rows(done))
    assert [(row, code_column) for row, code_column, _reason, _value in report] == [
        (4, "Courriel"), (4, ""), (5, ""), (6, "Code postal")]
    assert "Canadian postal code" not in report[3][2]  # in French
    assert report[3][3] == "XYZ"


def test_same_file_twice_creates_nobody_new(world, tmp_path):
    text = "Name,Email,Phone\nAna,ana@example.org,\nBen,,514 555 0103\nAna again,ANA@example.org,\n"
    path = write(tmp_path, "list.csv", text)
    first = import_file(path, world.coordinator)
    assert first.created_count == 2
    people = Person.objects.count()
    second = import_file(path, world.coordinator)
    assert Person.objects.count() == people
    assert second.created_count == 0
    assert second.unchanged_count + second.updated_count == 2


def test_existing_person_updated_never_blanked(world, tmp_path):
    person = PersonFactory(chosen_name="Ana", postal_code="H2X 1Y4", home_chapter=world.montreal)
    EmailFactory(person=person, address="ana@example.org", is_primary=True)
    path = write(tmp_path, "list.csv", "Name,Email,Postal code,Phone\n"
                                       "Ana,Ana@Example.org,,514-555-0104\n")
    done = import_file(path, world.coordinator, tags=["Vigil"])
    person.refresh_from_db()
    assert done.updated_count == 1 and done.created_count == 0
    assert person.postal_code == "H2X 1Y4"
    assert person.phones.get().number == "+15145550104"
    assert "Vigil" in person.tags.values_list("name", flat=True)


def test_phone_shared_by_a_family_does_not_merge_two_names(world, tmp_path):
    mother = PersonFactory(chosen_name="Maria Lopez", home_chapter=world.montreal)
    PhoneFactory(person=mother, number="+15145550105", is_primary=True)
    path = write(tmp_path, "list.csv", "Name,Email,Phone\n"
                                       "Luis Lopez,luis@example.org,514-555-0105\n"
                                       "Maria Lopez,maria@example.org,514-555-0105\n")
    done = import_file(path, world.coordinator)
    assert done.created_count == 1  # Luis; Maria matched by phone and name
    assert EmailAddress.objects.get(address="maria@example.org").person == mother
    assert PhoneNumber.objects.filter(number="+15145550105").count() == 2


def test_match_outside_scope_is_left_unchanged(world, tmp_path):
    EmailFactory(person=world.in_bsl, address="carlos@example.org", is_primary=True)
    path = write(tmp_path, "list.csv", "Name,Email,Sector\nCarlos,carlos@example.org,farms\n")
    done = import_file(path, world.montreal_organizer, chapter=world.montreal)
    world.in_bsl.refresh_from_db()
    assert done.skipped_count == 1
    assert world.in_bsl.sector == "" and world.in_bsl.home_chapter == world.bsl


def _numbered_file(tmp_path, name, domain, rows=95):
    lines = ["Name,Email,Phone"]
    for i in range(rows):
        if i % 10 == 3:
            lines.append(f"Broken {i},not-an-email-{i},")
        elif i % 10 == 7:
            lines.append(f"Twice {i - 1},person{i - 1}@{domain},")  # listed twice
        else:
            lines.append(f"Person {i},person{i}@{domain},")
    return write(tmp_path, name, "\n".join(lines) + "\n")


def _counts(person_import):
    return (person_import.created_count, person_import.updated_count,
            person_import.unchanged_count, person_import.repeated_count,
            person_import.skipped_count, person_import.problem_count,
            person_import.rejected_count, person_import.rows_done)


def test_interrupted_import_resumes_to_the_same_counts(world, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 10)
    whole = import_file(_numbered_file(tmp_path, "a.csv", "a.example.org"), world.coordinator)
    before = Person.objects.count()

    path = _numbered_file(tmp_path, "b.csv", "b.example.org")
    person_import = person_import_create(path=path, original_name="b.csv", actor=world.coordinator)
    person_import_configure(person_import=person_import, mapping=person_import.mapping,
                            actor=world.coordinator)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    with pytest.raises(engine.ImportStopped):
        person_import_run(import_id=person_import.pk, stop_after_chunks=4)
    stopped = PersonImport.objects.get(pk=person_import.pk)
    assert stopped.rows_done == 40 and stopped.state == PersonImport.State.RUNNING
    resumed = person_import_run(import_id=person_import.pk)

    assert resumed.state == PersonImport.State.DONE
    assert _counts(resumed) == _counts(whole)
    assert Person.objects.count() - before == whole.created_count
    assert ImportProblem.objects.filter(person_import=resumed).count() == \
        ImportProblem.objects.filter(person_import=whole).count()


def test_a_stopping_worker_hands_an_import_back_after_its_chunk_and_the_next_ends_it(
        world, tmp_path, monkeypatch):
    from solidaire.core import worker
    from solidaire.people.importing.tasks import person_import_task

    monkeypatch.setattr(engine, "CHUNK_ROWS", 10)
    whole = import_file(_numbered_file(tmp_path, "a.csv", "a.example.org"), world.coordinator)
    path = _numbered_file(tmp_path, "b.csv", "b.example.org")
    person_import = person_import_create(path=path, original_name="b.csv", actor=world.coordinator)
    person_import_configure(person_import=person_import, mapping=person_import.mapping,
                            actor=world.coordinator)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    worker._stopping.set()
    try:
        with pytest.raises(worker.JobHandedBack):
            person_import_task.call(person_import.pk)
    finally:
        worker._stopping.clear()
    stopped = PersonImport.objects.get(pk=person_import.pk)
    assert stopped.rows_done == 10 and stopped.state == PersonImport.State.RUNNING

    person_import_task.call(person_import.pk)
    resumed = PersonImport.objects.get(pk=person_import.pk)
    assert resumed.state == PersonImport.State.DONE
    assert _counts(resumed) == _counts(whole)


def test_undo_removes_people_added_and_restores_changes(world, tmp_path):
    person = PersonFactory(chosen_name="Ana", sector="", home_chapter=world.montreal)
    EmailFactory(person=person, address="ana@example.org", is_primary=True)
    path = write(tmp_path, "list.csv", "Name,Email,Sector,Phone\n"
                                       "Ana,ana@example.org,cleaning,514 555 0106\n"
                                       "Ben,ben@example.org,,\n")
    done = import_file(path, world.coordinator, tags=["Oops"])
    assert person_import_undo_possible(done)
    result = person_import_undo(person_import=done, actor=world.coordinator)
    person.refresh_from_db()
    assert result.removed == 1
    assert not Person.objects.filter(emails__address="ben@example.org").exists()
    assert person.sector == ""
    assert not person.phones.exists()
    assert not person.tags.exists()
    assert PersonImport.objects.get(pk=done.pk).state == PersonImport.State.UNDONE


def test_xlsx_formulas_and_numbers(world, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "E-mail", "Mobile"])
    sheet.append(["Ana", "Lima", "ana@example.org", 5145550107])
    sheet.append(['=HYPERLINK("http://evil.example","click")', "X", "x@example.org", None])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    done = import_file(path, world.coordinator)
    assert Person.objects.get(emails__address="ana@example.org").phones.get().number == \
        "+15145550107"
    problems = list(ImportProblem.objects.filter(person_import=done).values_list("row", "code"))
    assert (3, "formula") in problems
    x = Person.objects.get(emails__address="x@example.org")
    assert "HYPERLINK" not in x.chosen_name


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not_a_spreadsheet"),
    (b"%PDF-1.7\n", "not_a_spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old_excel"),
    (b"PK\x03\x04garbage", "unreadable_xlsx"),
    (b"Name,Email\n", "no_data_rows"),
])
def test_files_that_cannot_be_imported_say_why(world, tmp_path, content, code):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(tabular.ImportFileError) as error:
        person_import_create(path=path, original_name="upload.csv", actor=world.coordinator)
    assert error.value.code == code
    assert str(error.value.message)


def test_no_recognizable_column_is_refused_with_a_message(world, tmp_path):
    path = write(tmp_path, "list.csv", "foo,bar\n1,2\n")
    person_import = person_import_create(path=path, original_name="list.csv",
                                         actor=world.coordinator)
    assert person_import.mapping == {}
    with pytest.raises(ValidationError) as error:
        person_import_configure(person_import=person_import, mapping={}, actor=world.coordinator)
    assert len(error.value.messages) == 2


def test_chapter_organizer_must_choose_one_of_their_chapters(world, tmp_path):
    path = write(tmp_path, "list.csv", "Name,Email\nAna,ana@example.org\n")
    person_import = person_import_create(path=path, original_name="list.csv",
                                         actor=world.montreal_organizer)
    for chapter in (None, world.bsl):
        with pytest.raises(ValidationError):
            person_import_configure(person_import=person_import, mapping=person_import.mapping,
                                    chapter=chapter, actor=world.montreal_organizer)
    assert list(imports_visible_to(world.montreal_organizer)) == [person_import]
    assert list(imports_visible_to(world.rimouski_organizer)) == []
    assert list(imports_visible_to(world.coordinator)) == [person_import]


def test_ten_thousand_broken_rows_are_all_reported_and_valid_rows_kept(world, tmp_path):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Email"])
    for i in range(10_000):
        writer.writerow([f"Broken {i}", f"broken-{i}"])
    writer.writerow(["Valid", "valid@example.org"])
    path = write(tmp_path, "broken.csv", out.getvalue())
    done = import_file(path, world.coordinator)
    assert done.rejected_count == 10_000 and done.created_count == 1
    assert ImportProblem.objects.filter(person_import=done, code="no_contact").count() == 10_000


def _process_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process from /proc, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # the name, in parentheses, may hold spaces
    return fields[0], int(fields[1]), int(fields[19])


def _children(pid: int) -> dict[int, int]:
    """The processes whose parent is `pid`: pid -> start time (to tell a reused pid)."""
    found = {}
    for entry in Path("/proc").iterdir():
        stat = _process_stat(int(entry.name)) if entry.name.isdigit() else None
        if stat is not None and stat[1] == pid:
            found[int(entry.name)] = stat[2]
    return found


def _running(pid: int, started: int) -> bool:
    stat = _process_stat(pid)
    # A zombie (Z) or dead (X) process holds nothing; a new start time is another process.
    return stat is not None and stat[0] not in "ZX" and stat[2] == started


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_import_killed_midway_then_rerun_ends_with_the_counts_of_an_uninterrupted_run(
    transactional_db, tmp_path
):
    """A real `solidaire people import` process, killed with SIGKILL between chunks: its
    reading process goes with it, and the rerun ends with the counts of a whole run."""
    import os

    from tests.factories import OrganizationFactory

    OrganizationFactory(is_host=True)  # the list the people go on
    import signal
    import subprocess
    import sys

    from tests.core.test_worker import REPO_ROOT, database_url
    from tests.waiting import wait_until

    def numbered(name, domain):
        lines = ["Nom complet;Courriel;Téléphone"]
        for i in range(6000):
            email = f"p{i // 2 if i % 5 == 0 else i}@{domain}" if i % 50 else f"bad-{i}"
            lines.append(f"Personne {i};{email};")
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="cp1252")
        return path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.test",
           # Chunks big enough to fill the pipe to the reading process: killed, the
           # importer leaves the reader in the middle of a write, as in a real import.
           "DATABASE_URL": database_url(), "SOLIDAIRE_IMPORT_CHUNK_ROWS": "500",
           # A second process reads ahead, as for a large file.
           "SOLIDAIRE_IMPORT_READER_PROCESS_ROWS": "1000",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                       os.environ.get("PYTHONPATH")]))}

    def command(path):
        return [sys.executable, "-m", "solidaire", "people", "import", str(path)]

    subprocess.run(command(numbered("whole.csv", "whole.example.org")), env=env, cwd=REPO_ROOT,
                   check=True, capture_output=True)
    whole = PersonImport.objects.get(original_name="whole.csv")
    assert whole.rows_accounted == whole.rows_done == 6000 and whole.repeated_count > 0

    path = numbered("killed.csv", "killed.example.org")
    process = subprocess.Popen(command(path), env=env, cwd=REPO_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def first_chunk_done() -> bool:
        assert process.poll() is None, "the import ended before it could be killed"
        return PersonImport.objects.filter(original_name="killed.csv", rows_done__gt=0).exists()

    wait_until(first_chunk_done, timeout=60, interval=0.02, message="the first chunk")
    # The reading process (started with "spawn") is ahead, waiting for room in the pipe.
    children = _children(process.pid)
    readers = [pid for pid in children if "multiprocessing" in _cmdline(pid)
               and "spawn_main" in _cmdline(pid)]
    assert readers, "the import should read ahead in a second process"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)

    def left() -> list[int]:
        return [pid for pid, started in children.items() if _running(pid, started)]

    wait_until(lambda: not left(), timeout=5, message=lambda: (
        f"the killed import's processes to end; still running: {[_cmdline(p) for p in left()]}"))
    killed = PersonImport.objects.get(original_name="killed.csv")
    assert killed.state == PersonImport.State.RUNNING
    assert 0 < killed.rows_done < 6000

    rerun = subprocess.run(command(path), env=env, cwd=REPO_ROOT, check=True,
                           capture_output=True, text=True)
    assert "Resuming" in rerun.stdout or "Reprise" in rerun.stdout
    resumed = PersonImport.objects.get(original_name="killed.csv")
    assert resumed.state == PersonImport.State.DONE
    assert _counts(resumed) == _counts(whole)
    assert Person.objects.filter(emails__address__endswith="@killed.example.org").count() == \
        Person.objects.filter(emails__address__endswith="@whole.example.org").count()


def test_rows_repeated_across_chunks_make_one_person_when_chunks_are_read_ahead(
    transactional_db, tmp_path, monkeypatch
):
    """Outside a transaction the next chunks are looked up ahead, before the current one
    commits: what the run wrote must still be found."""
    from django.contrib.auth import get_user_model

    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    # The worst case, made certain: every chunk is looked up before the first is written.
    monkeypatch.setattr(engine, "_ahead", lambda batches, depth=2: iter(list(batches)))
    from tests.factories import OrganizationFactory

    OrganizationFactory(is_host=True)  # the list the people go on
    actor = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    path = write(tmp_path, "list.csv", "\n".join([
        "Name,Email,Phone",
        "Ana,ana@example.org,514-555-0111",
        "Ben,ben@example.org,",
        "Chloé,chloe@example.org,",
        "Ana Lima,ana@example.org,",
        "Ana Lima,,514 555 0111",
        "Dan,dan@example.org,514-555-0111",
        "Ben,BEN@example.org,438-555-0112",
        "Ben,,438 555 0112",
    ]) + "\n")
    person_import = person_import_create(path=path, original_name="list.csv", actor=actor)
    person_import_configure(person_import=person_import, mapping=person_import.mapping,
                            actor=actor)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    done = person_import_run(import_id=person_import.pk)

    assert done.created_count == 4
    assert Person.objects.count() == 4
    ana = Person.objects.get(emails__address="ana@example.org")
    assert ana.chosen_name == "Ana Lima"
    assert list(ana.phones.values_list("number", flat=True)) == ["+15145550111"]
    ben = Person.objects.get(emails__address="ben@example.org")
    assert list(ben.phones.values_list("number", flat=True)) == ["+14385550112"]
    assert Person.objects.get(emails__address="dan@example.org") != ana


def test_the_people_command_imports_with_column_choices_chapter_and_tag(world, tmp_path):
    from django.core.management import call_command

    path = write(tmp_path, "sheet.csv", "Full name;Cell;Notes\n"
                                        "Rosa Diaz;514 555 0131;first rally\n"
                                        "Kwame;;no phone\n")
    out = io.StringIO()
    with translation.override("en"):
        call_command("people", "import", str(path), "--user", "montreal", "--chapter",
                     world.montreal.slug, "--tag", "Rally", "--map", "Notes=", stdout=out)
    text = out.getvalue()
    assert "Imported 2 rows" in text and "rows not imported: 1" in text
    rosa = Person.objects.get(phones__number="+15145550131")
    assert rosa.home_chapter == world.montreal
    assert list(rosa.tags.values_list("name", flat=True)) == ["Rally"]
    assert "first rally" not in str(Person.objects.filter(pk=rosa.pk).values().get())


def test_the_people_command_refuses_a_file_it_cannot_read(world, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    with translation.override("en"), pytest.raises(CommandError, match="not a spreadsheet"):
        call_command("people", "import", str(path))
    assert not PersonImport.objects.exists()


def test_the_people_command_scans_for_duplicates(world):
    from django.core.management import call_command

    PersonFactory(chosen_name="José Garcia", home_chapter=world.montreal)
    PersonFactory(chosen_name="Jose Garcia", home_chapter=world.montreal)
    out = io.StringIO()
    with translation.override("en"):
        call_command("people", "duplicates", "--scan", stdout=out)
    assert "Possible duplicates to review: 1 " in out.getvalue()


def test_after_24_hours_an_import_cannot_be_undone_and_its_file_is_purged(world, tmp_path):
    import datetime

    from django.utils import timezone

    from solidaire.people.importing.services import import_path, imports_purge
    from solidaire.people.models import ImportChange

    person = PersonFactory(chosen_name="Ana", home_chapter=world.montreal)
    EmailFactory(person=person, address="ana@example.org", is_primary=True)
    path = write(tmp_path, "list.csv", "Name,Email,Sector\nAna,ana@example.org,farms\n")
    done = import_file(path, world.coordinator)
    stored = import_path(done)
    assert stored.exists() and ImportChange.objects.filter(person_import=done).exists()
    assert imports_purge() == 0  # still inside the undo window

    later = done.finished_at + datetime.timedelta(hours=24, minutes=1)
    assert not person_import_undo_possible(done, now=later)
    assert imports_purge(now=later) == 1
    assert not stored.exists()
    assert not ImportChange.objects.filter(person_import=done).exists()
    assert PersonImport.objects.get(pk=done.pk).stored_name == ""
    assert timezone.now() < later
