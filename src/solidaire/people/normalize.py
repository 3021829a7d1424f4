"""Normalization of contact points, shared by forms, services and (later) imports."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# Phones are normalized in core, for organizing below people too (decision 0055).
from solidaire.core.phones import DEFAULT_REGION, normalize_phone  # noqa: F401

_POSTAL_CA = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s*(\d[ABCEGHJ-NPRSTV-Z]\d)$")


def normalize_email(value: str) -> str:
    """Trimmed and lower-cased; raises ValidationError when it is not an address."""
    email = (value or "").strip().lower()
    validate_email(email)
    return email


def phone_search_key(value: str) -> str | None:
    """The E.164 form of something typed in a search box, or None if it is not a phone."""
    if sum(ch.isdigit() for ch in value) < 7:
        return None
    try:
        return normalize_phone(value)
    except ValidationError:
        return None


def format_phone(e164: str) -> str:
    """A number for people to read: national format at home, international otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(parsed) in ("CA", "US"):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_postal_code(value: str) -> str:
    """Canadian postal codes as "H2X 1Y4"; raises ValidationError for a malformed one."""
    raw = (value or "").strip().upper()
    if not raw:
        return ""
    match = _POSTAL_CA.match(raw)
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a Canadian postal code (for example H2X 1Y4)."),
            code="invalid_postal_code", params={"value": value.strip()},
        )
    return f"{match.group(1)} {match.group(2)}"
