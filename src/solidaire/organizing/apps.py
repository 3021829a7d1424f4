from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizingConfig(AppConfig):
    name = "solidaire.organizing"
    label = "organizing"
    verbose_name = _("Organizing")

    def ready(self) -> None:
        # Registers the person_merging receiver that moves committee memberships.
        from . import services  # noqa: F401
