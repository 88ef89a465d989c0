from django.urls import path

from socorg.core.views import accounts, attachments, audit, notices, progress

urlpatterns = [
    path("", accounts.home, name="home"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("login/verify/", accounts.login_totp, name="login_totp"),
    path("account/security/", accounts.account_security, name="account_security"),
    path("account/password/", accounts.password_change, name="password_change"),
    path("tasks/<int:pk>/", progress.task_progress, name="task_progress"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment_download"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/open/", notices.notice_open, name="notice_open"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/export/", audit.audit_export, name="audit_export"),
]
