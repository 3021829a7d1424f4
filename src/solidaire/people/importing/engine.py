"""The import run: chunked, resumable, set-based writes (decision 0015).

Rows are read in chunks of CHUNK_ROWS. Each chunk is one transaction that
matches its rows to people (normalized e-mail first, then phone, like
`person_upsert`), writes new people and their contact points with COPY on
PostgreSQL, applies changes to people who already existed (recording the old
values so the import can be undone), stores the rows' problems and moves the
import's row cursor. A killed run therefore leaves whole chunks behind it, and a
rerun starts after the last one: the final counts equal an uninterrupted run.

A row matching a person created earlier in the same file finds them in the
database (earlier chunks are committed) or in the chunk's own new people, so a
file listing someone twice creates them once; a file imported twice creates no
one the second time.

Every row read is counted once: a person the file lands on is added, updated, up
to date or outside the importer's scope once, each further row of theirs is a
repeat, and a row left out is rejected (`PersonImport.rows_accounted`).
"""

from __future__ import annotations

import datetime
import gc
import itertools
import json
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.utils import timezone

from solidaire.core import tabular
from solidaire.core.access import scope_for
from solidaire.core.bulk import ids_in, ids_reserve, rows_insert, rows_update
from solidaire.core.worker import hand_back_if_stopping

from ..models import (
    ConsentEvent,
    ConsentMethod,
    EmailAddress,
    ImportChange,
    ImportProblem,
    Person,
    PersonImport,
    PhoneNumber,
    Source,
    Tag,
)
from . import reader_process
from .cleaning import Clean, RowCleaner
from .columns import fold

DEFAULT_CHUNK_ROWS = CHUNK_ROWS = 20_000  # settings.IMPORT_CHUNK_ROWS; tests may patch this
_LOOKUP_BATCH = 20_000
CONSENT_COLUMN = {"email": "consent_email", "sms": "consent_sms", "phone": "consent_phone"}
# The profile fields an import may fill or change on a person who already exists.
PROFILE = ("chosen_name", "given_name", "family_name", "preferred_language", "postal_code",
           "sector", "workplace")
_PERSON_COLUMNS = ("id", "created_at", "updated_at", "chosen_name", "given_name", "family_name",
                   "preferred_language", "postal_code", "home_chapter_id", "sector", "workplace",
                   "source", "source_detail", "consent_email", "consent_sms", "consent_phone",
                   "added_by_import_id", "organization_id")
_EMAIL_COLUMNS = ("person_id", "address", "is_primary", "added_at", "organization_id")

Progress = Callable[[PersonImport], None]
FIELD, EMAIL, PHONE, TAG, CONSENT, SEVERAL = (str(kind.value) for kind in (
    ImportChange.Kind.FIELD, ImportChange.Kind.EMAIL, ImportChange.Kind.PHONE,
    ImportChange.Kind.TAG, ImportChange.Kind.CONSENT, ImportChange.Kind.SEVERAL))


class ImportStopped(Exception):
    """Raised by tests and by `--stop-after` to simulate a crash between chunks."""


class ImportTakenOver(Exception):
    """Another worker committed a chunk of this import: this run stops."""


@dataclass
class _Batch:
    """A chunk of rows, cleaned: what one transaction writes."""

    after_row: int  # the cursor before this chunk
    last_row: int
    count: int
    cleans: list[Clean]
    problems: list
    problem_rows: int
    rejected: int
    # What the database knew of the chunk's e-mails and phones when it was read
    # (filled ahead of time by the reading thread, or by the writer itself).
    lookups: tuple | None = None


def _batches(rows, cleaner: RowCleaner, after_row: int, size: int):
    """Group rows after `after_row` into cleaned chunks of `size` rows."""
    buffer = []
    previous = after_row
    for number, cells in rows:
        if number <= after_row:
            continue
        buffer.append((number, cells))
        if len(buffer) >= size:
            yield _clean_batch(buffer, cleaner, previous)
            previous = buffer[-1][0]
            buffer = []
    if buffer:
        yield _clean_batch(buffer, cleaner, previous)


