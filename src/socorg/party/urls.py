from django.urls import path

from socorg.party import views

app_name = "party"
urlpatterns = [
    path("departments/", views.department_list, name="department_list"),
    path("departments/<str:code>/", views.department_detail, name="department_detail"),
    path("coverage/", views.coverage_report, name="coverage_report"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
    path("responsibilities/import/", views.responsibility_import, name="responsibility_import"),
    path(
        "responsibilities/import/template/",
        views.responsibility_import_template,
        name="responsibility_import_template",
    ),
]
