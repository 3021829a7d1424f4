"""Production settings refuse to start without their secrets and allowed hosts."""

import os
import subprocess
import sys

CHECK = "import django; django.setup(); print('started')"


def run_with(env_overrides, code=CHECK):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLIDAIRE_")}
    env.update({"DJANGO_SETTINGS_MODULE": "solidaire.settings.production", **env_overrides})
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with({"SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org"})
    assert result.returncode != 0
    assert "SOLIDAIRE_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_with({"SOLIDAIRE_SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "SOLIDAIRE_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_a_development_secret():
    result = run_with({"SOLIDAIRE_SECRET_KEY": "dev-only-not-secret",
                       "SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org"})
    assert result.returncode != 0


def test_production_starts_with_its_secrets():
    result = run_with({"SOLIDAIRE_SECRET_KEY": "k" * 50,
                       "SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org",
                       "SOLIDAIRE_SITE_URL": "https://solidaire.example.org",
                       "SOLIDAIRE_CACHE_URL": "redis://127.0.0.1:6379/0",
                       "SOLIDAIRE_FIELD_KEYS_FILE": "/run/secrets/solidaire-keys.json"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_refuses_to_start_without_a_shared_cache():
    # The public forms' rate limit must count across every server process.
    result = run_with({"SOLIDAIRE_SECRET_KEY": "k" * 50,
                       "SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org",
                       "SOLIDAIRE_SITE_URL": "https://solidaire.example.org",
                       "SOLIDAIRE_FIELD_KEYS_FILE": "/run/secrets/solidaire-keys.json"})
    assert result.returncode != 0
    assert "SOLIDAIRE_CACHE_URL" in result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    # Links in e-mails written by background jobs have no request to take a host from.
    result = run_with({"SOLIDAIRE_SECRET_KEY": "k" * 50,
                       "SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org",
                       "SOLIDAIRE_CACHE_URL": "redis://127.0.0.1:6379/0",
                       "SOLIDAIRE_FIELD_KEYS_FILE": "/run/secrets/solidaire-keys.json"})
    assert result.returncode != 0
    assert "SOLIDAIRE_SITE_URL" in result.stderr
