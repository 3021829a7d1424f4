from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "solidaire.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        # The duplicate finder listens to person_merging (docs/signals.md).
        from . import duplicates  # noqa: F401
