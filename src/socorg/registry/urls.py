from django.urls import path

from socorg.registry import responsibility_views, views

app_name = "registry"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/export/", views.organization_export, name="organization_export"),
    path("organizations/<str:key>/", views.organization_detail, name="organization_detail"),
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
    path("departments/", views.department_list, name="department_list"),
    path("departments/<str:code>/", views.department_detail, name="department_detail"),
    path("coverage/", responsibility_views.coverage_report, name="coverage_report"),
    path("coverage/export/", responsibility_views.coverage_export, name="coverage_export"),
    path(
        "responsibilities/import/",
        responsibility_views.responsibility_import,
        name="responsibility_import",
    ),
    path(
        "responsibilities/import/template/",
        responsibility_views.responsibility_import_template,
        name="responsibility_import_template",
    ),
]
