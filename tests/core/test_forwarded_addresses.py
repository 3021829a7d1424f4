"""Which address the lockout and the public-form rate limit count: a client's own
X-Forwarded-For never decides it unless the operator said a proxy of ours writes it.

Driven over HTTP with the test client (real views, middleware, axes and the rate
limit). The attack: rotate X-Forwarded-For on every request to look like a new visitor.
"By default" is what the production settings trust when no proxy variable is set, read
from them in a subprocess (they need their secrets from the environment).
"""

import itertools
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from solidaire.core.models import AuditEntry
from solidaire.petitions.models import Signature

from tests.core.test_settings import run_with
from tests.factories import PetitionFactory
from tests.organize.conftest import url

PASSWORD = "correct horse battery"
KEY = re.compile(r'name="key" value="([^"]+)"')
ROTATING = (f"198.51.100.{n}" for n in itertools.count(1))


SHOW_PROXY_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SOLIDAIRE_TRUSTED_PROXIES, s.SOLIDAIRE_TRUSTED_PROXY_ADDRESSES, "
    "s.SECURE_PROXY_SSL_HEADER)")


def production_env(tmp_path, **variables) -> dict[str, str]:
    return {"SOLIDAIRE_SECRET_KEY": "k" * 50,
            "SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org",
            "SOLIDAIRE_SITE_URL": "https://solidaire.example.org",
            "SOLIDAIRE_CACHE_URL": "redis://127.0.0.1:6379/0",
            "SOLIDAIRE_FIELD_KEYS_FILE": "/run/secrets/solidaire-keys.json",
            "SOLIDAIRE_VAR_DIR": str(tmp_path), **variables}


@pytest.fixture(scope="module")
def production_default(tmp_path_factory):
    """What the production settings trust when the operator set no proxy variable."""
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SOLIDAIRE_TRUSTED_PROXIES); "
            "print(*getattr(s, 'SOLIDAIRE_TRUSTED_PROXY_ADDRESSES', ()))")
    result = run_with(production_env(tmp_path_factory.mktemp("var")), code)
    count, addresses = result.stdout.splitlines()
    return int(count), tuple(addresses.split())


@pytest.fixture
def as_in_production(settings, production_default):
    settings.SOLIDAIRE_TRUSTED_PROXIES, settings.SOLIDAIRE_TRUSTED_PROXY_ADDRESSES = (
        production_default)


