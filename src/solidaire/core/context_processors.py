from django.apps import apps
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def _host_name() -> str:
    # By name, not by import: core sits below organizing. One query, and only
    # when a template actually shows the name (the admin never does).
    organization = apps.get_model("organizing", "Organization")
    row = (
        organization.objects.order_by("-is_host", "name")
        .values_list("short_name", "name")
        .first()
    )
    if row is None:
        return "Solidaire"
    short_name, name = row
    return name or short_name or "Solidaire"


def site(request):
    """Language switcher links to the same page in each interface language, and
    the name of the organization that runs the site (lazy: a view may pass its own)."""
    current = translation.get_language()
    switch = [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "language_switch": switch,
        "LANGUAGE_CODE": current,
        "site_name": SimpleLazyObject(_host_name),
    }
