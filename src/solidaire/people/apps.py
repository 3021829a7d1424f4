from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "solidaire.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        # The duplicate finder listens to person_merging (docs/signals.md).
        from . import duplicates  # noqa: F401
        from .folding import register_sqlite_fold

        # The people search folds accents in SQL; SQLite learns the function on each
        # new connection (decision 0063).
        connection_created.connect(register_sqlite_fold,
                                   dispatch_uid="solidaire.people.search_fold")
