"""The duplicate finder: people who may be one, ranked, reviewed and merged (decision 0017).

The scan reads every person once (names, chapter, postal code), their phones and
their e-mail addresses in three streaming queries, finds candidate pairs in Python
by *blocking* (only people sharing a key are compared), scores each pair from all
the evidence it has, and writes the best `OPEN_PAIRS_MAX` open pairs.

Candidate keys (a key shared by more people than its cap is not evidence and is skipped):

- the same phone number (at most `PHONE_BLOCK_MAX` people: a family shares a phone,
  an office switchboard is not a person);
- the same e-mail local part at another domain (at most `EMAIL_BLOCK_MAX`);
- the same name tokens ignoring accents, case, punctuation and order ("José Garcia" /
  "jose garcia", "Marie-Ève" / "Marie Eve", "Nguyen Linh" / "Linh Nguyen"), when at
  most `NAME_BLOCK_MAX` people carry the name;
- the same postal code (at most `POSTAL_BLOCK_MAX` people): there a common name,
  swapped or misspelt, counts too;
- within one home chapter, names one typo apart (`_typo_close`: one token differs by
  one edit, two from eight letters, and that spelling is rare in the list), compared
  between distinct names blocked by the first and last two letters of each token
  (optimal string alignment distance, rapidfuzz), expanded to people only when few
  people carry the two names there (`FUZZY_PEOPLE_MAX`).

Every candidate is then scored from all the evidence it has (`_evaluate`); one with
neither a shared phone nor a name reason is dropped.

Pairs marked "not the same person" are never reopened or rescored; open pairs are
refreshed, and open pairs no longer found are removed.
"""

from __future__ import annotations

import heapq
import logging
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import process
from rapidfuzz.distance import OSA

from solidaire.core.access import require, scope_for
from solidaire.core.bulk import rows_insert
from solidaire.core.services import audit_log

from .models import DuplicatePair, Person
from .services import person_merge
from .signals import person_merging

logger = logging.getLogger(__name__)

# Reason codes stored in DuplicatePair.reasons, with the label organizers read.
PHONE = "phone"
SAME_NAME = "same_name"
TRANSPOSED = "transposed"
SIMILAR_NAME = "similar_name"
EMAIL_LOCAL = "email_local"
POSTAL_CODE = "postal_code"
OTHER_CHAPTER = "other_chapter"
REASON_LABELS = {
    PHONE: _("Same phone number"),
    SAME_NAME: _("Same name (ignoring accents, case and hyphens)"),
    TRANSPOSED: _("Given and family names swapped"),
    SIMILAR_NAME: _("Similar name in the same chapter"),
    EMAIL_LOCAL: _("Same e-mail name at another domain"),
    POSTAL_CODE: _("Same postal code"),
    OTHER_CHAPTER: _("Different chapters"),
}
REASON_ORDER = list(REASON_LABELS)

PHONE_BLOCK_MAX = 10
EMAIL_BLOCK_MAX = 10
EMAIL_LOCAL_MIN_LENGTH = 4
NAME_BLOCK_MAX = 50
RARE_TOKEN_MAX = 20  # a name token carried by more people is a real name, not a typo
FUZZY_PEOPLE_MAX = 50  # people with name A × people with name B, in one chapter
POSTAL_BLOCK_MAX = 30
FUZZY_BLOCK_MAX = 20_000  # distinct names sharing one fuzzy key in one chapter
OPEN_PAIRS_MAX = 200_000
CONFIDENT_SCORE = 90
BULK_MERGE_MAX = 200  # merges per bulk-merge call; the rest wait for the next one

# Scores (0-100). A name reason gives the base; other evidence adds to it.
NAME_POINTS = {SAME_NAME: 60, TRANSPOSED: 55, SIMILAR_NAME: 45}
PHONE_ALONE = 50
PHONE_WITH_NAME = 35
EMAIL_LOCAL_POINTS = 20
POSTAL_POINTS = 15
OTHER_CHAPTER_PENALTY = 15
COMMON_NAME_PENALTY = 10


def reason_labels(reasons: Iterable[str]) -> list[str]:
    """Labels of stored reason codes in a stable order (unknown codes are left out)."""
    present = set(reasons)
    return [str(REASON_LABELS[code]) for code in REASON_ORDER if code in present]


# -- folding names -----------------------------------------------------------------------------

_fold_cache: dict[str, str] = {}


