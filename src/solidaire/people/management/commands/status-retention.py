"""`solidaire status-retention`: erase expired immigration statuses now (for cron users)."""

from django.core.management.base import BaseCommand

from solidaire.core.management.language import TerminalLanguageMixin
from solidaire.people.retention import statuses_expire


class Command(TerminalLanguageMixin, BaseCommand):
    help = ("Erase the immigration status of people inactive for longer than their "
            "organization's retention period.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Only count the statuses that would be erased.")

    def handle(self, *args, dry_run: bool = False, **options):
        count = statuses_expire(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} status(es) would be erased.")
        else:
            self.stdout.write(f"{count} status(es) erased.")
