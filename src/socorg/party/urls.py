from django.urls import path

from socorg.party import views
from socorg.party.views import bodies as body_views
from socorg.party.views import branches as branch_views
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
    path("bodies/", body_views.body_list, name="body_list"),
    path("affiliations/import/", body_views.affiliation_import, name="affiliation_import"),
    path(
        "affiliations/import/template/",
        body_views.affiliation_import_template,
        name="affiliation_import_template",
    ),
    path("affiliations/<str:uscc>/", body_views.affiliation_detail, name="affiliation_detail"),
    path("branches/", branch_views.branch_list, name="branch_list"),
    path("branches/new/", branch_views.branch_new, name="branch_new"),
    path("unbuilt/", branch_views.unbuilt_list, name="unbuilt_list"),
    path("party-coverage/", branch_views.party_coverage, name="party_coverage"),
    path(
        "party-coverage/export/", branch_views.party_coverage_export, name="party_coverage_export"
    ),
]