def name_fold(name: str) -> str:
    """Lower case, without accents; punctuation and hyphens become spaces, spaces collapse."""
    folded = _fold_cache.get(name)
    if folded is None:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        letters = "".join(
            ch if ch.isalnum() else " "
            for ch in decomposed if not unicodedata.combining(ch)
        )
        folded = " ".join(letters.split())
        if len(_fold_cache) < 500_000:
            _fold_cache[name] = folded
    return folded


def _token_key(folded: str) -> str:
    return " ".join(sorted(folded.split()))


def _typo_close(a: str, b: str, token_count: Counter) -> bool:
    """Whether two folded names differ by a typo: the same number of tokens, one token
    apart by at most one edit (two from eight letters), and that token rare in the list.

    Two spellings that are both common ("Marites" / "Maricel", "Wang" / "Yang") are
    two real names, not a typo.
    """
    tokens_a, tokens_b = a.split(), b.split()
    if len(tokens_a) != len(tokens_b):
        return False
    differ = [(x, y) for x, y in zip(tokens_a, tokens_b, strict=True) if x != y]
    if len(differ) != 1:
        return False
    x, y = differ[0]
    limit = 1 if min(len(x), len(y)) < 8 else 2
    if OSA.distance(x, y, score_cutoff=limit) > limit:
        return False
    return min(token_count.get(x, 0), token_count.get(y, 0)) <= RARE_TOKEN_MAX


# -- the scan ----------------------------------------------------------------------------------

@dataclass
class ScanResult:
    counts: dict[str, int]
    seconds: float


@dataclass
class _People:
    """Everything the scan reads, in parallel lists indexed by position."""

    ids: list[int] = field(default_factory=list)
    chapters: list[int | None] = field(default_factory=list)
    organizations: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # folded chosen name
    keys: list[str] = field(default_factory=list)  # token key of the chosen name
    alt_keys: dict[int, str] = field(default_factory=dict)  # given + family, when different
    postals: list[str] = field(default_factory=list)
    phones: dict[int, tuple[str, ...]] = field(default_factory=dict)
    emails: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    token_count: Counter = field(default_factory=Counter)  # people carrying each name token
    position: dict[int, int] = field(default_factory=dict)


def _stream(sql: str) -> Iterator[tuple]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(20_000):
            yield from rows


PEOPLE_SQL = ("SELECT id, chosen_name, given_name, family_name, postal_code, home_chapter_id, "
              "organization_id FROM people_person")
PHONES_SQL = "SELECT person_id, number FROM people_phonenumber"
EMAILS_SQL = "SELECT person_id, address FROM people_emailaddress"


def _load() -> _People:
    people = _People()
    ids, chapters, names, keys, postals = (people.ids, people.chapters, people.names,
                                           people.keys, people.postals)
    position = people.position
    key_of: dict[str, str] = {}
    for pk, chosen, given, family, postal, chapter, organization in _stream(PEOPLE_SQL):
        index = len(ids)
        position[pk] = index
        ids.append(pk)
        chapters.append(chapter)
        people.organizations.append(organization)
        folded = name_fold(chosen)
        names.append(folded)
        key = key_of.get(folded)
        if key is None:
            key = key_of[folded] = _token_key(folded)
        keys.append(key)
        if given and family:
            alt = _token_key(name_fold(f"{given} {family}"))
            if alt != key:
                people.alt_keys[index] = alt
        postals.append(postal.replace(" ", "").upper() if postal else "")
    phones: dict[int, list[str]] = defaultdict(list)
    for pk, number in _stream(PHONES_SQL):
        if pk in position:
            phones[position[pk]].append(number)
    people.phones = {index: tuple(numbers) for index, numbers in phones.items()}
    emails: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pk, address in _stream(EMAILS_SQL):
        if pk in position and "@" in address:
            local, _at, domain = address.lower().rpartition("@")
            local = local.split("+", 1)[0]
            emails[position[pk]].append((local, domain))
    people.emails = {index: tuple(pairs) for index, pairs in emails.items()}
    for name, n in Counter(names).items():
        for token in set(name.split()):
            people.token_count[token] += n
    return people


def _block_pairs(blocks: Iterable[list[int]], limit: int) -> Iterator[tuple[int, int]]:
    for members in blocks:
        if 1 < len(members) <= limit:
            yield from combinations(members, 2)


