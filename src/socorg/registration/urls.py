from django.urls import path

from socorg.registration.views import applications, principals, terms

app_name = "registration"
urlpatterns = [
    path("", applications.home, name="home"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/name-check/",
        applications.application_name_check,
        name="application_name_check",
    ),
    path("applications/<int:pk>/materials/", applications.material_upload, name="material_upload"),
    path(
        "applications/<int:pk>/transition/",
        applications.application_transition,
        name="application_transition",
    ),
    path(
        "opinions/<int:pk>/transition/",
        applications.opinion_transition,
        name="opinion_transition",
    ),
    path("monitor/", applications.monitor, name="monitor"),
    # Principal candidate review (TT-4) and term transitions (TT-1).
    path("principal-reviews/", principals.principal_review_list, name="principal_review_list"),
    path(
        "organizations/<str:key>/principal-reviews/new/",
        principals.principal_review_submit,
        name="principal_review_submit",
    ),
    path(
        "principal-reviews/<int:pk>/",
        principals.principal_review_detail,
        name="principal_review_detail",
    ),
    path(
        "principal-reviews/<int:pk>/transition/",
        principals.principal_review_transition,
        name="principal_review_transition",
    ),
    path("terms/", terms.term_list, name="term_list"),
    path(
        "organizations/<str:key>/term-transitions/new/",
        terms.term_transition_file,
        name="term_transition_file",
    ),
    path(
        "term-transitions/<int:pk>/",
        terms.term_transition_detail,
        name="term_transition_detail",
    ),
    path(
        "term-transitions/<int:pk>/transition/",
        terms.term_transition_transition,
        name="term_transition_transition",
    ),
]