def wrong_then_right(client, attempts: int = 12, forwarded=None):
    """`attempts` wrong passwords, each with a new made-up forwarded address, then the
    right one: the answer to the right one."""
    for _attempt in range(attempts):
        client.post(url("login"), {"username": "montreal", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=forwarded() if forwarded else next(ROTATING))
    return client.post(url("login"), {"username": "montreal", "password": PASSWORD},
                       HTTP_X_FORWARDED_FOR=forwarded() if forwarded else next(ROTATING))


@pytest.fixture
def petition(db):
    return PetitionFactory(slug="health-care")


def sign(client, petition, n: int, forwarded: str):
    page = client.get(f"/en/petitions/{petition.slug}/")
    data = {"name": f"Signer {n}", "email": f"signer{n}@example.org", "phone": "",
            "postal_code": "H2X 1Y4", "city": "Montréal", "language": "en", "comment": "",
            "key": KEY.search(page.content.decode()).group(1)}
    return client.post(f"/en/petitions/{petition.slug}/", data,
                       HTTP_X_FORWARDED_FOR=forwarded)


def test_by_default_a_rotating_forwarded_header_does_not_dodge_the_login_lockout(
        world, as_in_production):
    client = Client(REMOTE_ADDR="203.0.113.50")
    response = wrong_then_right(client)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_by_default_a_rotating_forwarded_header_does_not_dodge_the_form_rate_limit(
        petition, settings, as_in_production):
    assert settings.PUBLIC_FORM_RATE == "30/m"  # the shipped limit, not a test's
    client = Client(REMOTE_ADDR="203.0.113.51")
    answers = [sign(client, petition, n, next(ROTATING)).status_code for n in range(40)]
    assert answers[:30] == [303] * 30
    assert answers[30:] == [429] * 10
    assert Signature.objects.count() == 30
    # Another visitor is not held back by the first one's posts.
    assert sign(Client(REMOTE_ADDR="203.0.113.52"), petition, 99, "").status_code == 303


def test_by_default_the_audit_trail_names_the_connecting_address(world, as_in_production):
    client = Client(REMOTE_ADDR="203.0.113.53")
    client.post(url("login"), {"username": "montreal", "password": PASSWORD},
                HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert AuditEntry.objects.get(action="solidaire.auth.login").data == {"ip": "203.0.113.53"}


def test_behind_one_proxy_the_address_it_appended_is_counted(world, settings):
    settings.SOLIDAIRE_TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.254")
    # The client writes a new address each time; the proxy appends the real one.
    response = wrong_then_right(proxy, forwarded=lambda: f"{next(ROTATING)}, 203.0.113.7")
    assert response.status_code == 429
    # Another visitor behind the same proxy logs in.
    other = Client(REMOTE_ADDR="10.0.0.254")
    assert other.post(url("login"), {"username": "montreal", "password": PASSWORD},
                      HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_behind_one_proxy_the_rate_limit_counts_each_visitor_apart(petition, settings):
    settings.SOLIDAIRE_TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.254")
    answers = [sign(proxy, petition, n, f"{next(ROTATING)}, 203.0.113.7").status_code
               for n in range(31)]
    assert answers[-1] == 429 and answers[:30] == [303] * 30
    assert sign(proxy, petition, 99, "203.0.113.8").status_code == 303


def test_with_proxy_addresses_only_a_connection_from_the_proxy_is_believed(world, settings):
    settings.SOLIDAIRE_TRUSTED_PROXY_ADDRESSES = ("10.0.0.0/24",)
    # Around the proxy: the made-up header is ignored and the lockout holds.
    around = Client(REMOTE_ADDR="203.0.113.60")
    assert wrong_then_right(around).status_code == 429
    # Through the proxy (which appends the real address after the client's own).
    through = Client(REMOTE_ADDR="10.0.0.254")
    response = wrong_then_right(through, forwarded=lambda: f"{next(ROTATING)}, 203.0.113.61")
    assert response.status_code == 429
    assert through.post(url("login"), {"username": "montreal", "password": PASSWORD},
                        HTTP_X_FORWARDED_FOR="203.0.113.62").status_code == 302


def test_production_settings_believe_no_forwarded_header_unless_told(tmp_path):
    assert run_with(production_env(tmp_path), SHOW_PROXY_SETTINGS).stdout.split() == [
        "0", "()", "None"]
    told = run_with(production_env(tmp_path, SOLIDAIRE_TRUSTED_PROXIES="1"),
                    SHOW_PROXY_SETTINGS).stdout.split()
    assert told[0] == "1" and "HTTP_X_FORWARDED_PROTO" in told[2]
    listed = run_with(production_env(
        tmp_path, SOLIDAIRE_TRUSTED_PROXY_ADDRESSES="10.0.0.5, fd00::/8"),
        SHOW_PROXY_SETTINGS).stdout
    assert "('10.0.0.5', 'fd00::/8')" in listed and "HTTP_X_FORWARDED_PROTO" in listed


@pytest.mark.parametrize("variable, value", [
    ("SOLIDAIRE_TRUSTED_PROXIES", "one"),
    ("SOLIDAIRE_TRUSTED_PROXY_ADDRESSES", "10.0.0.5, proxy.local"),
])
def test_a_proxy_setting_that_is_not_one_stops_the_start_and_names_itself(
        variable, value, tmp_path):
    result = run_with(production_env(tmp_path, **{variable: value}))
    assert result.returncode != 0
    assert variable in result.stderr and "docs/deploy-proxy.md" in result.stderr
