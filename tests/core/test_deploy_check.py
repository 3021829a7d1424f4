"""`solidaire check --deploy --fail-level WARNING` passes with the production settings.

Run in a subprocess, like tests/core/test_settings.py: production settings read their
secrets from the environment at import time.
"""

import base64
import json
import os
import secrets
import subprocess
import sys


def field_keys() -> str:
    """A keyring in the format of solidaire.core.keys (production needs one to start)."""
    return json.dumps({"version": 1, "shredded": [], "keys": [{
        "id": "status-deploycheck", "purpose": "status", "primary": True,
        "key": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
        "created": "2026-11-21T00:00:00+00:00",
    }]})


def production_environment(**overrides) -> dict[str, str]:
    # Nothing from the test run: no SOLIDAIRE_* values, and not the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE (which the deploy check rightly refuses).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SOLIDAIRE_", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "solidaire.settings.production",
        "SOLIDAIRE_SECRET_KEY": secrets.token_urlsafe(50),
        "SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org",
        "SOLIDAIRE_CACHE_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": "postgres://solidaire@db.example.org:5432/solidaire",
        "SOLIDAIRE_FIELD_KEYS": field_keys(),
        **overrides,
    })
    return env


def run_check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "solidaire", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_deploy_check_passes_with_production_settings():
    result = run_check(production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_would_catch_a_weakened_setting():
    """The check really runs on these settings: switching HTTPS redirects off fails it."""
    result = run_check(production_environment(SOLIDAIRE_SSL_REDIRECT="false"))
    assert result.returncode != 0
    assert "security.W008" in result.stderr
