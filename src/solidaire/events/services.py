"""Writes about events: registering, cancelling, the waiting list, attendance (contract).

Every function here is the only write path for what it does. See decision 0023.
"""

from __future__ import annotations

from dataclasses import dataclass

from solidaire.people.models import Person

from .models import Event, Registration

# Outcomes of registration_create
CONFIRMED = "confirmed"      # a seat is theirs
WAITLISTED = "waitlisted"    # full: on the waiting list
AWAITING = "awaiting"        # members-only event, person not known: an organizer decides
FULL = "full"                # full and no waiting list: nothing stored
CLOSED = "closed"            # registration closed, event cancelled or over: nothing stored
ALREADY = "already"          # this person is already registered (or waitlisted/awaiting)
REPLAY = "replay"            # the same form key was posted before


@dataclass(frozen=True)
class RegistrationResult:
    outcome: str
    registration: Registration | None
    person: Person | None


def registration_create(*, event: Event, chosen_name: str, email: str = "", phone: str = "",
                        language: str, postal_code: str = "", consent_email: bool = False,
                        consent_sms: bool = False, token: str | None = None,
                        source: str = Registration.Source.ONLINE, actor=None,
                        notify: bool = True) -> RegistrationResult:
    raise NotImplementedError


def registration_cancel(*, registration: Registration, actor=None) -> list[Registration]:
    """Cancel; returns the registrations promoted from the waiting list to the freed seat."""
    raise NotImplementedError


def waitlist_promote(*, event: Event) -> list[Registration]:
    raise NotImplementedError


def event_capacity_set(*, event: Event, capacity: int | None) -> list[Registration]:
    raise NotImplementedError


def registration_decide(*, registration: Registration, approve: bool, actor) -> Registration:
    raise NotImplementedError


def attendance_mark(*, registration: Registration, source: str, actor=None, at=None,
                    minutes_online: int | None = None) -> bool:
    raise NotImplementedError


def attendance_unmark(*, registration: Registration, actor=None) -> bool:
    raise NotImplementedError


def walk_in_add(*, event: Event, chosen_name: str, language: str, phone: str = "",
                email: str = "", postal_code: str = "", consent_email: bool = False,
                consent_sms: bool = False, actor=None, token: str | None = None,
                source: str = Registration.Source.WALK_IN,
                sheet_number: str = "") -> RegistrationResult:
    raise NotImplementedError
