from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from socorg.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("socorg.core.urls")),
    path("registry/", include("socorg.registry.urls")),
    path("registration/", include("socorg.registration.urls")),
    path("party/", include("socorg.party.urls")),
    path("supervision/", include("socorg.supervision.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
