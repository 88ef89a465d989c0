"""Login rules, shared by the system's login page and every other ``authenticate()`` caller
(the admin site included) through :class:`SocorgBackend`.

In order: unknown user or wrong password (counted; ``SOCORG_LOGIN_MAX_FAILURES`` failures in a
row lock the account for ``SOCORG_LOGIN_LOCK_MINUTES``),
a locked account is refused even with the right password and told when to retry, an inactive
account is refused, a demo account is refused where demo users are not allowed (production),
and an account with two-factor login enabled needs its six-digit code as a second step."""

from __future__ import annotations

import enum
import io
from dataclasses import dataclass
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from socorg.core import services
from socorg.core.access import caller_sql, load_callers
from socorg.core.models import User

BACKEND_PATH = "socorg.core.auth.SocorgBackend"
# A session's user, with the scope and what the layout shows, in one statement.
_SESSION_USER_SQL = caller_sql(where="u.id = %s")


class Outcome(enum.Enum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    REFUSED = "refused"


@dataclass(frozen=True)
class LoginResult:
    outcome: Outcome
    user: User | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


def _refused(message: str, user: User | None = None) -> LoginResult:
    return LoginResult(Outcome.REFUSED, user, message)


def wrong_credentials_message() -> str:
    return _("用户名或密码错误。连续错误 %(n)s 次账号将被锁定 %(m)s 分钟。") % {
        "n": settings.SOCORG_LOGIN_MAX_FAILURES,
        "m": settings.SOCORG_LOGIN_LOCK_MINUTES,
    }


def locked_message(user: User) -> str:
    assert user.locked_until is not None
    until = timezone.localtime(user.locked_until)
    minutes = max(1, -(-int((user.locked_until - timezone.now()).total_seconds()) // 60))
    return _(
        "账号因连续多次登录失败已被锁定，请于 %(time)s 之后（约 %(minutes)s 分钟后）再试，或联系系统管理员解锁。"
    ) % {
        "time": date_format(until, "Y-m-d H:i"),
        "minutes": minutes,
    }


def demo_refused_message() -> str:
    return _("演示账号不可在生产环境登录。")


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


def demo_refused(user: User) -> bool:
    return user.is_demo and not settings.SOCORG_DEMO_USERS_ALLOWED


def find_user(username: str) -> User | None:
    return User.objects.filter(username=username.strip()).first()


def check_password(*, username: str, password: str) -> LoginResult:
    """The first step of a login. Counts a failure against a known user with a wrong password."""
    user = find_user(username) if username.strip() else None
    if user is None:
        User().set_password(password)  # same work as a real check: timing does not reveal names
        return _refused(wrong_credentials_message())
    if is_locked(user):
        return _refused(locked_message(user), user)
    if not user.check_password(password):
        services.login_failure_record(user=user)
        return _refused(
            locked_message(user) if is_locked(user) else wrong_credentials_message(), user
        )
    return _after_password(user)


def _after_password(user: User) -> LoginResult:
    if not user.is_active:
        return _refused(_("该账号已停用，请联系系统管理员。"), user)
    if demo_refused(user):
        return _refused(demo_refused_message(), user)
    if user.totp_enabled:
        return LoginResult(Outcome.NEEDS_TOTP, user)
    return LoginResult(Outcome.OK, user)


def check_totp(*, user: User, code: str) -> LoginResult:
    """The second step: a wrong code counts as a failed login, like a wrong password."""
    user.refresh_from_db()
    if is_locked(user):
        return _refused(locked_message(user), user)
    if not user.is_active or demo_refused(user) or not user.totp_enabled:
        return _refused(_("登录已失效，请重新输入用户名和密码。"), user)
    if not services.totp_code_is_valid(user.totp_secret, code):
        services.login_failure_record(user=user)
        if is_locked(user):
            return _refused(locked_message(user), user)
        return _refused(_("动态口令不正确，请输入手机验证器当前显示的 6 位数字。"), user)
    return LoginResult(Outcome.OK, user)


def complete_login(request: HttpRequest, user: User, *, method: str) -> None:
    """Record the login (counter reset, audit row) and start the session."""
    services.login_success_record(user=user, method=method)
    login(request, user, backend=BACKEND_PATH)


def pending_user(pk: object) -> User | None:
    """The user who passed the password step and now owes the six-digit code."""
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk, is_active=True, totp_enabled=True).first()


TOTP_ISSUER = "社会组织管理平台"


@dataclass(frozen=True)
class TotpEnrollment:
    secret: str
    uri: str
    qr_svg: str

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four, easier to type by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_enrollment(user: User, secret: str) -> TotpEnrollment:
    """What an authenticator app needs: the secret, its otpauth URI and the URI as an inline QR
    code (SVG drawn locally; no external service)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=TOTP_ISSUER)
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=TOTP_ISSUER
    )
    return TotpEnrollment(secret=secret, uri=uri, qr_svg=buffer.getvalue().decode("utf-8"))


class SocorgBackend(ModelBackend):
    """``authenticate()`` with the system's login rules. A refusal raises ``PermissionDenied``
    so that no later backend can let the user in. Accounts with two-factor login must pass a
    ``totp_code`` (the admin form has no field for it: such users sign in on the system's own
    login page, and the session then serves the admin site too)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        totp_code: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        result = check_password(username=username, password=password)
        if result.outcome is Outcome.NEEDS_TOTP and result.user is not None:
            if not totp_code:
                raise PermissionDenied(_("该账号已启用动态口令，请在系统登录页登录。"))
            result = check_totp(user=result.user, code=totp_code)
        if not result.ok or result.user is None:
            raise PermissionDenied(result.message)
        method = "password+totp" if totp_code else "password"
        return services.login_success_record(user=result.user, method=method)

    def get_user(self, user_id: int) -> User | None:
        """The session's user with what the layout shows (scope) in the same query. An existing
        session of a demo account ends once demo users are not allowed."""
        found = load_callers(_SESSION_USER_SQL, [user_id])
        user = found[0][0] if found else None
        if user is None or not self.user_can_authenticate(user) or demo_refused(user):
            return None
        return user
