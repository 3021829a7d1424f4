"""`solidaire spool-drain`: record what this machine's web processes spooled while the
database was down (decision 0051).

The worker's sweep does the same every few seconds; this is for a machine where no
worker runs (a timer can call it every minute) and for after an incident. Entries are
recorded once however often it runs.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from solidaire.core.management.language import TerminalLanguageMixin
from solidaire.core.spool import spool_dir, spool_drain


class Command(TerminalLanguageMixin, BaseCommand):
    help = ("Record the signatures and registrations spooled on this machine while the "
            "database was down.")

    def handle(self, **options):
        result = spool_drain()
        self.stdout.write(
            _("%(recorded)s entries recorded, %(rejected)s set aside, %(left)s still waiting "
              "(%(dir)s).")
            % {"recorded": result.recorded, "rejected": result.rejected, "left": result.left,
               "dir": spool_dir()})
        if result.database_down:
            raise CommandError(_("The database cannot be reached: the rest waits on this "
                                 "machine's disk. Run this again once it is back."))
