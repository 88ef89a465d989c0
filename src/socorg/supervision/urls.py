from django.urls import include, path

app_name = "supervision"
urlpatterns = [
    path("annual-reports/", include("socorg.supervision.views.annual_reports")),
    path("progress/", include("socorg.supervision.views.progress")),
    path("credit/", include("socorg.supervision.views.credit")),  # credit & creditui
    path("campaigns/", include("socorg.supervision.views.campaigns")),  # campaign
    path("complaints/", include("socorg.supervision.views.complaints")),  # complaint
    path("inspections/", include("socorg.supervision.views.inspections")),  # inspection
    path("cases/", include("socorg.supervision.views.cases")),  # case
]