def _clean_batch(rows, cleaner: RowCleaner, after_row: int) -> _Batch:
    cleans, problems = [], []
    problem_rows = rejected = 0
    for number, cells in rows:
        clean, found = cleaner.clean(number, cells)
        if found:
            problems.extend(found)
            problem_rows += 1
            if clean is None:
                rejected += 1
        if clean is not None:
            cleans.append(clean)
    return _Batch(after_row=after_row, last_row=rows[-1][0], count=len(rows), cleans=cleans,
                  problems=problems, problem_rows=problem_rows, rejected=rejected)


def _lookup(cleans: list[Clean], organization_id: int
            ) -> tuple[dict[str, int], dict[str, int], dict[int, str]]:
    """Who in the organization's list already has the chunk's e-mails and phones:
    address -> person, phone -> oldest person, and the names of the people found by
    phone. Never another organization's list (decision 0035)."""
    emails = sorted({e for clean in cleans for e in clean.emails})
    by_email: dict[str, int] = {}
    for batch in _in_batches(emails):
        by_email.update(EmailAddress.objects.filter(organization_id=organization_id,
                                                    address__in=ids_in(batch))
                        .values_list("address", "person_id"))
    # Phones match only rows whose e-mail did not: look up just those.
    phones = sorted({p for clean in cleans if not any(e in by_email for e in clean.emails)
                     for p in clean.phones})
    by_phone: dict[str, int] = {}
    for batch in _in_batches(phones):
        # A shared family phone belongs to several people: the oldest wins, as in
        # person_find.
        for number, person_id in (PhoneNumber.objects.filter(
                number__in=ids_in(batch), person__organization_id=organization_id)
                .order_by("-person_id").values_list("number", "person_id")):
            by_phone[number] = person_id
    names: dict[int, str] = {}
    for batch in _in_batches(sorted(set(by_phone.values()))):
        names.update(Person.objects.filter(id__in=ids_in(batch))
                     .values_list("id", "chosen_name"))
    return by_email, by_phone, names


def import_organization_id(person_import: PersonImport) -> int:
    """The organization whose list an import adds to: its chapter's, else its own, else
    the organization that runs the site (an account that sees every organization)."""
    from solidaire.organizing.models import Chapter, Organization

    if person_import.chapter_id:
        return Chapter.objects.values_list("organization_id", flat=True).get(
            pk=person_import.chapter_id)
    if person_import.organization_id:
        return person_import.organization_id
    host = (Organization.objects.order_by("-is_host", "id").values_list("pk", flat=True)
            .first())
    if host is None:
        raise ValueError("an import needs an organization")
    return host


def _looked_up(batches, organization_id: int):
    """Add the database look-ups to each batch (run by the reading thread)."""
    for batch in batches:
        batch.lookups = _lookup(batch.cleans, organization_id)
        yield batch


def _ahead(iterator, depth: int = 2):
    """Run `iterator` in a thread, `depth` items ahead of the consumer.

    Reading and cleaning the next chunk (Python) overlaps with the database writing
    the current one; psycopg releases the GIL while it waits on the server.
    """
    items: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def hand(item) -> bool:
        # Never waits for good on a consumer that stopped: the thread (and its
        # database connection) ends instead.
        while not stop.is_set():
            try:
                items.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for item in iterator:
                if not hand(item):
                    return
            hand(done)
        except BaseException as exc:  # handed to the consumer
            hand(exc)
        finally:
            connections.close_all()  # this thread's own database connections

    thread = threading.Thread(target=produce, name="import-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = items.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


@dataclass
class _New:
    row: Clean
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    consent: dict[str, bool] = field(default_factory=dict)
    rows: int = 1  # rows of the chunk that landed on this new person

    def absorb(self, clean: Clean) -> None:
        """A later row for the same new person fills what is still blank."""
        self.rows += 1
        for name in PROFILE:
            value = getattr(clean, name)
            if value and not getattr(self.row, name):
                setattr(self.row, name, value)
        self.tags.extend(tag for tag in clean.tags if tag not in self.tags)
        self.consent.update(clean.consent)


@dataclass
class _Existing:
    values: dict
    emails: set[str]
    phones: set[str]
    tag_ids: set[int]
    fields: dict = field(default_factory=dict)  # name -> (old, new)
    new_emails: list[str] = field(default_factory=list)
    new_phones: list[str] = field(default_factory=list)
    new_tag_ids: list[int] = field(default_factory=list)
    consent: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # channel -> (old, new)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.new_emails or self.new_phones or self.new_tag_ids
                    or self.consent)


