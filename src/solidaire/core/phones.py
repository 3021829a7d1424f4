"""Phone numbers in E.164, for every app: `organizing` (a chapter's or an
organization's phone) sits below `people` and normalizes phones too (decision 0055)."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "CA"


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """E.164 (+15145550123); raises ValidationError for anything that cannot be a phone."""
    raw = (value or "").strip()
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone",
            params={"value": raw},
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number. Include the area code."),
            code="invalid_phone", params={"value": raw},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
