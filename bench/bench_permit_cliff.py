"""The permit-expiry page on N people (PostgreSQL, default 100,000): time the page as
the demo coordinator (status access) against decrypting every expiry month alone.

Loads `demo-data --people N` into a scratch database (dropped afterwards), or uses
BENCH_DATABASE_URL as it is when set.
"""

import os
import statistics
import sys
import time

from scratch import log_in, main_on_demo_database

N = int(os.environ.get("BENCH_PEOPLE", "100000"))
DB = "solidaire_bench_cliff"
RUNS = 5
PAGE = "/en/organize/people/permit-expiry/"
FILTERED = "/en/organize/people/?permit_within=3"


def median_ms(action) -> tuple[float, float]:
    action()  # warm
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def measure() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from solidaire.core.crypto import unseal
    from solidaire.core.keys import keyring_load
    from solidaire.people.models import PersonStatus

    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    # Status pages ask for a recent code (decision 0046): the coordinator types one.
    log_in(client, get_user_model().objects.get(username="coordinator"))
    rows = PersonStatus.objects.count()
    print(f"{rows:,} status rows")
    for path in (PAGE, FILTERED):
        status = client.get(path).status_code
        median, worst = median_ms(lambda path=path: client.get(path))
        print(f"coordinator {path:45} {status} median {median:6.0f} ms  max {worst:6.0f} ms")

    def decrypt_all():
        keyring = keyring_load()
        for pk, token in PersonStatus.objects.values_list("person_id", "sealed_expiry_month") \
                .iterator(chunk_size=5000):
            unseal(token, aad=f"people_personstatus.sealed_expiry_month.{pk}".encode(),
                   keyring=keyring)

    assert PersonStatus._meta.db_table == "people_personstatus"
    median, worst = median_ms(decrypt_all)
    print(f"baseline: fetch and decrypt every expiry month ({rows:,}) alone: "
          f"median {median:.0f} ms  max {worst:.0f} ms")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure()
        return 0
    return main_on_demo_database(__file__, DB, N)


if __name__ == "__main__":
    sys.exit(main())
