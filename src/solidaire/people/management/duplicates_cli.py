"""`solidaire people duplicates [--scan]`: the duplicate finder from the command line.

The lead's `solidaire people` command adds these arguments to its `duplicates`
subcommand and calls `run_duplicates`.
"""

from django.db.models import Count
from django.utils.translation import gettext as _

from solidaire.people.duplicates import CONFIDENT_SCORE, duplicates_scan
from solidaire.people.models import DuplicatePair


def add_duplicates_arguments(parser) -> None:
    parser.add_argument(
        "--scan", action="store_true",
        help=_("Scan every person for possible duplicates now (otherwise only print counts)."),
    )


def run_duplicates(options, stdout) -> int:
    if options.get("scan"):
        result = duplicates_scan()
        stdout.write(_("Scanned %(people)s people in %(seconds).1f s.")
                     % {"people": f"{result.counts.get('people', 0):,}",
                        "seconds": result.seconds} + "\n")
        for name, value in result.counts.items():
            stdout.write(f"  {name}: {value:,}\n")
    decisions = dict(DuplicatePair.objects.order_by().values_list("decision")
                     .annotate(n=Count("id")).values_list("decision", "n"))
    confident = DuplicatePair.objects.filter(
        decision=DuplicatePair.Decision.OPEN, score__gte=CONFIDENT_SCORE).count()
    stdout.write(_("Possible duplicates to review: %(open)s (%(confident)s scoring %(score)s "
                   "or more); marked not the same person: %(distinct)s.")
                 % {"open": f"{decisions.get('open', 0):,}", "confident": f"{confident:,}",
                    "score": CONFIDENT_SCORE, "distinct": f"{decisions.get('distinct', 0):,}"}
                 + "\n")
    return 0
