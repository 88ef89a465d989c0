from django.urls import path

from socorg.registration import views

app_name = "registration"
urlpatterns = [
    path("", views.home, name="home"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path(
        "applications/<int:pk>/transition/",
        views.application_transition,
        name="application_transition",
    ),
    path("opinions/<int:pk>/transition/", views.opinion_transition, name="opinion_transition"),
    path("monitor/", views.monitor, name="monitor"),
]
