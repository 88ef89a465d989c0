from django.urls import path

from socorg.registry import views

app_name = "registry"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/export/", views.organization_export, name="organization_export"),
    path("organizations/<str:key>/", views.organization_detail, name="organization_detail"),
    path(
        "organizations/<str:key>/export/",
        views.organization_profile_export,
        name="organization_profile_export",
    ),
    path(
        "organizations/<str:key>/corrections/new/",
        views.correction_propose,
        name="correction_propose",
    ),
    path("corrections/", views.correction_list, name="correction_list"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction_detail"),
    path(
        "corrections/<int:pk>/transition/",
        views.correction_transition,
        name="correction_transition",
    ),
]
