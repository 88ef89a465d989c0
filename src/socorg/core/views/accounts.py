"""Login (password, then the six-digit code when two-factor login is on), logout, the home
worklist, the account-security page and the password change. Rules live in ``core.auth`` and ``core.services``."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from socorg.core import auth, services, worklist
from socorg.core.forms import LoginForm, PasswordChangeForm, TotpCodeForm
from socorg.core.models import User
from socorg.core.passwords import password_policy_text

PENDING_USER = "socorg_login_pending_user"
PENDING_AT = "socorg_login_pending_at"
PENDING_NEXT = "socorg_login_next"
PENDING_SECONDS = 300
ENROLL_SECRET = "socorg_totp_enroll_secret"


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated and request.method != "POST":
        return redirect(_next_url(request, next_url))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = auth.check_password(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            address=auth.client_address(request),
        )
        if result.outcome is auth.Outcome.NEEDS_TOTP and result.user is not None:
            request.session.update(
                {PENDING_USER: result.user.pk, PENDING_AT: time.time(), PENDING_NEXT: next_url}
            )
            return redirect("login_totp")
        if result.ok and result.user is not None:
            _complete(request, result.user, method="password")
            return redirect(_next_url(request, next_url))
        form.add_error(None, result.message)
    context = {"form": form, "next": next_url}
    return render(request, "core/login.html", context, status=400 if form.errors else 200)


def _complete(request: HttpRequest, user: User, *, method: str) -> None:
    """Start the session and tell the owner of failed attempts since the last login."""
    failures = auth.previous_failures(user)
    auth.complete_login(request, user, method=method)
    if failures:
        messages.warning(
            request,
            _("自上次登录以来，您的账号有 %(n)d 次失败的登录尝试。如非本人操作，请修改密码。")
            % {"n": failures},
        )


def _pending_user(request: HttpRequest) -> User | None:
    started = request.session.get(PENDING_AT, 0)
    if time.time() - float(started) > PENDING_SECONDS:
        return None
    return auth.pending_user(request.session.get(PENDING_USER))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_totp(request: HttpRequest) -> HttpResponse:
    """Step two: the six-digit code of an account with two-factor login."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("请先输入用户名和密码。"))
        return redirect("login")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = auth.check_totp(
            user=user, code=form.cleaned_data["code"], address=auth.client_address(request)
        )
        if result.ok:
            next_url = request.session.get(PENDING_NEXT, "")
            for key in (PENDING_USER, PENDING_AT, PENDING_NEXT):
                request.session.pop(key, None)
            _complete(request, user, method="password+totp")
            return redirect(_next_url(request, next_url))
        form.add_error("code", result.message)
    context = {"form": form, "pending_user": user}
    return render(request, "core/login_totp.html", context, status=400 if form.errors else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    work = worklist.home_worklist(request.user)  # type: ignore[arg-type]
    return render(request, "core/home.html", {"work": work, "active_face": ""})


@login_required
@sensitive_post_parameters("code")
@never_cache
def account_security(request: HttpRequest) -> HttpResponse:
    """Two-factor login: set up (scan or type the secret, confirm one code) or turn off."""
    user: User = request.user  # type: ignore[assignment]
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _totp_change(request, user, form):
            return redirect("account_security")
    return render(request, "core/account_security.html", _security_context(request, user, form))


def _totp_change(request: HttpRequest, user: User, form: TotpCodeForm) -> bool:
    code = form.cleaned_data["code"]
    try:
        if user.totp_enabled:
            if auth.totp_required(user):
                raise ValidationError(_("您的账号须使用动态口令登录，不能关闭。"))
            services.totp_disable(user=user, code=code)
            messages.success(request, _("已关闭动态口令。下次登录只需用户名和密码。"))
        else:
            secret = request.session.get(ENROLL_SECRET, "")
            services.totp_enable(user=user, secret=secret, code=code)
            request.session.pop(ENROLL_SECRET, None)
            request.session.pop(auth.OWES_TOTP_SETUP, None)
            messages.success(
                request, _("已启用动态口令。今后登录时需输入手机验证器显示的 6 位数字。")
            )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("code", message)
        return False
    return True


def _security_context(request: HttpRequest, user: User, form: TotpCodeForm) -> dict[str, object]:
    context: dict[str, object] = {
        "form": form,
        "active_face": "",
        "totp_required": auth.totp_required(user),
    }
    if not user.totp_enabled:
        secret = request.session.get(ENROLL_SECRET) or auth.new_totp_secret()
        request.session[ENROLL_SECRET] = secret
        context["enrollment"] = auth.totp_enrollment(user, secret)
    return context


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    """The owner changes their own password (MLPS-1); required after it expired or an
    administrator reset it."""
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(field, message)
        else:
            update_session_auth_hash(request, user)
            request.session.pop(auth.OWES_PASSWORD_CHANGE, None)
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    context = {
        "form": form,
        "active_face": "",
        "policy": password_policy_text(),
        "owed": bool(request.session.get(auth.OWES_PASSWORD_CHANGE)),
    }
    return render(request, "core/password_change.html", context, status=400 if form.errors else 200)
