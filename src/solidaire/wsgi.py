import os

from django.apps import apps
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidaire.settings.production")
application = get_wsgi_application()

# With hashed static names (production) every page asks the manifest for its stylesheet:
# without one each would answer 500. Refusing to start says what to do instead.
# deploy/serve collects them before starting; docs/deploy.md. (The benchmarks' minimal
# application has no static files at all.)
if (apps.is_installed("django.contrib.staticfiles")
        and isinstance(staticfiles_storage, ManifestFilesMixin)
        and not staticfiles_storage.hashed_files):
    raise ImproperlyConfigured(
        f"No static files manifest in {staticfiles_storage.location}: run "
        "`solidaire collectstatic --noinput` first (deploy/serve does)."
    )
