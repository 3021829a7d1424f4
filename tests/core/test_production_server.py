"""The production server starts as the README says (deploy/serve with production settings)
from a fresh clone's state, with nothing collected yet, and serves pages and their CSS.

Real processes, like tests/core/test_deploy_check.py: production settings read their
secrets from the environment at import time.
"""

import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_deploy_check import field_keys, production_environment
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
# Redis database of its own, so that no other test's cache is touched.
CACHE_URL = "redis://127.0.0.1:6379/14"


# The tables straight from the models, as pytest-django does without migrations: the
# migrations are run by every other test's database; here they would take most of the
# time budget (30 s on a busy machine) and prove nothing about starting the server.
SCHEMA = """
import django
from django.conf import settings
django.setup()
from django.apps import apps
from django.core.management import call_command
settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
call_command("migrate", run_syncdb=True, verbosity=0)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET on loopback; an error status too."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def answers(url: str) -> bool:
    try:
        get(url)
    except OSError:
        return False
    return True


@pytest.fixture
def operator_environment(tmp_path):
    """What an operator sets, on loopback: a keys file, a fresh SQLite database, an empty
    var directory (no static files collected yet)."""
    if shutil.which("redis-cli") and subprocess.run(
            ["redis-cli", "-u", CACHE_URL, "PING"], capture_output=True).returncode != 0:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    keys = tmp_path / "keys.json"
    keys.write_text(field_keys())
    keys.chmod(0o600)
    env = production_environment(
        SOLIDAIRE_FIELD_KEYS=None, SOLIDAIRE_FIELD_KEYS_FILE=str(keys),
        SOLIDAIRE_ALLOWED_HOSTS="127.0.0.1", SOLIDAIRE_CACHE_URL=CACHE_URL,
        SOLIDAIRE_SITE_URL="http://127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'solidaire.sqlite3'}",
        SOLIDAIRE_VAR_DIR=str(tmp_path / "var"), SOLIDAIRE_PORT=str(free_port()),
        # Plain HTTP on loopback: no HTTPS redirect, as behind a proxy that terminates TLS.
        SOLIDAIRE_SSL_REDIRECT="false", SOLIDAIRE_WORKERS="1", SOLIDAIRE_THREADS="2",
        SOLIDAIRE_VENV=str(Path(sys.executable).parent.parent),
    )
    return env


def test_deploy_serve_from_a_fresh_clone_serves_pages_and_their_css(operator_environment, tmp_path):
    env = operator_environment
    assert not (tmp_path / "var" / "static").exists()
    base = f"http://127.0.0.1:{env['SOLIDAIRE_PORT']}"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(ROOT / "deploy" / "serve")], env=env, cwd=ROOT,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        # While it collects the static files (no page is asked for before the tables exist).
        subprocess.run([sys.executable, "-c", SCHEMA], env=env, check=True, timeout=120)
        wait_until(lambda: answers(f"{base}/fr/") or server.poll() is not None, timeout=90,
                   message=lambda: f"the server at {base}\n{log.read_text()}")
        assert server.poll() is None, log.read_text()

        status, _type, home = get(f"{base}/fr/")
        assert status == 200, log.read_text()
        assert '<html lang="fr"' in home
        status, _type, login = get(f"{base}/en/organize/login/")
        assert status == 200, log.read_text()

        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', home + login)
        assert stylesheets
        for href in set(stylesheets):
            # The hashed name, so that a new version is never taken from a stale cache.
            assert re.search(r"\.[0-9a-f]{12}\.css$", href), href
            status, content_type, css = get(f"{base}{href}")
            assert status == 200 and content_type.startswith("text/css"), href
            assert css.strip()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_deploy_serve_missing_a_required_setting_stops_and_names_it(operator_environment):
    """It stops before listening, with the setting's name, rather than answer 500."""
    env = {k: v for k, v in operator_environment.items() if k != "SOLIDAIRE_CACHE_URL"}
    result = subprocess.run([str(ROOT / "deploy" / "serve")], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SOLIDAIRE_CACHE_URL must be set" in result.stderr
    assert not answers(f"http://127.0.0.1:{env['SOLIDAIRE_PORT']}/fr/")


def test_the_web_application_refuses_to_load_before_the_static_files_are_collected(
        operator_environment):
    """Started another way than deploy/serve, with nothing collected: the web processes
    stop at once and say what to run, rather than answer 500 on every page."""
    result = subprocess.run([sys.executable, "-c", "import solidaire.wsgi"],
                            env=operator_environment, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "run `solidaire collectstatic --noinput` first" in result.stderr
