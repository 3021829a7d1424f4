from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Stored summaries of the activity ledger that audiences and charts read: the
    engagement digest and the weekly counts. Above the domain apps; nothing below
    imports it (decision 0054)."""

    name = "solidaire.analytics"
    label = "analytics"
    verbose_name = _("Summaries of the ledger")

    def ready(self) -> None:
        from solidaire.core.signals import ledger_changed

        from . import checks  # noqa: F401
        from .engagement import engagement_follow_ledger

        # Every write to the ledger brings its people's digest up to date, in the same
        # transaction (decision 0029).
        ledger_changed.connect(engagement_follow_ledger,
                               dispatch_uid="solidaire_engagement_follow_ledger")
