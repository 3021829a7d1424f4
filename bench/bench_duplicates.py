"""The duplicate scan on a million people (PostgreSQL): wall time of `duplicates_scan`,
first run (every pair new) and a rescan (pairs refreshed), against reading the same
rows it reads (people, phones, e-mails) and doing nothing with them.

Loads `demo-data --people N` into a scratch database (dropped afterwards), or uses
BENCH_DATABASE_URL as it is when set. The demo data has no real duplicates (its
names repeat by chance), so on the scratch database the bench first plants
BENCH_PLANT (default 2,000) copies of existing people for each rule — accents and
case changed with a shared phone, names swapped, a one-letter typo, the same
e-mail name at another domain; each copy keeps the original's postal code, which
half of the demo people have — and reports how many of each the scan finds. With
BENCH_DATABASE_URL nothing is planted unless BENCH_PLANT is set. Planted people
and every pair the scan wrote are deleted at the end.
Target: under 2 minutes for 1,000,000 people.
"""

import os
import sys
import time
from collections import Counter

from scratch import main_on_demo_database

N = int(os.environ.get("BENCH_PEOPLE", "1000000"))
DB = "solidaire_bench_duplicates"
RULES = ("accents_phone", "transposed", "typo", "email_local")


def plant(count: int) -> dict[str, list[tuple[int, int]]]:
    """Copies of existing people, `count` per rule: {rule: [(original id, copy id)]}."""
    import random

    from django.db import transaction

    from solidaire.people.models import EmailAddress, Person, PhoneNumber

    rng = random.Random(4)
    originals = list(Person.objects.filter(chosen_name__contains=" ", home_chapter__isnull=False)
                     .order_by("id").values_list("id", flat=True)[: count * len(RULES) * 3])
    chosen = rng.sample(originals, count * len(RULES))
    people = Person.objects.in_bulk(chosen)
    emails = dict(EmailAddress.objects.filter(person_id__in=chosen)
                  .values_list("person_id", "address"))
    planted: dict[str, list[tuple[int, int]]] = {rule: [] for rule in RULES}
    with transaction.atomic():
        copies, phones, addresses = [], [], []
        for n, pk in enumerate(chosen):
            rule = RULES[n % len(RULES)]
            original = people[pk]
            name = original.chosen_name
            if rule == "accents_phone":
                name = name.upper() if n % 2 else name.lower()
            elif rule == "transposed":
                given, _space, family = name.partition(" ")
                name = f"{family} {given}"
            elif rule == "typo":
                given, _space, family = name.rpartition(" ")
                at = rng.randrange(1, len(family))
                family = family[:at] + family[at] * 2 + family[at + 1:]
                name = f"{given} {family}"
            copy = Person(chosen_name=name, home_chapter_id=original.home_chapter_id,
                          postal_code=original.postal_code,
                          preferred_language=original.preferred_language, source="import")
            copies.append((rule, original, copy))
        Person.objects.bulk_create([copy for _rule, _original, copy in copies], batch_size=5000)
        for n, (rule, original, copy) in enumerate(copies):
            planted[rule].append((original.pk, copy.pk))
            if rule == "accents_phone":
                number = f"+1819{n:07d}"
                phones += [PhoneNumber(person_id=original.pk, number=number),
                           PhoneNumber(person_id=copy.pk, number=number)]
            elif rule == "email_local":
                local = emails.get(original.pk, "").partition("@")[0]
                if not local:
                    local = f"planted{n}"
                    addresses.append(EmailAddress(person_id=original.pk,
                                                  address=f"{local}@example.org"))
                addresses.append(EmailAddress(person_id=copy.pk, address=f"{local}@example.net"))
        PhoneNumber.objects.bulk_create(phones, batch_size=5000)
        EmailAddress.objects.bulk_create(addresses, batch_size=5000)
    return planted


def unplant(planted: dict[str, list[tuple[int, int]]]) -> None:
    from django.db import connection

    copies = [copy for pairs in planted.values() for _original, copy in pairs]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_phonenumber WHERE number LIKE '+18190%%'")
        cursor.execute("DELETE FROM people_emailaddress WHERE address LIKE 'planted%%'")
        for table in ("people_phonenumber", "people_emailaddress", "people_consentevent"):
            cursor.execute(f"DELETE FROM {table} WHERE person_id = ANY(%s)", [copies])
        cursor.execute("DELETE FROM people_person WHERE id = ANY(%s)", [copies])


def measure() -> None:
    import django

    django.setup()
    from django.db import connection

    from solidaire.people import duplicates
    from solidaire.people.models import DuplicatePair

    if DuplicatePair.objects.exists():
        print("people_duplicatepair is not empty: run on a database without pairs")
        sys.exit(1)
    plant_count = int(os.environ.get("BENCH_PLANT", "0"))
    planted = plant(plant_count) if plant_count else {}
    try:
        start = time.perf_counter()
        rows = 0
        for sql in (duplicates.PEOPLE_SQL, duplicates.PHONES_SQL, duplicates.EMAILS_SQL):
            for _row in duplicates._stream(sql):
                rows += 1
        baseline = time.perf_counter() - start
        connection.close()

        first = duplicates.duplicates_scan()
        again = duplicates.duplicates_scan()
        by_reason = Counter()
        by_score = Counter()
        for score, reasons in DuplicatePair.objects.values_list("score", "reasons").iterator():
            by_reason.update(reasons)
            by_score["90-100" if score >= 90 else "70-89" if score >= 70 else
                     "50-69" if score >= 50 else "1-49"] += 1
        counts = first.counts
        print(f"people: {counts['people']:,}")
        print(f"scan, first run: {first.seconds:.1f} s  (candidates {counts['candidates']:,}, "
              f"pairs found {counts['found']:,}, stored {counts['new']:,})")
        print(f"scan, rescan:    {again.seconds:.1f} s  (unchanged {again.counts['unchanged']:,},"
              f" refreshed {again.counts['refreshed']:,}, removed {again.counts['removed']:,})")
        print("pairs by reason: " + ", ".join(f"{code} {n:,}" for code, n in
                                              sorted(by_reason.items())))
        print("pairs by score:  " + ", ".join(f"{band} {n:,}" for band, n in
                                              sorted(by_score.items(), reverse=True)))
        print(f"baseline: reading the {rows:,} rows the scan reads, nothing else: "
              f"{baseline:.1f} s")
        if planted:
            found = set(DuplicatePair.objects.values_list("person_low_id", "person_high_id")
                        .iterator())
            print(f"planted duplicates found (of {plant_count:,} each): " + ", ".join(
                f"{rule} {sum(tuple(sorted(pair)) in found for pair in pairs):,}"
                for rule, pairs in planted.items()))
        print(f"target: under 120 s -> {'met' if first.seconds < 120 else 'MISSED'}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM people_duplicatepair")
        if planted:
            unplant(planted)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure()
        return 0
    if "BENCH_DATABASE_URL" not in os.environ:
        os.environ.setdefault("BENCH_PLANT", "2000")
    return main_on_demo_database(__file__, DB, N)


if __name__ == "__main__":
    sys.exit(main())
