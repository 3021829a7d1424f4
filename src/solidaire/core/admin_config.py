"""Django's admin, its site asking for a recent second factor (see admin_site.py).

A module of its own: an AppConfig module must not import models, and apps.py holds
CoreConfig alone so that Django picks it for "solidaire.core"."""

from django.contrib.admin.apps import AdminConfig


class SecondFactorAdminConfig(AdminConfig):
    default_site = "solidaire.core.admin_site.SecondFactorAdminSite"