def _match(cleans: list[Clean], by_email: dict[str, int], by_phone: dict[str, int],
           names: dict[int, str]) -> tuple[dict[int, _New], dict[int, list[Clean]]]:
    """Land each row on a person: one who exists (by id, with the chunk's rows for
    them) or one to add (by a negative key). Rows for the same person are grouped."""
    new: dict[int, _New] = {}
    matched: dict[int, list[Clean]] = {}
    next_key = -1
    for clean in cleans:
        pid = None
        for email in clean.emails:
            pid = by_email.get(email)
            if pid is not None:
                break
        if pid is None:
            for phone in clean.phones:
                pid = by_phone.get(phone)
                if pid is not None:
                    break
            # A family may share a phone: a row with its own e-mail matches by phone
            # only when the name agrees too (decision 0015).
            if pid is not None and clean.emails and fold(names.get(pid, "")) != fold(
                    clean.chosen_name):
                pid = None
        if pid is None:
            pid, next_key = next_key, next_key - 1
            new[pid] = _New(row=clean)
            names[pid] = clean.chosen_name
        if pid < 0:
            entry = new[pid]
            if entry.row is not clean:
                entry.absorb(clean)
            else:
                entry.tags = list(clean.tags)
                entry.consent = dict(clean.consent)
            for email in clean.emails:
                if email not in by_email:
                    by_email[email] = pid
                    entry.emails.append(email)
            for phone in clean.phones:
                if phone not in entry.phones:
                    entry.phones.append(phone)
                by_phone.setdefault(phone, pid)
        else:
            matched.setdefault(pid, []).append(clean)
            for email in clean.emails:
                by_email.setdefault(email, pid)
            for phone in clean.phones:
                by_phone.setdefault(phone, pid)
    return new, matched


