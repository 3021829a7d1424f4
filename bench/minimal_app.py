"""The minimal app's one view (bench/minimal_settings.py): a signing form, one INSERT.

GET /sign/ answers a small HTML form carrying a random form key; POST /sign/ reads
the form and stores it with one INSERT through a cursor, then answers 303, as the
petition does. A replayed key stores nothing more (ON CONFLICT DO NOTHING), so the
same load generator (bench/loadgen.py, `flow`) drives both. What it leaves out, and
the petition pays for: the signed form key and its check, form validation and
normalization, the contact key, the rate limit (a Redis round trip), the page cache,
translations, and the security and CSP headers.

The table is created by the bench:

    CREATE TABLE signature (id bigserial PRIMARY KEY, key text UNIQUE NOT NULL,
        name text, email text, postal_code text, city text, language text,
        created_at timestamptz NOT NULL)
"""

import secrets

from django.db import connection
from django.http import HttpResponse
from django.urls import path

FORM = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign</title></head>'
    '<body><form method="post"><input name="name"><input name="email" type="email">'
    '<input name="postal_code"><input name="city"><input name="language">'
    '<input type="hidden" name="key" value="{key}"><button>Sign</button></form></body></html>'
)
INSERT = ("INSERT INTO signature (key, name, email, postal_code, city, language, created_at) "
          "VALUES (%s, %s, %s, %s, %s, %s, now()) ON CONFLICT (key) DO NOTHING")


def sign(request):
    if request.method == "POST":
        data = request.POST
        with connection.cursor() as cursor:
            cursor.execute(INSERT, [data.get("key", ""), data.get("name", ""),
                                    data.get("email", ""), data.get("postal_code", ""),
                                    data.get("city", ""), data.get("language", "")])
        response = HttpResponse(status=303)
        response["Location"] = "/thanks/"
        response["Content-Length"] = "0"
        return response
    body = FORM.format(key=secrets.token_urlsafe(32)).encode()
    response = HttpResponse(body)
    # The petition's fast lane sets it too: keep-alive clients need it.
    response["Content-Length"] = str(len(body))
    return response


def healthz(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("sign/", sign), path("healthz", healthz)]
