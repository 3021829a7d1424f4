"""Shared by the benchmarks that measure pages on a demo database.

`main_on_demo_database(script, db, people)` loads `demo-data --people N` into a
scratch PostgreSQL database (dropped afterwards) — or uses BENCH_DATABASE_URL as it
is — then runs `script --measure` against it in a fresh process.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
SOLIDAIRE = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "solidaire"


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main_on_demo_database(script: str, db: str, people: int) -> int:
    url = os.environ.get("BENCH_DATABASE_URL")
    scratch = url is None
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.dev"}
    if scratch:
        url = f"{SERVER}/{db}"
        admin(f"drop database if exists {db}")
        admin(f"create database {db}")
    env["DATABASE_URL"] = url
    try:
        if scratch:
            subprocess.run([str(SOLIDAIRE), "migrate", "--verbosity", "0"], env=env, check=True)
            subprocess.run([str(SOLIDAIRE), "demo-data", "--people", str(people),
                            "--verbosity", "0"], env=env, check=True)
        print(f"{people:,} people" if scratch else url.rsplit("/", 1)[1], flush=True)
        subprocess.run([sys.executable, script, "--measure"], env=env, check=True)
    finally:
        if scratch:
            admin(f"drop database if exists {db}")
    return 0


def log_in(client, user) -> None:
    """Log the test client in as `user` as the login asks: an account with a TOTP device
    (the demo coordinator) types its current code, so that pages open and status pages
    find a recent code (decision 0046). Call after django.setup()."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.time = max(time.time(), device.t0 + (device.last_t + 1) * device.step)
    client.post("/en/organize/login/code/", {"code": f"{clock.token():06d}"})