def _in_batches(values: list, size: int = _LOOKUP_BATCH) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class _Run:
    def __init__(self, person_import: PersonImport, path) -> None:
        self.imp = person_import
        self.path = path
        self.info = tabular.FileInfo(person_import.file_format, person_import.encoding,
                                     person_import.delimiter)
        self.actor = person_import.created_by
        self.scope = scope_for(self.actor) if self.actor is not None else None
        self.organization_id = import_organization_id(person_import)
        self.cleaner = RowCleaner(person_import.headers, person_import.mapping)
        self.source_detail = person_import.original_name[:200]
        self.chapter_id = person_import.chapter_id
        self.tag_ids: dict[str, int] = {}
        self.batch_tag_ids = [self._tag_id(name) for name in person_import.tag_names]
        self.person_type_id = ContentType.objects.get_for_model(Person).id
        # What this run wrote, for look-ups made before the previous chunk committed:
        # e-mail -> person, phone -> oldest person, person -> name.
        self.known_email: dict[str, int] = {}
        self.known_phone: dict[str, int] = {}
        self.known_name: dict[int, str] = {}
        # Everyone an earlier row of the file landed on (added or matched): a later row
        # of theirs counts as a repeat, never as a second person.
        self.seen: set[int] = set()

    # -- helpers ------------------------------------------------------------------

    def _tag_id(self, name: str) -> int:
        tag_id = self.tag_ids.get(name)
        if tag_id is None:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            tag_id = self.tag_ids[name] = tag.id
        return tag_id

    def _visible(self, ids: set[int]) -> set[int]:
        if self.scope is None or self.scope.everything or not ids:
            return set(ids)
        seen: set[int] = set()
        for batch in _in_batches(sorted(ids)):
            queryset = Person.objects.filter(self.scope.person_q(), id__in=ids_in(batch))
            seen.update(queryset.values_list("id", flat=True))
        return seen

    def recall_earlier_rows(self, size: int) -> None:
        """A resumed run: learn whom the rows before the cursor landed on.

        The counts must come out as in an uninterrupted run, where a later row for
        someone an earlier row added or matched is a repeat. Those rows committed:
        looked up now, they find the same people (the ones they added included), so
        matching them again, without writing, gives back the run's memory of them.
        It costs a reading of that part of the file, once per resume.
        """
        last_row = self.imp.last_row
        if not last_row:
            return
        _header, rows = tabular.header_and_rows(self.path, self.info)
        earlier = itertools.takewhile(lambda row: row[0] <= last_row, rows)
        for batch in _batches(earlier, self.cleaner, 0, size):
            _new, matched = _match(batch.cleans, *_lookup(batch.cleans, self.organization_id))
            self.seen.update(matched)

    # -- one chunk ------------------------------------------------------------------

    def chunk(self, batch: _Batch) -> None:
        with transaction.atomic():
            _session_tune()
            imp = PersonImport.objects.select_for_update().get(pk=self.imp.pk)
            if imp.last_row != batch.after_row:
                # Another worker moved the cursor meanwhile: it is running this import.
                raise ImportTakenOver
            self._chunk(imp, batch)
            imp.last_row = batch.last_row
            imp.rows_done += batch.count
            imp.save(update_fields=[
                "last_row", "rows_done", "created_count", "updated_count", "unchanged_count",
                "repeated_count", "skipped_count", "problem_count", "rejected_count",
            ])
            self.imp = imp

    def _chunk(self, imp: PersonImport, batch: _Batch) -> None:
        now = timezone.now()
        cleans, problems = batch.cleans, batch.problems
        imp.problem_count += batch.problem_rows
        imp.rejected_count += batch.rejected
        if batch.lookups is None:
            batch.lookups = _lookup(cleans, self.organization_id)
        by_email, by_phone, names = batch.lookups
        self._recall(cleans, by_email, by_phone, names)
        new, matched = _match(cleans, by_email, by_phone, names)
        imp.repeated_count += sum(entry.rows - 1 for entry in new.values())
        ids = self._write_new(imp, list(new.values()), now)
        for key, person_id in zip(new, ids, strict=True):
            entry = new[key]
            self.known_name[person_id] = entry.row.chosen_name
            for email in entry.emails:
                self.known_email[email] = person_id
            for phone in entry.phones:
                self.known_phone.setdefault(phone, person_id)
        self.seen.update(ids)
        self._write_matched(imp, matched, by_email, now)
        if problems:
            rows_insert(ImportProblem, ("person_import_id", "row", "column", "code", "value"),
                        ((imp.pk, row, column[:200], code, value[:100])
                         for row, column, code, value in problems))

    def _recall(self, cleans: list[Clean], by_email: dict, by_phone: dict,
                names: dict) -> None:
        """Complete look-ups made ahead of time with what this run wrote since."""
        for email, person_id in by_email.items():
            self.known_email.setdefault(email, person_id)
        for phone, person_id in by_phone.items():
            if person_id < self.known_phone.get(phone, person_id + 1):
                self.known_phone[phone] = person_id
        known_email, known_phone = self.known_email, self.known_phone
        for clean in cleans:
            for email in clean.emails:
                person_id = known_email.get(email)
                if person_id is not None:
                    by_email[email] = person_id
            for phone in clean.phones:
                person_id = known_phone.get(phone)
                if person_id is not None and (phone not in by_phone
                                              or person_id < by_phone[phone]):
                    by_phone[phone] = person_id
        for person_id in set(by_phone.values()):
            name = self.known_name.get(person_id)
            if name is not None:
                names[person_id] = name

    def _write_new(self, imp: PersonImport, people: list[_New],
                   now: datetime.datetime) -> list[int]:
        if not people:
            return []
        ids = ids_reserve(Person, len(people))
        person_rows, emails, phones, tags, consents = [], [], [], [], []
        actor_id = self.actor.pk if self.actor is not None else None
        # Plain strings: psycopg adapts a str subclass (the choices enums) more slowly.
        source, mobile, method = (str(Source.IMPORT.value), str(PhoneNumber.Kind.MOBILE.value),
                                  str(ConsentMethod.IMPORT.value))
        detail, chapter_id, import_id = self.source_detail, self.chapter_id, imp.pk
        organization_id = self.organization_id
        batch_tags = self.batch_tag_ids
        if connection.vendor == "postgresql":
            # COPY takes the time as text; one string instead of a million conversions.
            now = now.isoformat()
        for person_id, entry in zip(ids, people, strict=True):
            row = entry.row
            consent = entry.consent
            person_rows.append((
                person_id, now, now, row.chosen_name, row.given_name, row.family_name,
                row.preferred_language or "fr", row.postal_code, chapter_id, row.sector,
                row.workplace, source, detail, consent.get("email", False),
                consent.get("sms", False), consent.get("phone", False), import_id,
                organization_id,
            ))
            first = True
            for email in entry.emails:
                emails.append((person_id, email, first, now, organization_id))
                first = False
            first = True
            for phone in entry.phones:
                phones.append((person_id, phone, mobile, first, now))
                first = False
            tag_ids = ({*batch_tags, *(self._tag_id(t) for t in entry.tags)} if entry.tags
                       else batch_tags)
            for tag_id in tag_ids:
                tags.append((person_id, tag_id))
            for channel, granted in consent.items():
                consents.append((person_id, channel, granted, method, detail, actor_id, now))
        rows_insert(Person, _PERSON_COLUMNS, person_rows)
        rows_insert(EmailAddress, _EMAIL_COLUMNS, emails)
        rows_insert(PhoneNumber, ("person_id", "number", "kind", "is_primary", "added_at"),
                    phones)
        rows_insert(Person.tags.through, ("person_id", "tag_id"), tags)
        rows_insert(ConsentEvent, ("person_id", "channel", "granted", "method", "source",
                                   "recorded_by_id", "at"), consents)
        imp.created_count += len(people)
        return ids

    def _write_matched(self, imp: PersonImport, matched: dict[int, list[Clean]],
                       by_email: dict[str, int], now: datetime.datetime) -> None:
        if not matched:
            return
        # Each person counts once for the file (as updated, up to date or outside the
        # importer's scope); their other rows, in this chunk or later, are repeats.
        first = {pid for pid in matched if pid not in self.seen}
        self.seen.update(first)
        imp.repeated_count += sum(len(rows) for rows in matched.values()) - len(first)
        visible = self._visible(set(matched))
        imp.skipped_count += len(first - visible)
        if not visible:
            return
        current = self._current(visible)
        for person_id in sorted(visible):
            state = current[person_id]
            for clean in matched[person_id]:
                self._apply(state, clean, by_email, person_id)
            if self.chapter_id and state.values["home_chapter_id"] is None:
                state.fields["home_chapter_id"] = (None, self.chapter_id)
                state.values["home_chapter_id"] = self.chapter_id
            for tag_id in self.batch_tag_ids:
                if tag_id not in state.tag_ids:
                    state.tag_ids.add(tag_id)
                    state.new_tag_ids.append(tag_id)
        changed = {pid: current[pid] for pid in visible if current[pid].changed}
        updated = len(changed.keys() & first)
        imp.updated_count += updated
        imp.unchanged_count += len(visible & first) - updated
        # Someone an earlier row matched and found up to date, whom a later row changes:
        # they were updated after all. Neither added by this import nor changed by it
        # before (no change record yet) means they were counted up to date.
        again = [pid for pid in changed if pid not in first
                 and current[pid].values["added_by_import_id"] != imp.pk]
        recorded: set[int] = set()
        for batch in _in_batches(again):
            recorded.update(ImportChange.objects.filter(
                person_import_id=imp.pk, person_id__in=ids_in(batch))
                .values_list("person_id", flat=True))
        moved = len(again) - len(recorded)
        imp.unchanged_count -= moved
        imp.updated_count += moved
        if changed:
            self._write_changes(imp, changed, now)

    def _current(self, ids: set[int]) -> dict[int, _Existing]:
        columns = (*PROFILE, "home_chapter_id", *CONSENT_COLUMN.values())
        current: dict[int, _Existing] = {}
        for batch in _in_batches(sorted(ids)):
            for values in Person.objects.filter(id__in=ids_in(batch)).values(
                    "id", "added_by_import_id", *columns):
                current[values.pop("id")] = _Existing(values=values, emails=set(), phones=set(),
                                                      tag_ids=set())
            batch_ids = ids_in(batch)
            for person_id, address in EmailAddress.objects.filter(
                    person_id__in=batch_ids).values_list("person_id", "address"):
                current[person_id].emails.add(address)
            for person_id, number in PhoneNumber.objects.filter(
                    person_id__in=batch_ids).values_list("person_id", "number"):
                current[person_id].phones.add(number)
            for person_id, tag_id in Person.tags.through.objects.filter(
                    person_id__in=ids_in(batch)).values_list("person_id", "tag_id"):
                current[person_id].tag_ids.add(tag_id)
        return current

    def _apply(self, state: _Existing, clean: Clean, by_email: dict[str, int],
               person_id: int) -> None:
        values = state.values
        for name in PROFILE:
            new = getattr(clean, name)
            if new and new != values[name]:
                old = state.fields[name][0] if name in state.fields else values[name]
                state.fields[name] = (old, new)
                if name == "chosen_name":
                    self.known_name[person_id] = new
                values[name] = new
        for email in clean.emails:
            # An address may belong to one person only: one owned by someone else stays theirs.
            if email not in state.emails and by_email.get(email) == person_id:
                state.emails.add(email)
                state.new_emails.append(email)
                self.known_email[email] = person_id
        for phone in clean.phones:
            if phone not in state.phones:
                state.phones.add(phone)
                state.new_phones.append(phone)
                self.known_phone.setdefault(phone, person_id)
        for name in clean.tags:
            tag_id = self._tag_id(name)
            if tag_id not in state.tag_ids:
                state.tag_ids.add(tag_id)
                state.new_tag_ids.append(tag_id)
        for channel, granted in dict(clean.consent).items():
            column = CONSENT_COLUMN[channel]
            if values[column] != granted:
                old = state.consent[channel][0] if channel in state.consent else values[column]
                state.consent[channel] = (old, granted)
                values[column] = granted

    def _write_changes(self, imp: PersonImport, changed: dict[int, _Existing],
                       now: datetime.datetime) -> None:
        columns = (*PROFILE, "home_chapter_id", *CONSENT_COLUMN.values())
        rows_update(Person, (*columns, "updated_at"), [
            (person_id, *(state.values[c] for c in columns), now)
            for person_id, state in changed.items()
        ])
        record, emails, phones, tags, consents = [], [], [], [], []
        actor_id = self.actor.pk if self.actor is not None else None
        mobile, method = str(PhoneNumber.Kind.MOBILE.value), str(ConsentMethod.IMPORT.value)
        for person_id, state in changed.items():
            has_email = len(state.emails) > len(state.new_emails)
            has_phone = len(state.phones) > len(state.new_phones)
            # One record a person: [kind, what, before, after] for each change.
            steps = [[FIELD, name, old, new] for name, (old, new) in state.fields.items()]
            for position, email in enumerate(state.new_emails):
                emails.append((person_id, email, not has_email and position == 0, now,
                               self.organization_id))
                steps.append([EMAIL, email, None, None])
            for position, phone in enumerate(state.new_phones):
                phones.append((person_id, phone, mobile, not has_phone and position == 0, now))
                steps.append([PHONE, phone, None, None])
            for tag_id in state.new_tag_ids:
                tags.append((person_id, tag_id))
                steps.append([TAG, str(tag_id), None, None])
            for channel, (old, new) in state.consent.items():
                consents.append((person_id, channel, new, method, self.source_detail, actor_id,
                                 now))
                steps.append([CONSENT, channel, old, new])
            record.append((imp.pk, person_id, SEVERAL, "", None, json.dumps(steps)))
        rows_insert(EmailAddress, _EMAIL_COLUMNS, emails)
        rows_insert(PhoneNumber, ("person_id", "number", "kind", "is_primary", "added_at"),
                    phones)
        rows_insert(Person.tags.through, ("person_id", "tag_id"), tags)
        rows_insert(ConsentEvent, ("person_id", "channel", "granted", "method", "source",
                                   "recorded_by_id", "at"), consents)
        rows_insert(ImportChange, ("person_import_id", "person_id", "kind", "name", "old_value",
                                   "new_value"), record, json_text=True)


