"""Audiences: a definition (JSON) compiled to one database query over people and the
activity ledger (contract; filled in by the audiences work).

Definition keys (all optional; an empty definition is everyone in scope):
- "chapters": [chapter ids] (each with the chapters below it)
- "languages": [codes] (preferred or spoken)
- "tags": [tag ids]
- "committees": [committee ids]
- "consent": ["email", "sms", "phone"] channels that must be consented
- "did": [{"kind": ActivityKind value or "", "campaign": id or null,
           "object_type": "app_label.model" or "", "object_id": id or null,
           "since": "YYYY-MM-DD" or "", "until": "YYYY-MM-DD" or ""}]   (all must hold)
- "did_not": [same shape]                                              (none may hold)
- "actions": {"min": int or null, "max": int or null, "since": date, "until": date}
   (number of ACTION_KINDS ledger rows in the period)
- "last_activity": {"after": date or "", "before": date or ""}
- "permit_expiry": {"from": "YYYY-MM", "to": "YYYY-MM"}  (only for status-access accounts;
   ignored otherwise)
"""

from __future__ import annotations

from django.db.models import QuerySet

from solidaire.people.models import Person


def audience_people(definition: dict, user) -> QuerySet[Person]:
    """The people matching `definition`, within what `user` may see."""
    raise NotImplementedError


def audience_count(definition: dict, user) -> int:
    raise NotImplementedError
