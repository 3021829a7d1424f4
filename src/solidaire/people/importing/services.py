"""What views, commands and tasks call to import a spreadsheet (decision 0015)."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidaire.core import tabular
from solidaire.core.access import require, require_unless_system, scope_for
from solidaire.core.models import Activity, OrganizerRole
from solidaire.core.services import audit_log
from solidaire.core.worker import JobHandedBack

from ..models import (
    Channel,
    ConsentMethod,
    EmailAddress,
    ImportChange,
    Person,
    PersonImport,
    PhoneNumber,
)
from ..services import consent_record
from . import engine
from .columns import FIELDS, REPEATABLE, mapping_guess
from .selectors import import_may_manage, imports_may_create

UNDO_WINDOW = datetime.timedelta(hours=24)
PREVIEW_ROWS = 5
FAILURE_FILE_MISSING = "file_missing"
NO_DATA_ROWS = gettext_lazy("This file has a header row but no row of people under it.")
State = PersonImport.State


def import_dir() -> Path:
    path = Path(getattr(settings, "IMPORT_DIR", settings.VAR_DIR / "imports"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def import_path(person_import: PersonImport) -> Path:
    return import_dir() / person_import.stored_name


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def _organization_id(actor) -> int | None:
    role = OrganizerRole.objects.filter(user=actor).first() if actor is not None else None
    if role is None:
        return None
    if role.organization_id:
        return role.organization_id
    chapter = role.chapters.first()
    return chapter.organization_id if chapter else None


def _require_manager(actor, person_import: PersonImport) -> None:
    require(import_may_manage(actor, person_import), "this account may not manage this import")


def person_import_create(*, path: Path, original_name: str, actor) -> PersonImport:
    """Keep an uploaded file, read it once, and guess the column choices.

    The one reading checks every limit and keeps what the column-choice page shows
    (the header, the first rows, the number of rows), so that page never opens the
    file again. Raises `tabular.ImportFileError` (with a message for the organizer)
    when the file cannot be imported. The caller's file is copied; it may delete its own.
    An account must be an organizer; `actor=None` is the `solidaire people import`
    command run without --user (decision 0056).
    """
    require_unless_system(actor, lambda: imports_may_create(actor),
                          "this account may not import people")
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes():
        raise tabular.too_big_error(max_bytes())
    survey = tabular.survey(path, preview_rows=PREVIEW_ROWS)
    if not survey.rows:
        raise tabular.ImportFileError("no_data_rows", NO_DATA_ROWS)
    info, header = survey.info, survey.header
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    stored = f"{uuid.uuid4().hex}.{info.file_format}"
    target = import_dir() / stored
    shutil.copyfile(path, target)
    os.chmod(target, 0o600)
    person_import = PersonImport.objects.create(
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        organization_id=_organization_id(actor),
        original_name=Path(original_name).name[:255] or "import",
        stored_name=stored, size=size, sha256=digest.hexdigest(),
        file_format=info.file_format, encoding=info.encoding, delimiter=info.delimiter,
        headers=header, mapping=mapping_guess(header), preview=survey.preview,
        rows_total=survey.rows,
    )
    audit_log(action="solidaire.people.import_uploaded", actor=actor, obj=person_import,
              data={"size": size, "format": info.file_format})
    return person_import


def person_import_preview(person_import: PersonImport) -> list[list[str]]:
    """The first data rows of the file, as read at upload, for the column-choice page.

    Raises FileNotFoundError when the stored file was cleared (an upload left waiting
    for a week): there would be nothing to import.
    """
    if not import_path(person_import).exists():
        raise FileNotFoundError(person_import.stored_name)
    return person_import.preview


def person_import_configure(*, person_import: PersonImport, mapping: dict, chapter=None,
                            tag_names=(), actor) -> PersonImport:
    """Record the column choices, the chapter and the tags for the whole file."""
    _require_manager(actor, person_import)
    if person_import.state != State.MAPPING:
        raise ValidationError(_("This import has already started."), code="started")
    clean = {}
    seen = set()
    for index, key in mapping.items():
        if not key:
            continue
        if key not in FIELDS:
            raise ValidationError(_("Unknown field."), code="unknown_field")
        if key in seen and key not in REPEATABLE:
            raise ValidationError(
                _("“%(field)s” is chosen for two columns; choose it once.")
                % {"field": FIELDS[key]}, code="twice")
        seen.add(key)
        clean[str(int(index))] = key
    errors = []
    if not seen & {"chosen_name", "given_name", "family_name"}:
        errors.append(ValidationError(
            _("Choose the column that holds the name (or given and family names)."),
            code="no_name_column"))
    if not seen & {"email", "phone"}:
        errors.append(ValidationError(
            _("Choose the column that holds the e-mail or the phone: without one, people "
              "cannot be told apart from those already in the list."), code="no_contact_column"))
    scope = scope_for(actor)
    if chapter is not None and not scope.filter(
            type(chapter).objects.filter(pk=chapter.pk), "").exists():
        errors.append(ValidationError(_("Choose one of your chapters."), code="chapter_scope"))
    if chapter is None and not (scope.everything or scope.organization_ids):
        errors.append(ValidationError(
            _("Choose the chapter these people belong to: without one you would not see "
              "them afterwards."), code="chapter_required"))
    if errors:
        raise ValidationError(errors)
    names: list[str] = []
    for name in tag_names:
        name = name.strip()[:80]
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    person_import.mapping = clean
    person_import.chapter = chapter
    person_import.tag_names = names
    person_import.save(update_fields=["mapping", "chapter", "tag_names"])
    return person_import


def person_import_start(*, person_import: PersonImport, actor) -> PersonImport:
    """Queue the import (or a failed one again: it resumes after its last chunk)."""
    _require_manager(actor, person_import)
    if person_import.state not in (State.MAPPING, State.FAILED, State.QUEUED):
        raise ValidationError(_("This import cannot be started again."), code="state")
    if person_import.state == State.MAPPING and not person_import.mapping:
        raise ValidationError(_("Choose the columns first."), code="no_mapping")
    person_import.state = State.QUEUED
    person_import.failure = ""
    person_import.save(update_fields=["state", "failure"])
    audit_log(action="solidaire.people.import_started", actor=actor, obj=person_import)
    from .tasks import person_import_task  # tasks import this module

    transaction.on_commit(lambda: person_import_task.enqueue(person_import.pk))
    return person_import


def person_import_run(*, import_id: int, progress=None,
                      stop_after_chunks: int | None = None) -> PersonImport:
    """Run (or resume) an import to its end. Safe to call again after a crash."""
    person_import = PersonImport.objects.get(pk=import_id)
    if person_import.state in (State.DONE, State.UNDONE, State.UNDOING, State.MAPPING):
        return person_import
    path = import_path(person_import)
    if not path.exists():
        PersonImport.objects.filter(pk=import_id).update(state=State.FAILED,
                                                         failure=FAILURE_FILE_MISSING)
        return PersonImport.objects.get(pk=import_id)
    info = tabular.FileInfo(person_import.file_format, person_import.encoding,
                            person_import.delimiter)
    updates: dict[str, object] = {"state": State.RUNNING, "failure": ""}
    if person_import.started_at is None:
        updates["started_at"] = timezone.now()
    PersonImport.objects.filter(pk=import_id).update(**updates)
    person_import.refresh_from_db()
    try:
        if person_import.rows_total is None:  # uploaded before uploads counted their rows
            PersonImport.objects.filter(pk=import_id).update(
                rows_total=engine.count_rows(path, info))
            person_import.refresh_from_db()
        person_import = engine.run(person_import, path, progress=progress,
                                   stop_after_chunks=stop_after_chunks)
    except (engine.ImportStopped, JobHandedBack):
        raise  # stays running: resumed after its last chunk
    except engine.ImportTakenOver:
        # Another worker is running this import (a job handed back while it ran).
        return PersonImport.objects.get(pk=import_id)
    except tabular.ImportFileError as exc:
        # The file passed its limits at upload; lower limits since stop it here.
        PersonImport.objects.filter(pk=import_id).update(state=State.FAILED,
                                                         failure=f"file:{exc.code}")
        return PersonImport.objects.get(pk=import_id)
    except Exception as exc:
        # The kind of error only, never a row's values; shown by import_failure_text.
        PersonImport.objects.filter(pk=import_id).update(state=State.FAILED,
                                                         failure=type(exc).__name__[:200])
        raise
    PersonImport.objects.filter(pk=import_id).update(
        state=State.DONE, finished_at=timezone.now(), rows_total=F("rows_done"))
    person_import.refresh_from_db()
    audit_log(action="solidaire.people.imported", actor=person_import.created_by,
              obj=person_import, data={
                  "rows": person_import.rows_done, "created": person_import.created_count,
                  "updated": person_import.updated_count,
                  "problems": person_import.problem_count,
              })
    return person_import


def person_import_report_downloaded(*, person_import: PersonImport, actor,
                                    file_format: str) -> None:
    """The problem report holds values from the file (e-mails, phones): audit each copy."""
    _require_manager(actor, person_import)
    audit_log(action="solidaire.people.import_report_downloaded", actor=actor,
              obj=person_import, data={"format": file_format,
                                       "problems": person_import.problem_count})


def person_import_undo_possible(person_import: PersonImport, *, now=None) -> bool:
    now = now or timezone.now()
    return (person_import.state == State.DONE and person_import.finished_at is not None
            and now - person_import.finished_at < UNDO_WINDOW)


@dataclass
class UndoResult:
    removed: int
    restored: int
    kept: int


def person_import_undo_request(*, person_import: PersonImport, actor) -> PersonImport:
    """Mark the import for undoing and queue the job that does it."""
    _require_manager(actor, person_import)
    if not person_import_undo_possible(person_import):
        raise ValidationError(_("This import can no longer be undone."), code="too_late")
    person_import.state = State.UNDOING
    person_import.undone_by = actor if getattr(actor, "is_authenticated", False) else None
    person_import.save(update_fields=["state", "undone_by"])
    from .tasks import person_import_undo_task

    transaction.on_commit(lambda: person_import_undo_task.enqueue(person_import.pk))
    return person_import


def person_import_undo(*, person_import: PersonImport, actor=None) -> UndoResult:
    """Remove the people the import added and restore the values it changed.

    The background job of `person_import_undo_request`, which checked the account that
    asked: `actor` (that account) is recorded, not checked again.

    A person the import added who has done something since (a ledger row after the
    import, or an edit) is kept; so is a value changed again since the import.
    """
    if person_import.state not in (State.DONE, State.UNDOING):
        raise ValidationError(_("This import can no longer be undone."), code="state")
    finished = person_import.finished_at
    added = Person.objects.filter(added_by_import=person_import)
    touched = set(added.filter(
        Q(updated_at__gt=finished)
        | Q(id__in=Activity.objects.filter(occurred_at__gt=finished).values("person_id"))
    ).values_list("id", flat=True))
    ids = [pk for pk in added.values_list("id", flat=True) if pk not in touched]
    removed = 0
    for start in range(0, len(ids), 2000):
        with transaction.atomic():
            removed += Person.objects.filter(id__in=ids[start:start + 2000]).delete()[1].get(
                "people.Person", 0)
    restored = _changes_restore(person_import, actor)
    PersonImport.objects.filter(pk=person_import.pk).update(
        state=State.UNDONE, undone_at=timezone.now(),
        undone_by=actor if getattr(actor, "is_authenticated", False) else person_import.undone_by)
    audit_log(action="solidaire.people.import_undone", actor=actor, obj=person_import,
              data={"removed": removed, "restored": restored, "kept": len(touched)})
    return UndoResult(removed=removed, restored=restored, kept=len(touched))


def _changes_restore(person_import: PersonImport, actor) -> int:
    restored = 0
    changes = person_import.changes.order_by("-id").iterator(chunk_size=2000)
    with transaction.atomic():
        for change in changes:
            person = Person.objects.filter(pk=change.person_id).first()
            if person is None:
                continue
            if change.kind == ImportChange.Kind.SEVERAL:
                steps = change.new_value or []
            else:
                steps = [[change.kind, change.name, change.old_value, change.new_value]]
            for kind, name, old, new in reversed(steps):
                restored += _change_restore(person_import, person, kind, name, old, new,
                                            actor)
    return restored


def _change_restore(person_import, person: Person, kind: str, name: str, old, new,
                    actor) -> int:
    """Undo one change on one person; 0 when it was changed again since the import."""
    kinds = ImportChange.Kind
    if kind == kinds.FIELD:
        # Names are attnames ("home_chapter_id"); update_fields wants field names.
        if getattr(person, name) != new:
            return 0
        setattr(person, name, old)
        person.save(update_fields=[name.removesuffix("_id"), "updated_at"])
        return 1
    if kind == kinds.EMAIL:
        return EmailAddress.objects.filter(person=person, address=name).delete()[0]
    if kind == kinds.PHONE:
        return PhoneNumber.objects.filter(person=person, number=name).delete()[0]
    if kind == kinds.TAG:
        return Person.tags.through.objects.filter(person=person, tag_id=int(name)).delete()[0]
    if kind == kinds.CONSENT:
        if getattr(person, engine.CONSENT_COLUMN[name]) != new:
            return 0
        consent_record(person=person, channel=Channel(name), granted=bool(old),
                       method=ConsentMethod.IMPORT,
                       source=_("Undo of the import of %(file)s")
                       % {"file": person_import.original_name}, actor=actor)
        return 1
    return 0


def imports_purge(*, now=None) -> int:
    """Delete stored files and undo records of imports past their undo window.

    Imports still waiting for column choices, or failed and not tried again, lose their
    file after a week.
    """
    now = now or timezone.now()
    old = PersonImport.objects.filter(
        Q(finished_at__lt=now - UNDO_WINDOW) | Q(undone_at__isnull=False)
        | Q(state__in=[State.MAPPING, State.FAILED],
            created_at__lt=now - datetime.timedelta(days=7))
    ).exclude(stored_name="")
    count = 0
    for person_import in old:
        import_path(person_import).unlink(missing_ok=True)
        ImportChange.objects.filter(person_import=person_import).delete()
        PersonImport.objects.filter(pk=person_import.pk).update(stored_name="")
        count += 1
    return count