def _session_tune() -> None:
    """PostgreSQL settings for this chunk's transaction only (decision 0015).

    - synchronous_commit off: a crash may lose the last chunks committed in the
      moment before it, but each chunk's rows and the cursor that says it is done
      commit together, so a rerun simply does those chunks again.
    - a larger GIN pending list: the trigram indexes take a chunk's new names and
      addresses in one batch instead of many small merges.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL gin_pending_list_limit = '32MB'")


def count_rows(path, info: tabular.FileInfo) -> int:
    """Rows under the header, for the progress bar.

    A CSV file's lines are counted in bytes (quoted line breaks and blank lines make
    this a slight overestimate, corrected when the import ends); an XLSX sheet is read.
    """
    if info.file_format == "csv" and info.encoding != "utf-16":
        lines = 0
        last = b"\n"
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(lines + (last != b"\n") - 1, 0)
    _header, rows = tabular.header_and_rows(path, info)
    return sum(1 for _ in rows)


def run(person_import: PersonImport, path, *, progress: Progress | None = None,
        stop_after_chunks: int | None = None) -> PersonImport:
    """Import every row after the import's cursor; returns the import, refreshed."""
    work = _Run(person_import, path)
    size = CHUNK_ROWS if CHUNK_ROWS != DEFAULT_CHUNK_ROWS else settings.IMPORT_CHUNK_ROWS
    remaining = (person_import.rows_total or 0) - person_import.rows_done
    if connection.in_atomic_block:
        # Inside a caller's transaction (tests) another connection could not see the
        # caller's rows: a thread reads and cleans ahead; the writer looks up itself.
        _header, rows = tabular.header_and_rows(path, work.info)
        batches = _ahead(_batches(rows, work.cleaner, person_import.last_row, size))
    elif remaining >= settings.IMPORT_READER_PROCESS_ROWS:
        # A large file: another process reads, cleans and looks up ahead, on the other
        # core and its own connection, free of this process's interpreter lock.
        batches = _from_reader_process(person_import, path, size, work.organization_id)
    else:
        _header, rows = tabular.header_and_rows(path, work.info)
        batches = _ahead(_looked_up(_batches(rows, work.cleaner, person_import.last_row,
                                             size), work.organization_id))
    # Millions of short-lived tuples and a run-long memory of every e-mail: the cyclic
    # garbage collector would rescan that memory over and over. It pauses for the
    # run; after each chunk the young generations (that chunk's leftovers) are
    # collected, and what survives is never rescanned until the run ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        work.recall_earlier_rows(size)  # a resumed run only
        for chunks, batch in enumerate(batches, start=1):
            work.chunk(batch)
            gc.collect(1)
            if progress:
                progress(work.imp)
            if stop_after_chunks is not None and chunks >= stop_after_chunks:
                raise ImportStopped
            # A worker asked to stop (a deploy) hands the job back between chunks; the
            # next one resumes after this chunk (decision 0048).
            hand_back_if_stopping()
    finally:
        # Stopped early (an error, a takeover, a requested stop): the reading thread
        # or process stops now, not whenever the traceback holding it is let go.
        close = getattr(batches, "close", None)
        if close is not None:
            close()
        if collecting:
            gc.enable()
    return work.imp


