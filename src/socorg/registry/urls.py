from django.urls import path

from socorg.registry import principal_views, views

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
    # Principal candidate review (TT-4) and term transitions (TT-1).
    path("principal-reviews/", principal_views.principal_review_list, name="principal_review_list"),
    path(
        "organizations/<str:key>/principal-reviews/new/",
        principal_views.principal_review_submit,
        name="principal_review_submit",
    ),
    path(
        "principal-reviews/<int:pk>/",
        principal_views.principal_review_detail,
        name="principal_review_detail",
    ),
    path(
        "principal-reviews/<int:pk>/transition/",
        principal_views.principal_review_transition,
        name="principal_review_transition",
    ),
    path("terms/", principal_views.term_list, name="term_list"),
    path(
        "organizations/<str:key>/term-transitions/new/",
        principal_views.term_transition_file,
        name="term_transition_file",
    ),
    path(
        "term-transitions/<int:pk>/",
        principal_views.term_transition_detail,
        name="term_transition_detail",
    ),
    path(
        "term-transitions/<int:pk>/transition/",
        principal_views.term_transition_transition,
        name="term_transition_transition",
    ),
]