def _candidates(people: _People, counts: Counter) -> tuple[set[tuple[int, int]], Counter]:
    """Pairs of positions (low, high) sharing at least one key, and name frequencies."""
    found: set[tuple[int, int]] = set()

    def add(pairs: Iterable[tuple[int, int]]) -> None:
        for a, b in pairs:
            found.add((a, b) if a < b else (b, a))

    by_phone: dict[str, list[int]] = defaultdict(list)
    for index, numbers in people.phones.items():
        for number in numbers:
            by_phone[number].append(index)
    add(_block_pairs(by_phone.values(), PHONE_BLOCK_MAX))

    by_local: dict[str, list[int]] = defaultdict(list)
    for index, pairs in people.emails.items():
        for local in {local for local, _domain in pairs}:
            if len(local) >= EMAIL_LOCAL_MIN_LENGTH:
                by_local[local].append(index)
    add(_block_pairs(by_local.values(), EMAIL_BLOCK_MAX))

    by_key: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(people.keys):
        if key:
            by_key[key].append(index)
    for index, key in people.alt_keys.items():
        by_key[key].append(index)
    frequency = Counter({key: len(members) for key, members in by_key.items()})
    add(_block_pairs(by_key.values(), NAME_BLOCK_MAX))
    counts["common_names"] = sum(1 for n in frequency.values() if n > NAME_BLOCK_MAX)
    # People at one postal code (a few buildings) are compared whatever their names'
    # frequency: a common name, swapped or misspelt, counts there. `_evaluate` keeps
    # only the pairs that also have a name reason.
    by_postal: dict[str, list[int]] = defaultdict(list)
    for index, postal in enumerate(people.postals):
        if postal:
            by_postal[postal].append(index)
    # Most neighbours are not namesakes: keep only the pairs that score (memory).
    add((a, b) for a, b in _block_pairs(by_postal.values(), POSTAL_BLOCK_MAX)
        if _evaluate(people, a, b, frequency)[0])
    counts["candidates_exact"] = len(found)
    add(_fuzzy_pairs(people))
    return found, frequency


def _fuzzy_keys(name: str) -> set[str]:
    keys = set()
    for token in name.split():
        keys.add("<" + token[:2])
        keys.add(">" + token[-2:])
    return keys


def _fuzzy_pairs(people: _People) -> Iterator[tuple[int, int]]:
    """People of one chapter whose names differ by a typo, both names rare there."""
    holders: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for index, (chapter, name) in enumerate(zip(people.chapters, people.names, strict=True)):
        if chapter is not None and name:
            holders[chapter, name].append(index)
    names_by_chapter: dict[int, list[str]] = defaultdict(list)
    for (chapter, name), members in holders.items():
        if len(members) <= FUZZY_PEOPLE_MAX:
            names_by_chapter[chapter].append(name)
    for chapter, names in names_by_chapter.items():
        blocks: dict[str, list[str]] = defaultdict(list)
        for name in names:
            for key in _fuzzy_keys(name):
                blocks[key].append(name)
        close: set[tuple[str, str]] = set()
        for block in blocks.values():
            if len(block) < 2 or len(block) > FUZZY_BLOCK_MAX:
                continue
            for position, name in enumerate(block):
                matches = process.extract(name, block[position + 1:], scorer=OSA.distance,
                                          score_cutoff=2, limit=None)
                for other, distance, _index in matches:
                    if distance and _typo_close(name, other, people.token_count):
                        close.add((name, other) if name < other else (other, name))
        for a, b in close:
            left, right = holders[chapter, a], holders[chapter, b]
            if len(left) * len(right) <= FUZZY_PEOPLE_MAX:
                for i in left:
                    for j in right:
                        yield (i, j) if i < j else (j, i)


