from django.urls import path

from socorg.party import views
from socorg.party.views import instructors

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
    path("instructors/", instructors.instructor_list, name="instructor_list"),
    path("instructors/<int:pk>/", instructors.instructor_detail, name="instructor_detail"),
    path("instructors/<int:pk>/assign/", instructors.assignment_create, name="assignment_create"),
    path(
        "instructors/assignments/<int:pk>/",
        instructors.assignment_detail,
        name="assignment_detail",
    ),
    path(
        "instructors/assignments/<int:pk>/end/", instructors.assignment_end, name="assignment_end"
    ),
    path("instructors/assignments/<int:pk>/visits/", instructors.visit_create, name="visit_create"),
    path("instructors/visits/<int:pk>/close/", instructors.visit_close, name="visit_close"),
]
