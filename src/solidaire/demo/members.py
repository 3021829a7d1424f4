"""Invented members, drawn from one seeded random generator and inserted in bulk.

A million members must load in minutes, so rows are built as plain tuples and
written a batch at a time (COPY on PostgreSQL, see `bulk.py`) instead of one
`person_create` per person. The rows written are the ones `person_create`,
`consent_record` and `committee_join` would write (person, e-mail, phone,
languages, tags, consent history, committee memberships and their ledger rows),
with dates spread over the two years before a fixed anchor so that a seed always
gives the same people.
"""

from __future__ import annotations

import bisect
import datetime
import random
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from solidaire.core.bulk import ids_reserve, rows_insert
from solidaire.core.models import Activity
from solidaire.membership import activities as membership_kinds
from solidaire.membership.models import Committee, CommitteeMembership
from solidaire.people import activities as people_kinds
from solidaire.people.models import (
    Channel,
    ConsentEvent,
    ConsentMethod,
    EmailAddress,
    Person,
    PersonStatus,
    PhoneNumber,
    SpokenLanguage,
)

from .data.people import (
    CHAPTER_WEIGHTS,
    DXT4_WORKPLACE,
    ORIGINS,
    PHONE_AREA_CODES,
    PROFILES,
    SECTOR_NAMES,
    SOURCES,
    WORKPLACES,
    Origin,
)
from .statuses import STATUS_ROW_COLUMNS, DemoStatus, StatusGenerator, status_rows
from .structure import Structure

# Generated dates end here, whatever the day the demo is loaded.
ANCHOR = datetime.datetime(2026, 11, 15, tzinfo=ZoneInfo("America/Montreal"))
SPAN = datetime.timedelta(days=730)
START = ANCHOR - SPAN
BATCH_SIZE = 5000

# Letters Canada Post uses in the last three characters of a postal code.
_POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
PERSON_CREATED = people_kinds.PERSON_CREATED.value
COMMITTEE_JOINED = membership_kinds.COMMITTEE_JOINED.value
_CONSENT_METHOD = {
    "web": ConsentMethod.WEB_FORM.value,
    "paper": ConsentMethod.PAPER.value,
    "event": ConsentMethod.PAPER.value,
    "manual": ConsentMethod.VERBAL.value,
    "import": ConsentMethod.IMPORT.value,
}
_EMAIL_PATTERNS = ("{g}.{f}", "{g}{f}", "{g}_{f}", "{i}{f}", "{g}")
_COMMITTEE_ROLES = (
    CommitteeMembership.Role.CHAIR.value,
    CommitteeMembership.Role.SECRETARY.value,
    CommitteeMembership.Role.SPOKESPERSON.value,
)
_REGIONAL_TEAMS = {
    "iwc.capitale": "iwc.team.capitale",
    "iwc.saguenay": "iwc.team.saguenay",
    "iwc.bsl": "iwc.team.bsl",
    "iwc.outaouais": "iwc.team.outaouais",
}


class Picker:
    """Weighted choice that costs one random number and a binary search."""

    def __init__(self, weighted: Iterable[tuple[object, float]]):
        items = list(weighted)
        self.values = [value for value, _weight in items]
        self.cumulative = list(accumulate(weight for _value, weight in items))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


@dataclass(slots=True)
class Draft:
    """One invented member and the rows that hang from them, before insertion."""

    created_at: datetime.datetime
    chosen_name: str
    given_name: str
    family_name: str
    preferred_language: str
    postal_code: str
    home_chapter_id: int | None
    organization_id: int
    sector: str  # a key of the sector tables; written in the local language
    workplace: str
    source: str
    source_detail: str
    consent_email: bool = False
    consent_sms: bool = False
    consent_phone: bool = False
    email: str = ""
    phone: str = ""
    other_languages: list[str] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    # (channel, granted, method, at)
    consents: list[tuple[str, bool, str, datetime.datetime]] = field(default_factory=list)
    # (committee, role, joined at)
    committees: list[tuple[Committee, str, datetime.datetime]] = field(default_factory=list)
    local_language: str = "fr"
    status: DemoStatus | None = None


