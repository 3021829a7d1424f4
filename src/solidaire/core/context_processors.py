from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """Language switcher links to the same page in each interface language."""
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
    return {"language_switch": switch, "LANGUAGE_CODE": current}