def _evaluate(people: _People, a: int, b: int, frequency: Counter) -> tuple[int, list[str]]:
    """Score and reasons of the pair of positions a, b (0 and [] when not a candidate)."""
    reasons = []
    shared_phone = False
    phones_a, phones_b = people.phones.get(a), people.phones.get(b)
    if phones_a and phones_b and set(phones_a) & set(phones_b):
        shared_phone = True
        reasons.append(PHONE)
    keys_a = {people.keys[a], people.alt_keys.get(a)} - {None, ""}
    keys_b = {people.keys[b], people.alt_keys.get(b)} - {None, ""}
    name_a, name_b = people.names[a], people.names[b]
    chapter_a, chapter_b = people.chapters[a], people.chapters[b]
    same_chapter = chapter_a == chapter_b
    name_reason = None
    if name_a and name_a == name_b:
        name_reason = SAME_NAME
    elif keys_a & keys_b:
        name_reason = TRANSPOSED if name_a and name_b else SAME_NAME
    elif (same_chapter and chapter_a is not None and name_a and name_b
          and _typo_close(name_a, name_b, people.token_count)):
        name_reason = SIMILAR_NAME
    if name_reason:
        reasons.append(name_reason)
    if not (shared_phone or name_reason):
        return 0, []
    emails_a, emails_b = people.emails.get(a), people.emails.get(b)
    email_local = False
    if emails_a and emails_b:
        email_local = any(la == lb and da != db and len(la) >= EMAIL_LOCAL_MIN_LENGTH
                          for la, da in emails_a for lb, db in emails_b)
        if email_local:
            reasons.append(EMAIL_LOCAL)
    postal = bool(people.postals[a]) and people.postals[a] == people.postals[b]
    if postal:
        reasons.append(POSTAL_CODE)

    if name_reason:
        score = NAME_POINTS[name_reason] + (PHONE_WITH_NAME if shared_phone else 0)
        if not same_chapter and chapter_a is not None and chapter_b is not None:
            score -= OTHER_CHAPTER_PENALTY
            reasons.append(OTHER_CHAPTER)
        if name_reason != SIMILAR_NAME and min(
            frequency.get(k, 0) for k in keys_a & keys_b or {people.keys[a]}
        ) > NAME_BLOCK_MAX:
            score -= COMMON_NAME_PENALTY
    else:
        score = PHONE_ALONE
    score += (EMAIL_LOCAL_POINTS if email_local else 0) + (POSTAL_POINTS if postal else 0)
    return max(1, min(100, score)), reasons


def _found_pairs(counts: Counter) -> dict[tuple[int, int], tuple[int, list[str]]]:
    """The best OPEN_PAIRS_MAX candidate pairs: (low id, high id) -> (score, reasons)."""
    people = _load()
    counts["people"] = len(people.ids)
    candidates, frequency = _candidates(people, counts)
    counts["candidates"] = len(candidates)
    ids, organizations = people.ids, people.organizations
    scored = []
    for a, b in candidates:
        if organizations[a] != organizations[b]:
            continue  # each organization's list is its own (decision 0035)
        score, reasons = _evaluate(people, a, b, frequency)
        if score:
            low, high = (ids[a], ids[b]) if ids[a] < ids[b] else (ids[b], ids[a])
            scored.append((score, -low, -high, reasons))
    counts["found"] = len(scored)
    if len(scored) > OPEN_PAIRS_MAX:
        scored = heapq.nlargest(OPEN_PAIRS_MAX, scored, key=lambda row: row[:3])
    return {(-low, -high): (score, reasons) for score, low, high, reasons in scored}


_PAIR_COLUMNS = ("person_low_id", "person_high_id", "score", "reasons", "decision", "found_at")


def _pairs_insert(rows: Iterable[tuple]) -> None:
    """Insert new open pairs; on PostgreSQL a COPY with declared column types.

    The types matter: without them psycopg may send the reasons list (or its JSON
    text) as a JSON *string* rather than an array.
    """
    if connection.vendor != "postgresql":
        rows_insert(DuplicatePair, _PAIR_COLUMNS, rows)
        return
    table = connection.ops.quote_name(DuplicatePair._meta.db_table)
    columns = ", ".join(_PAIR_COLUMNS)
    with (connection.cursor() as cursor,
          cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy):
        copy.set_types(["int8", "int8", "int2", "jsonb", "varchar", "timestamptz"])
        for row in rows:
            copy.write_row(row)