class MemberGenerator:
    """Draws members one after another; the n-th member depends only on the seed and N."""

    def __init__(self, *, structure: Structure, total: int, seed: int):
        self.structure = structure
        self.total = total
        self.rng = random.Random(seed)  # noqa: S311 -- invented demo data, not secrets
        self.homes = Picker(
            ((chapter_key, profile_key), weight)
            for chapter_key, profile_key, weight in CHAPTER_WEIGHTS
        )
        self.origin_pickers = {
            key: Picker((ORIGINS[code], w) for code, w in profile.origins.items())
            for key, profile in PROFILES.items()
        }
        self.sector_pickers = {
            key: Picker(profile.sectors.items()) for key, profile in PROFILES.items()
        }
        self.source_pickers = {
            org: Picker(((source, detail), w) for source, w, detail in rows)
            for org, rows in SOURCES.items()
        }
        self.tag_counts = Picker(((0, 45), (1, 35), (2, 15), (3, 5)))
        self.phone_pools = {}
        for key, codes in PHONE_AREA_CODES.items():
            numbers = [f"+1{code}55501{n:02d}" for code in codes for n in range(100)]
            self.rng.shuffle(numbers)
            self.phone_pools[key] = numbers
        self.committee_sizes: dict[str, int] = {}
        self.statuses = StatusGenerator(seed=seed, anchor=ANCHOR.date())
        self._ascii: dict[str, str] = {}

    def drafts(self, start: int, count: int) -> list[Draft]:
        return [self._draft(index) for index in range(start, start + count)]

    def _draft(self, index: int) -> Draft:
        rng = self.rng
        chapter_key, profile_key = self.homes(rng)
        org_key = chapter_key.split(".")[0] if chapter_key else "iwc"
        if chapter_key and "." not in chapter_key:
            chapter_key = None  # an organization's list, no chapter (the coalition's)
        profile = PROFILES[profile_key]
        origin: Origin = self.origin_pickers[profile_key](rng)
        given, family = rng.choice(origin.given), rng.choice(origin.family)
        full_name = rng.random() < 0.9
        named = full_name and rng.random() < 0.5
        preferred, others = self._languages(rng, origin, profile.local_language)
        created_at = START + SPAN * (((index + rng.random()) / self.total) ** 0.75)

        sector = workplace = ""
        if chapter_key == "ao.dxt4":
            sector, workplace = "warehousing", DXT4_WORKPLACE
        elif rng.random() < 0.92:
            sector = self.sector_pickers[profile_key](rng)
            if rng.random() < 0.75:
                template = rng.choice(WORKPLACES[profile.local_language][sector])
                workplace = template.format(rng.choice(profile.places))
        postal_code = ""
        if rng.random() < 0.5:
            postal_code = (
                f"{rng.choice(profile.postal_prefixes)} {rng.randrange(10)}"
                f"{rng.choice(_POSTAL_LETTERS)}{rng.randrange(10)}"
            )
        source, source_detail = self.source_pickers[org_key](rng)
        chapter = self.structure.chapters[chapter_key] if chapter_key else None

        draft = Draft(
            created_at=created_at,
            chosen_name=f"{given} {family}" if full_name else given,
            given_name=given if named else "",
            family_name=family if named else "",
            preferred_language=preferred,
            postal_code=postal_code,
            home_chapter_id=chapter.pk if chapter else None,
            organization_id=self.structure.organizations[org_key].pk,
            sector=sector,
            workplace=workplace,
            source=source,
            source_detail=source_detail,
        )
        draft.other_languages = others
        draft.local_language = profile.local_language
        if rng.random() < 0.88:
            draft.email = self._email(rng, given, family, index)
        pool = self.phone_pools[profile.phone_pool]
        if pool and rng.random() < 0.55:
            draft.phone = pool.pop()
        tags = self.structure.tags[org_key]
        draft.tag_ids = [tag.pk for tag in rng.sample(tags, self.tag_counts(rng))]
        self._consent(rng, draft, source)
        self._committees(rng, draft, org_key, chapter_key)
        draft.status = self.statuses.draw(
            students=org_key == "msu", in_quebec=profile.local_language == "fr",
            language=preferred,
        )
        return draft

    def _languages(self, rng, origin: Origin, local: str) -> tuple[str, list[str]]:
        own_w, fr_w, en_w = origin.language_weights
        in_quebec = local == "fr"
        if not in_quebec:  # in Ontario, English takes the place French has in Québec
            fr_w, en_w = fr_w * 0.05, en_w + fr_w * 0.95
        draw = rng.random() * (own_w + fr_w + en_w)
        if draw < own_w:
            preferred = origin.language
        elif draw < own_w + fr_w:
            preferred = "fr"
        else:
            preferred = "en"
        others = []
        # Ordered lists, not sets: set order changes between processes.
        for code, chance in (
            (origin.language, 0.95),
            ("fr", 0.6 if in_quebec else 0.05),
            ("en", 0.4 if in_quebec else 0.7),
        ):
            if code != preferred and code not in others and rng.random() < chance:
                others.append(code)
        return preferred, others

    def _email(self, rng, given: str, family: str, index: int) -> str:
        g, f = self._plain(given), self._plain(family)
        local = rng.choice(_EMAIL_PATTERNS).format(g=g, f=f, i=g[:1])
        return f"{local}{index + 1}@example.org"

    def _plain(self, name: str) -> str:
        plain = self._ascii.get(name)
        if plain is None:
            decomposed = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
            plain = "".join(ch for ch in decomposed.lower() if ch.isalnum())
            self._ascii[name] = plain
        return plain

    def _later(self, rng, after: datetime.datetime) -> datetime.datetime:
        return after + (ANCHOR - after) * rng.random()

    def _consent(self, rng, draft: Draft, source: str) -> None:
        method = _CONSENT_METHOD[source]
        at = draft.created_at
        if draft.email and rng.random() < (0.9 if source == "web" else 0.7):
            draft.consents.append((Channel.EMAIL.value, True, method, at))
            draft.consent_email = True
            if rng.random() < 0.04:
                withdrawn_at = self._later(rng, at)
                draft.consents.append(
                    (Channel.EMAIL.value, False, ConsentMethod.EMAIL_LINK.value, withdrawn_at),
                )
                draft.consent_email = False
        if draft.phone:
            if rng.random() < 0.5:
                draft.consents.append((Channel.SMS.value, True, method, at))
                draft.consent_sms = True
            if rng.random() < 0.4:
                draft.consents.append((Channel.PHONE.value, True, method, at))
                draft.consent_phone = True

    def _committees(self, rng, draft: Draft, org_key: str, chapter_key: str | None) -> None:
        sector, workplace = draft.sector, draft.workplace
        chances: list[tuple[str, float]] = []
        if org_key == "iwc":
            chances.append(("iwc.women", 0.04))
            if "agence" in workplace:
                chances.append(("iwc.agencies", 0.15))
            elif sector in ("warehousing", "manufacturing", "cleaning"):
                chances.append(("iwc.agencies", 0.03))
            if chapter_key == "iwc.montreal" and sector == "warehousing":
                chances.append(("iwc.warehouse", 0.2))
            if chapter_key in _REGIONAL_TEAMS:
                chances.append((_REGIONAL_TEAMS[chapter_key], 0.06))
        elif org_key == "msu":
            chances.append(("msu.chapter_building", 0.03))
        elif org_key == "ao":
            if sector in ("health care", "education"):
                chances.append(("ao.public_sector", 0.35))
            if chapter_key == "ao.dxt4":
                chances.append(("ao.dxt4_committee", 0.15))
        for committee_key, chance in chances:
            if rng.random() < chance:
                size = self.committee_sizes.get(committee_key, 0)
                self.committee_sizes[committee_key] = size + 1
                role = (_COMMITTEE_ROLES[size] if size < len(_COMMITTEE_ROLES)
                        else CommitteeMembership.Role.MEMBER.value)
                draft.committees.append((
                    self.structure.committees[committee_key], role,
                    self._later(rng, draft.created_at),
                ))


