from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "solidaire.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import session_stamp_login
        from .two_factor import session_note_two_factor

        # Organizer login (issue 3): every login starts the session clocks and notes
        # what the second factor still asks for.
        user_logged_in.connect(session_stamp_login, dispatch_uid="solidaire_session_stamp")
        user_logged_in.connect(session_note_two_factor, dispatch_uid="solidaire_two_factor")

        # `check --deploy`: the proxy settings against how deploy/serve will listen.
        from . import checks  # noqa: F401
        from .audit_receivers import connect as connect_audit_receivers

        # Audit trail (issue 3): logins, failed logins, logouts, role and permission changes.
        connect_audit_receivers()

        # The ledger's kinds, each declared by the app that writes it (decision 0054).
        from .activity_kinds import discover

        discover()