def _write(found: dict[tuple[int, int], tuple[int, list[str]]], counts: Counter) -> None:
    """Refresh open pairs, insert new ones, drop open ones no longer found; decided stay."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # One scan writes at a time (the task may run on several workers).
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('solidaire.duplicates_scan'))")
    existing = DuplicatePair.objects.values_list(
        "id", "person_low_id", "person_high_id", "decision", "score", "reasons",
    ).iterator(chunk_size=20_000)
    gone, changed = [], []
    for pk, low, high, decision, score, reasons in existing:
        new = found.pop((low, high), None)
        if decision != DuplicatePair.Decision.OPEN:
            counts["kept_decided"] += 1
            continue
        if new is None:
            gone.append(pk)
        elif new != (score, reasons):
            changed.append(DuplicatePair(pk=pk, score=new[0], reasons=new[1]))
        else:
            counts["unchanged"] += 1
    for start in range(0, len(gone), 10_000):
        DuplicatePair.objects.filter(
            pk__in=gone[start:start + 10_000], decision=DuplicatePair.Decision.OPEN,
        ).delete()
    DuplicatePair.objects.bulk_update(changed, ["score", "reasons"], batch_size=1000)
    now = timezone.now()
    _pairs_insert((low, high, score, reasons, DuplicatePair.Decision.OPEN.value, now)
                  for (low, high), (score, reasons) in found.items())
    counts["removed"], counts["refreshed"], counts["new"] = len(gone), len(changed), len(found)


def duplicates_scan(*, actor=None) -> ScanResult:
    """Find possible duplicates among all people and refresh the open pairs.

    Safe to run again at any time (the background task may run twice): decided
    pairs are never touched, and the result only depends on the people stored.
    """
    started = time.perf_counter()
    counts: Counter = Counter()
    found = _found_pairs(counts)
    by_reason: Counter = Counter()
    for _score, reasons in found.values():
        by_reason.update(reasons)
    with transaction.atomic():
        # People removed since they were read would break the foreign keys: leave them out.
        ids = {pk for pair in found for pk in pair}
        if ids and len(ids) <= 500_000:
            present = set()
            id_list = sorted(ids)
            for start in range(0, len(id_list), 20_000):
                present.update(Person.objects.filter(
                    pk__in=id_list[start:start + 20_000]).values_list("pk", flat=True))
            found = {pair: value for pair, value in found.items()
                     if pair[0] in present and pair[1] in present}
        _write(found, counts)
        counts["open"] = DuplicatePair.objects.filter(decision=DuplicatePair.Decision.OPEN).count()
        seconds = round(time.perf_counter() - started, 2)
        summary = {**dict(sorted(counts.items())),
                   **{f"reason_{code}": n for code, n in sorted(by_reason.items())}}
        audit_log(action="solidaire.duplicates.scanned", actor=actor,
                  data={**summary, "seconds": seconds})
    logger.info("duplicate scan: %s in %.1f s", summary, seconds)
    return ScanResult(counts=summary, seconds=seconds)


def duplicates_last_scan():
    """The audit entry of the last finished scan (its `at` and `data`), or None."""
    from solidaire.core.models import AuditEntry

    return (AuditEntry.objects.filter(action="solidaire.duplicates.scanned")
            .order_by("-at", "-id").first())


def duplicates_scan_waiting() -> bool:
    """Whether a scan is queued or running (so that "Scan now" does not queue another)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="solidaire.people.tasks.duplicates_scan_task",
        status__in=["READY", "RUNNING"],
    ).exists()


# -- decisions ---------------------------------------------------------------------------------

def _pairs_follow(*, keep: Person, remove: Person, skip_pk: int | None = None) -> None:
    """Pairs of `remove` are handed to `keep` before `remove` is deleted.

    An open pair becomes a pair of `keep` unless `keep` already has that pair (or it
    would pair `keep` with itself); a "not the same person" decision carries over,
    since the person kept is the one it was about.
    """
    pairs = (DuplicatePair.objects.select_for_update()
             .filter(Q(person_low=remove) | Q(person_high=remove)).exclude(pk=skip_pk))
    for pair in pairs:
        other = pair.person_high_id if pair.person_low_id == remove.pk else pair.person_low_id
        if other == keep.pk:
            continue  # the pair of the two merged records goes with the removed one
        low, high = sorted((keep.pk, other))
        existing = DuplicatePair.objects.filter(person_low_id=low, person_high_id=high).first()
        if existing is None:
            DuplicatePair.objects.filter(pk=pair.pk).update(person_low_id=low, person_high_id=high)
        elif (pair.decision == DuplicatePair.Decision.DISTINCT
              and existing.decision == DuplicatePair.Decision.OPEN):
            DuplicatePair.objects.filter(pk=existing.pk).update(
                decision=pair.decision, decided_at=pair.decided_at,
                decided_by_id=pair.decided_by_id,
            )


@receiver(person_merging, dispatch_uid="solidaire.people.duplicates.pairs_follow")
def _pairs_follow_merge(sender, *, keep, remove, **kwargs) -> None:
    """Any merge (from the finder or by hand) hands the removed record's pairs over."""
    _pairs_follow(keep=keep, remove=remove)


