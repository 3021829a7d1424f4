import os
import subprocess
import sys


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_healthz_answers_503_when_the_database_does_not():
    # A real process whose database is a PostgreSQL port where nothing listens.
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidaire.settings.test",
           "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "503", out.stderr
