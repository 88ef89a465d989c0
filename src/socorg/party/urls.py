from django.urls import path

from socorg.party import views
from socorg.party.views import bodies as body_views
from socorg.party.views import branches as branch_views
from socorg.party.views import brand, instructors, liaisons

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
    # Liaison officers and their training (联络员制度).
    path("liaison/", liaisons.liaison_page, name="liaison_page"),
    path("liaisons/", liaisons.liaison_roster, name="liaison_roster"),
    path("liaisons/new/", liaisons.liaison_new, name="liaison_new"),
    path("liaisons/<int:pk>/end/", liaisons.liaison_end, name="liaison_end"),
    path("trainings/", liaisons.training_list, name="training_list"),
    path("trainings/new/", liaisons.training_new, name="training_new"),
    path("trainings/<int:pk>/", liaisons.training_detail, name="training_detail"),
    path(
        "trainings/<int:pk>/attendance/", liaisons.training_attendance, name="training_attendance"
    ),
    path("trainings/<int:pk>/materials/", liaisons.training_material, name="training_material"),
    # The brand 日出初光 暖益港城.
    path("brand/", brand.brand_list, name="brand_list"),
    path("brand/<int:pk>/", brand.brand_detail, name="brand_detail"),
    path("brand/<int:pk>/members/", brand.brand_member_add, name="brand_member_add"),
    path("brand/<int:pk>/activities/new/", brand.brand_activity_new, name="brand_activity_new"),
    path("brand/<int:pk>/showcase/", brand.brand_showcase, name="brand_showcase"),
    path("brand/activities/<int:pk>/", brand.brand_activity_detail, name="brand_activity_detail"),
    path("brand/activities/<int:pk>/held/", brand.brand_activity_held, name="brand_activity_held"),
    path(
        "brand/activities/<int:pk>/transition/",
        brand.brand_activity_transition,
        name="brand_activity_transition",
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
