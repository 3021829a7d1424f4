"""Invented immigration statuses for demo members, sealed like `status_set` seals them.

Drawn from a random generator of their own (seeded from the demo seed), so adding
statuses changes none of the other invented values. Shares and weights are rough
figures for the members of a workers' centre and of a student network; expiry months
spread over the 24 months after the demo's anchor date.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from solidaire.core.keys import keyring_load
from solidaire.people.models import StatusCategory as C
from solidaire.people.models import StatusFlag as F
from solidaire.people.services import status_seal_values

# The share of members whose organizers recorded a status.
RECORDED_SHARE = 0.45
EXPIRY_RECORDED = 0.9

WORKERS = (
    (C.CLOSED_WORK_PERMIT, 18), (C.OPEN_WORK_PERMIT, 12), (C.PGWP, 6), (C.STUDY_PERMIT, 4),
    (C.SAWP, 8), (C.TFWP, 10), (C.CAREGIVER, 7), (C.ASYLUM_CLAIMANT, 8), (C.REFUGEE, 4),
    (C.NO_STATUS, 6), (C.PERMANENT_RESIDENT, 8), (C.CITIZEN, 3), (C.OTHER, 1),
    (C.PREFER_NOT_TO_SAY, 5),
)
STUDENTS = (
    (C.STUDY_PERMIT, 45), (C.PGWP, 25), (C.OPEN_WORK_PERMIT, 8), (C.PERMANENT_RESIDENT, 6),
    (C.CITIZEN, 3), (C.ASYLUM_CLAIMANT, 3), (C.NO_STATUS, 2), (C.OTHER, 1),
    (C.PREFER_NOT_TO_SAY, 5),
)
# Categories that come with a permit that ends.
WITH_EXPIRY = {C.CLOSED_WORK_PERMIT, C.OPEN_WORK_PERMIT, C.PGWP, C.STUDY_PERMIT, C.SAWP,
               C.TFWP, C.CAREGIVER}
NOTES = {
    "fr": ("Préfère être contacté·e par WhatsApp.", "Intéressé·e par le comité des agences.",
           "A peur de représailles de l'employeur.", "Veut aider aux séances d'information."),
    "en": ("Prefers WhatsApp.", "Interested in the agency workers' committee.",
           "Afraid of retaliation from the employer.", "Wants to help at info sessions."),
}


@dataclass(frozen=True, slots=True)
class DemoStatus:
    category: str
    expiry_month: datetime.date | None
    flags: tuple[str, ...]
    note: str


class StatusGenerator:
    def __init__(self, *, seed: int, anchor: datetime.date):
        self.rng = random.Random(f"status-{seed}")  # noqa: S311 -- invented demo data
        self.anchor = anchor

    def draw(self, *, students: bool, in_quebec: bool, language: str) -> DemoStatus | None:
        rng = self.rng
        if rng.random() >= RECORDED_SHARE:
            return None
        table = STUDENTS if students else WORKERS
        category = rng.choices([c for c, _w in table], [w for _c, w in table])[0]
        expiry = None
        if category in WITH_EXPIRY and rng.random() < EXPIRY_RECORDED:
            months = self.anchor.year * 12 + self.anchor.month + rng.randrange(1, 25) - 1
            expiry = datetime.date(months // 12, months % 12 + 1, 1)
        flags = []
        if in_quebec and category in (C.CLOSED_WORK_PERMIT, C.OPEN_WORK_PERMIT, C.PGWP,
                                      C.STUDY_PERMIT) and rng.random() < 0.15:
            flags.append(F.PEQ_APPLICANT)
        if category == C.CAREGIVER and rng.random() < 0.4:
            flags.append(F.CAREGIVER_PILOT)
        if category == C.NO_STATUS and rng.random() < 0.3:
            flags.append(F.REGULARIZATION)
        if expiry and (expiry - self.anchor).days < 100 and rng.random() < 0.3:
            flags.append(F.RENEWAL_PENDING)
        if category not in (C.PERMANENT_RESIDENT, C.CITIZEN) and rng.random() < 0.06:
            flags.append(F.PR_APPLIED)
        note = ""
        if rng.random() < 0.1:
            note = rng.choice(NOTES["fr" if language == "fr" else "en"])
        return DemoStatus(str(category), expiry, tuple(str(f) for f in flags), note)


def status_rows(pairs, *, updated_at_of) -> list[tuple]:
    """Rows of PersonStatus (see STATUS_ROW_COLUMNS) for (person id, DemoStatus) pairs."""
    keyring = keyring_load()
    rows = []
    for person_id, status in pairs:
        sealed = status_seal_values(
            person_id=person_id, category=status.category, expiry_month=status.expiry_month,
            flags=status.flags, note=status.note, keyring=keyring,
        )
        rows.append((person_id, sealed["sealed_category"], sealed["sealed_expiry_month"],
                     sealed["sealed_flags"], sealed["sealed_note"], updated_at_of(person_id)))
    return rows


STATUS_ROW_COLUMNS = ("person_id", "sealed_category", "sealed_expiry_month", "sealed_flags",
                      "sealed_note", "updated_at")
