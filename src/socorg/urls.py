from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from socorg.api import api
from socorg.supervision.views.complaints import public_urlpatterns as complaint_pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("socorg.core.urls")),
    path("registry/", include("socorg.registry.urls")),
    path("registration/", include("socorg.registration.urls")),
    path("party/", include("socorg.party.urls")),
    path("supervision/", include("socorg.supervision.urls")),
    # The public's complaint form and tracking page (投诉举报), no account needed.
    path("complaints/", include((complaint_pages, "complaints"))),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
