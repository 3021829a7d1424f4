from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "solidaire.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from solidaire.campaigns.timeline import timeline_provider

        from .timeline import petition_timeline

        timeline_provider(petition_timeline)
