from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from solidaire.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("organize/", include("solidaire.organize.urls")),
    path("", include("solidaire.public.urls")),
    prefix_default_language=True,
)
