from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizeConfig(AppConfig):
    name = "solidaire.organize"
    label = "organize"
    verbose_name = _("Organizer pages")
