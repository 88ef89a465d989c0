from django.urls import path

from socorg.registry import views

app_name = "registry"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("departments/", views.department_list, name="department_list"),
    path("coverage/", views.coverage_report, name="coverage_report"),
]
