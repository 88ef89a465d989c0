"""Pages of supervision, one module per capability (each with its own ``urlpatterns``)."""
