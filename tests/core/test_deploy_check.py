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

import pytest


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
        "SOLIDAIRE_SITE_URL": "https://solidaire.example.org",
        "SOLIDAIRE_CACHE_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": "postgres://solidaire@db.example.org:5432/solidaire",
        "SOLIDAIRE_FIELD_KEYS": field_keys(),
        # deploy/serve on 127.0.0.1 (its default) behind a proxy on the same machine:
        # the set-up docs/deploy-proxy.md describes first.
        "SOLIDAIRE_TRUSTED_PROXIES": "1",
        **overrides,
    })
    return {k: v for k, v in env.items() if v is not None}


EVERY_INTERFACE = "0.0.0.0"  # noqa: S104 (what deploy/serve is told to listen on)


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


def test_served_directly_over_tls_with_no_proxy_trusted_the_check_passes():
    result = run_check(production_environment(
        SOLIDAIRE_TRUSTED_PROXIES=None, SOLIDAIRE_HOST=EVERY_INTERFACE,
        SOLIDAIRE_TLS_CERTIFICATE="/etc/solidaire/cert.pem",
        SOLIDAIRE_TLS_KEY="/etc/solidaire/key.pem"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_proxy_on_another_machine_named_by_address_passes():
    result = run_check(production_environment(
        SOLIDAIRE_TRUSTED_PROXIES=None, SOLIDAIRE_HOST=EVERY_INTERFACE,
        SOLIDAIRE_TRUSTED_PROXY_ADDRESSES="10.0.0.2"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("overrides, warning", [
    # A proxy is trusted, but deploy/serve speaks TLS itself: clients connect directly.
    ({"SOLIDAIRE_HOST": EVERY_INTERFACE, "SOLIDAIRE_TLS_CERTIFICATE": "/etc/solidaire/cert.pem",
      "SOLIDAIRE_TLS_KEY": "/etc/solidaire/key.pem"}, "solidaire.W001"),
    # A proxy count, and a port open on every interface: a client can go around the proxy.
    ({"SOLIDAIRE_HOST": EVERY_INTERFACE}, "solidaire.W002"),
    # Plain HTTP on this machine's loopback, so a proxy is in front, but none is trusted.
    ({"SOLIDAIRE_TRUSTED_PROXIES": None}, "solidaire.W003"),
])
def test_the_check_warns_when_the_proxy_setting_and_deploy_serve_disagree(overrides, warning):
    result = run_check(production_environment(**overrides))
    assert result.returncode != 0
    assert warning in result.stderr
    assert "docs/deploy-proxy.md" in result.stderr


@pytest.mark.parametrize("site_url, warning", [
    ("http://solidaire.example.org", "solidaire.W004"),
    ("https://elsewhere.example.net", "solidaire.W005"),
])
def test_the_check_flags_a_site_address_not_https_or_not_an_allowed_host(site_url, warning):
    result = run_check(production_environment(SOLIDAIRE_SITE_URL=site_url))
    assert result.returncode != 0
    assert warning in result.stderr


def test_the_check_flags_a_missing_site_address():
    # Production refuses to start without one; other settings fall back to the
    # development address, which the check must not let through.
    env = production_environment()
    env["DJANGO_SETTINGS_MODULE"] = "solidaire.settings.dev"
    del env["SOLIDAIRE_SITE_URL"]
    result = run_check(env)
    assert "solidaire.W004" in result.stderr