def members_insert(
    *,
    structure: Structure,
    people: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Generate and insert `people` members, BATCH_SIZE at a time."""
    if people <= 0:
        return
    generator = MemberGenerator(structure=structure, total=people, seed=seed)
    person_type = ContentType.objects.get_for_model(Person)
    committee_type = ContentType.objects.get_for_model(Committee)
    for start in range(0, people, BATCH_SIZE):
        drafts = generator.drafts(start, min(BATCH_SIZE, people - start))
        _drafts_insert(drafts, person_type.pk, committee_type.pk)
        if progress is not None:
            progress(start + len(drafts), people)


_PERSON_COLUMNS = (
    "id", "created_at", "updated_at", "chosen_name", "given_name", "family_name",
    "preferred_language", "postal_code", "home_chapter_id", "sector", "workplace", "source",
    "source_detail", "consent_email", "consent_sms", "consent_phone", "organization_id",
)


def _drafts_insert(drafts: Sequence[Draft], person_type_id: int, committee_type_id: int):
    """Write a batch: the people first (with reserved ids), then what hangs from them."""
    ids = ids_reserve(Person, len(drafts))
    people, emails, phones, languages, tags, consents, memberships, activities, statuses = (
        [] for _ in range(9)
    )
    for person_id, d in zip(ids, drafts, strict=True):
        created_at = d.created_at
        people.append((
            person_id, created_at, created_at, d.chosen_name, d.given_name, d.family_name,
            d.preferred_language, d.postal_code, d.home_chapter_id,
            SECTOR_NAMES[d.local_language].get(d.sector, d.sector), d.workplace,
            d.source, d.source_detail, d.consent_email, d.consent_sms, d.consent_phone,
            d.organization_id,
        ))
        if d.email:
            emails.append((person_id, d.email, True, created_at, d.organization_id))
        if d.phone:
            phones.append((person_id, d.phone, PhoneNumber.Kind.MOBILE.value, True, created_at))
        languages.extend((person_id, code) for code in d.other_languages)
        tags.extend((person_id, tag_id) for tag_id in d.tag_ids)
        consents.extend(
            (person_id, channel, granted, method, d.source_detail, at)
            for channel, granted, method, at in d.consents
        )
        activities.append((person_id, PERSON_CREATED, person_type_id, person_id,
                           d.home_chapter_id, created_at))
        if d.status is not None:
            statuses.append((person_id, d.status))
        for committee, role, joined_at in d.committees:
            memberships.append((committee.pk, person_id, role, joined_at))
            activities.append((person_id, COMMITTEE_JOINED, committee_type_id, committee.pk,
                               committee.chapter_id, joined_at))
    rows_insert(Person, _PERSON_COLUMNS, people)
    rows_insert(EmailAddress, ("person_id", "address", "is_primary", "added_at",
                               "organization_id"), emails)
    rows_insert(PhoneNumber, ("person_id", "number", "kind", "is_primary", "added_at"), phones)
    rows_insert(SpokenLanguage, ("person_id", "code"), languages)
    rows_insert(Person.tags.through, ("person_id", "tag_id"), tags)
    rows_insert(ConsentEvent, ("person_id", "channel", "granted", "method", "source", "at"),
                consents)
    rows_insert(CommitteeMembership, ("committee_id", "person_id", "role", "joined_at"),
                memberships)
    rows_insert(Activity, ("person_id", "kind", "object_type_id", "object_id", "chapter_id",
                           "occurred_at"), activities)
    # Sealed with the keyring, bound to each person's id, like status_set does.
    created = dict(zip(ids, (d.created_at for d in drafts), strict=True))
    rows_insert(PersonStatus, STATUS_ROW_COLUMNS,
                status_rows(statuses, updated_at_of=created.__getitem__))
