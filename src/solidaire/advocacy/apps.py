from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "solidaire.advocacy"
    label = "advocacy"
    verbose_name = _("Call and e-mail actions")

    def ready(self):
        from solidaire.campaigns.timeline import timeline_provider

        from .timeline import call_day_timeline

        timeline_provider(call_day_timeline)
