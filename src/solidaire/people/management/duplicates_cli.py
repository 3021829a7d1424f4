"""`solidaire people duplicates [--scan]`: the duplicate finder from the command line.

The lead's `solidaire people` command adds these arguments to its `duplicates`
subcommand and calls `run_duplicates`.
"""

from django.db.models import Count

from solidaire.people.duplicates import CONFIDENT_SCORE, duplicates_scan
from solidaire.people.models import DuplicatePair


def add_duplicates_arguments(parser) -> None:
    parser.add_argument(
        "--scan", action="store_true",
        help="Scan every person for possible duplicates now (otherwise only print counts).",
    )


def run_duplicates(options, stdout) -> int:
    if options.get("scan"):
        result = duplicates_scan()
        stdout.write(f"Scanned {result.counts.get('people', 0):,} people "
                     f"in {result.seconds:.1f} s.\n")
        for name, value in result.counts.items():
            stdout.write(f"  {name}: {value:,}\n")
    decisions = dict(DuplicatePair.objects.order_by().values_list("decision")
                     .annotate(n=Count("id")).values_list("decision", "n"))
    confident = DuplicatePair.objects.filter(
        decision=DuplicatePair.Decision.OPEN, score__gte=CONFIDENT_SCORE).count()
    stdout.write(f"Possible duplicates to review: {decisions.get('open', 0):,} "
                 f"({confident:,} scoring {CONFIDENT_SCORE} or more); "
                 f"marked not the same person: {decisions.get('distinct', 0):,}.\n")
    return 0
