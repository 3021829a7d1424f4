from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "solidaire.advocacy"
    label = "advocacy"
    verbose_name = _("Call and e-mail actions")
