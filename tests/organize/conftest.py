"""Helpers for the organizer pages: a logged-in client and language-prefixed URLs."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape


def url(name: str, *args, lang: str = "en", **kwargs) -> str:
    with translation.override(lang):
        return reverse(f"organize:{name}", args=args or None, kwargs=kwargs or None)


def translated(lang: str, msgid: str, **params) -> str:
    """A message as a page in `lang` shows it (HTML-escaped), whatever its translation."""
    with translation.override(lang):
        text = translation.gettext(msgid)
    return escape(text % params if params else text)


@pytest.fixture
def as_user(client):
    """`as_user(user)` returns the test client logged in as that account."""

    def login(user):
        client.force_login(user)
        return client

    return login
