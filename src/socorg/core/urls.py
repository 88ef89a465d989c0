from django.urls import path

from socorg.core import attachment_views, progress_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/verify/", views.login_totp, name="login_totp"),
    path("account/security/", views.account_security, name="account_security"),
    path("tasks/<int:pk>/", progress_views.task_progress, name="task_progress"),
    path("attachments/<int:pk>/", attachment_views.attachment_download, name="attachment_download"),
]
