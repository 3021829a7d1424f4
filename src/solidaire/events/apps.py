from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "solidaire.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from solidaire.campaigns.timeline import timeline_provider

        from .timeline import event_timeline

        timeline_provider(event_timeline)
