"""The site's URLs plus the benchmark's ceiling: an endpoint that inserts one row.

Used only by bench/bench_petition_intake.py (via bench/intake_settings.py); the bare
endpoint goes through the same middleware and server as the petition, and does
nothing but one INSERT, so its rate is what this server can do for one write.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from solidaire.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (at) VALUES (now())")
    return HttpResponse(status=204)


urlpatterns = [path("bench/bare-insert", bare_insert), *site_urlpatterns]