def _from_reader_process(person_import: PersonImport, path, size: int, organization_id: int):
    """Batches read, cleaned and looked up by a second process (reader_process.main).

    That process never outlives this one: it is joined (or terminated) when this
    generator ends or is closed (an error, a stop), and it ends itself when this
    process dies, even by SIGKILL: this process holds the only reading end of the
    pipe between them (see reader_process).
    """
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, its own connection
    # One way: the reader keeps batches ready (two in its own queue, one in its send)
    # while this process writes the previous one.
    receiving, sending = context.Pipe(duplex=False)
    info = (person_import.file_format, person_import.encoding, person_import.delimiter)
    process = context.Process(
        target=reader_process.main, daemon=True, name="import-reader",
        args=(str(path), info, person_import.headers, person_import.mapping,
              person_import.last_row, size, sending, os.getpid(), organization_id),
    )
    process.start()
    sending.close()  # the reader's end only: when the reader ends, receiving sees EOF
    finished = False
    try:
        while True:
            try:
                item = receiving.recv()
            except EOFError:
                raise RuntimeError("the reading process stopped") from None
            if isinstance(item, str):
                if item == reader_process.DONE:
                    finished = True
                    return
                raise RuntimeError(f"the reading process failed: {item}")
            item.cleans = [Clean(*fields) for fields in item.cleans]
            yield item
    finally:
        receiving.close()  # a reader still sending gets a broken pipe and ends
        if not finished and process.is_alive():
            process.terminate()
        process.join(timeout=10)
        if process.is_alive():  # stuck where SIGTERM waits (it should not be)
            process.kill()
            process.join(timeout=5)
