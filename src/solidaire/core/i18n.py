"""Helpers for content that organizers write in several languages.

Such content is stored as a JSON object keyed by language code
({"fr": "...", "en": "..."}) and shown in the reader's language, falling back
to the site language, then to any language that has text.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def localized(value: dict | str | None, language: str | None = None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE, "en", "fr"):
        text = value.get(code)
        if text:
            return text
    return next((text for text in value.values() if text), "")


def content_language_name(code: str) -> str:
    return str(dict(settings.CONTENT_LANGUAGES).get(code, code))
