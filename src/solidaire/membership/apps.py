from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "solidaire.membership"
    label = "membership"
    verbose_name = _("Committees and chapter requests")

    def ready(self) -> None:
        # Registers the person_merging receiver that moves committee memberships and
        # chapter requests (docs/signals.md).
        from . import services  # noqa: F401