@transaction.atomic
def duplicate_mark_distinct(*, pair: DuplicatePair, actor) -> DuplicatePair:
    """The two records are two people: the pair stays, decided, and never comes back.

    Decided by an account that sees both records (`duplicate_pair_may_decide`)."""
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    require(duplicate_pair_may_decide(actor, pair), "this account may not decide on this pair")
    if pair.decision != DuplicatePair.Decision.DISTINCT:
        pair.decision = DuplicatePair.Decision.DISTINCT
        pair.decided_at = timezone.now()
        pair.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        pair.save(update_fields=["decision", "decided_at", "decided_by"])
        audit_log(action="solidaire.duplicate.distinct", actor=actor, obj=pair,
                  data={"person_ids": [pair.person_low_id, pair.person_high_id]})
    return pair


@transaction.atomic
def duplicate_merge(*, pair: DuplicatePair, keep: Person, actor) -> Person:
    """Merge the two records of an open pair into `keep` (one of the two).

    `person_merge` audits the merge and deletes the other record; the pair goes with
    it (its decision is the merge, in the audit log). Other pairs of the removed
    record are handed to the kept one (see `_pairs_follow`). Merged by an account that
    sees both records (`duplicate_pair_may_decide`).
    """
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    require(duplicate_pair_may_decide(actor, pair), "this account may not decide on this pair")
    if pair.decision != DuplicatePair.Decision.OPEN:
        raise ValueError("only an open pair can be merged")
    if keep.pk not in (pair.person_low_id, pair.person_high_id):
        raise ValueError("the record kept must be one of the pair")
    remove_id = pair.person_high_id if keep.pk == pair.person_low_id else pair.person_low_id
    remove = Person.objects.get(pk=remove_id)
    _pairs_follow(keep=keep, remove=remove, skip_pk=pair.pk)
    return person_merge(keep=keep, remove=remove, actor=actor)


def _contact_points(person_ids: list[int]) -> dict[int, int]:
    counts = Counter()
    for pk, n in (Person.objects.filter(pk__in=person_ids)
                  .annotate(n=Count("emails", distinct=True) + Count("phones", distinct=True))
                  .values_list("pk", "n")):
        counts[pk] = n
    return counts


def merge_direction(pair: DuplicatePair, contact_points: dict[int, int]) -> tuple[int, int]:
    """(keep id, remove id): the older record (lower id) unless the other has strictly
    more contact points (e-mail addresses and phones)."""
    low, high = pair.person_low_id, pair.person_high_id
    if contact_points.get(high, 0) > contact_points.get(low, 0):
        return high, low
    return low, high


def duplicates_merge_confident(*, user, actor, min_score: int = CONFIDENT_SCORE,
                               limit: int = BULK_MERGE_MAX) -> int:
    """Merge the open pairs scoring at least `min_score` whose two people `user` sees.

    Best pairs first, each merge in its own transaction (audited by `person_merge`).
    A pair whose records changed meanwhile (one merged by an earlier pair of this
    run, so the pair now joins other records) is left for review. Returns how many
    merges were made; at most `limit` per call.
    """
    snapshot = list(
        duplicate_pairs_visible_to(user)
        .filter(decision=DuplicatePair.Decision.OPEN, score__gte=min_score)
        .order_by("-score", "person_low_id", "person_high_id")
        .values_list("pk", "person_low_id", "person_high_id")[:limit]
    )
    merged = 0
    for pk, low, high in snapshot:
        with transaction.atomic():
            pair = (duplicate_pairs_visible_to(user)
                    .filter(pk=pk, person_low_id=low, person_high_id=high,
                            decision=DuplicatePair.Decision.OPEN)
                    .select_for_update(of=("self",)).first())
            if pair is None:
                continue
            keep_id, _remove_id = merge_direction(pair, _contact_points([low, high]))
            duplicate_merge(pair=pair, keep=Person.objects.get(pk=keep_id), actor=actor)
            merged += 1
    return merged


# -- reads -------------------------------------------------------------------------------------

def duplicate_pairs_visible_to(user) -> QuerySet[DuplicatePair]:
    """Pairs whose two people the account may both see."""
    scope = scope_for(user)
    pairs = DuplicatePair.objects.all()
    if scope.everything:
        return pairs
    return pairs.filter(scope.person_q("person_low")).filter(scope.person_q("person_high"))


def duplicate_pair_may_decide(user, pair: DuplicatePair) -> bool:
    """Whoever sees both records of a pair may merge them or say they are two people
    (the rule of `person_may_edit`, for two people at once; decision 0056)."""
    return duplicate_pairs_visible_to(user).filter(pk=pair.pk).exists()
