"""Fixtures of the messaging tests."""

import pytest


@pytest.fixture
def own_keys(settings, tmp_path, monkeypatch):
    """Field keys of the test's own, created on first use (permit windows decrypt)."""
    monkeypatch.delenv("SOLIDAIRE_FIELD_KEYS", raising=False)
    settings.FIELD_KEYS_FILE = tmp_path / "keys" / "keys.json"
    settings.FIELD_KEYS_CREATE = True
