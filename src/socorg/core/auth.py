"""Login rules, shared by the system's login page and every other ``authenticate()`` caller
(the admin site included) through :class:`SocorgBackend` (GB/T 22239-2019 8.1.4.1).

In order: a throttled account name or client address is refused; an unknown user or a wrong
password is refused and counted. These three get the same message and the same work (the
password hasher runs in every case), so the answer tells nobody which usernames exist. Past a
few free failures, each further failure doubles the wait of the account name and of the
address (``SOCORG_LOGIN_*`` settings); nothing locks an account for good, and the owner is told
when its throttling starts. Then: an inactive account is refused, a demo account is refused
where demo users are not allowed (production), and an account with two-factor login needs its
six-digit code as a second step (each code works once). Administrators (the superuser and the
three administrators) must use two-factor login, and so must all staff when MLPS-3 says so: a
session of such a user without it may only set it up."""

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
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import services
from socorg.core.access import (
    ADMINISTRATOR_ROLES,
    DEPARTMENT_ROLES,
    JURISDICTION_ROLES,
    caller_sql,
    load_callers,
)
from socorg.core.models import LoginThrottle, User
from socorg.core.params import param
from socorg.core.passwords import password_is_expired
from socorg.core.rules.accounts import ThrottleDelays

BACKEND_PATH = "socorg.core.auth.SocorgBackend"
# A session's user, with the scope and what the layout shows, in one statement.
_SESSION_USER_SQL = caller_sql(where="u.id = %s")

# What a session owes before it may do anything else (``SessionPolicyMiddleware``).
OWES_PASSWORD_CHANGE = "socorg_owes_password_change"
OWES_TOTP_SETUP = "socorg_owes_totp_setup"


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
    """The one answer to an unknown user, a wrong password and a throttled attempt."""
    return _("用户名或密码错误，或登录尝试过于频繁。请核对后稍候再试。")


def demo_refused_message() -> str:
    return _("演示账号不可在生产环境登录。")


def demo_refused(user: User) -> bool:
    return user.is_demo and not settings.SOCORG_DEMO_USERS_ALLOWED


def find_user(username: str) -> User | None:
    return User.objects.filter(username=username.strip()).first()


def throttle_delays() -> ThrottleDelays:
    return ThrottleDelays(
        account_free=settings.SOCORG_LOGIN_FREE_FAILURES,
        address_free=settings.SOCORG_LOGIN_ADDRESS_FREE_FAILURES,
        cap=settings.SOCORG_LOGIN_MAX_DELAY_SECONDS,
    )


def account_key(username: str) -> str:
    return "account:" + username.strip().lower()[:150]


def address_key(address: str | None) -> str | None:
    return f"address:{address}" if address else None


def throttled(username: str, address: str | None) -> bool:
    """Whether the account name or the client address is still waiting after failures."""
    keys = [k for k in (account_key(username), address_key(address)) if k]
    until = LoginThrottle.objects.filter(key__in=keys).aggregate(until=Max("blocked_until"))
    return bool(until["until"] and until["until"] > timezone.now())


def client_address(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _record_failure(username: str, address: str | None, user: User | None) -> None:
    services.login_failure_record(
        username=username,
        account_key=account_key(username),
        address_key=address_key(address),
        user=user,
        delays=throttle_delays(),
    )


def check_password(*, username: str, password: str, address: str | None = None) -> LoginResult:
    """The first step of a login. Counts a failure under the name and the address."""
    username = username.strip()
    user = find_user(username) if username else None
    if not username or throttled(username, address):
        make_password(password)  # the same work as a real check: timing reveals nothing
        return _refused(wrong_credentials_message())
    if user is None:
        make_password(password)
        _record_failure(username, address, None)
        return _refused(wrong_credentials_message())
    if not user.check_password(password):
        _record_failure(username, address, user)
        return _refused(wrong_credentials_message(), user)
    return _after_password(user)


def _after_password(user: User) -> LoginResult:
    if not user.is_active:
        return _refused(_("该账号已停用，请联系系统管理员。"), user)
    if demo_refused(user):
        return _refused(demo_refused_message(), user)
    if user.totp_enabled:
        return LoginResult(Outcome.NEEDS_TOTP, user)
    return LoginResult(Outcome.OK, user)


def check_totp(*, user: User, code: str, address: str | None = None) -> LoginResult:
    """The second step: a wrong or reused code counts as a failed login, like a wrong
    password."""
    user.refresh_from_db()
    if not user.is_active or demo_refused(user) or not user.totp_enabled:
        return _refused(_("登录已失效，请重新输入用户名和密码。"), user)
    if throttled(user.get_username(), address):
        return _refused(wrong_credentials_message(), user)
    if not services.totp_code_accept(user=user, secret=user.totp_secret, code=code):
        _record_failure(user.get_username(), address, user)
        return _refused(_("动态口令不正确或已使用过，请输入手机验证器当前显示的 6 位数字。"), user)
    return LoginResult(Outcome.OK, user)


def totp_required(user: User) -> bool:
    """Administrators always log in with two factors; all bureau and department staff when
    MLPS-3 says so (organization accounts, experts and third parties are not staff)."""
    if user.is_superuser or user.role in ADMINISTRATOR_ROLES:
        return True
    staff = user.role in JURISDICTION_ROLES or user.role in DEPARTMENT_ROLES
    return staff and bool(param("MLPS-3.totp_required_for_all_staff"))


def previous_failures(user: User) -> int:
    """Failed attempts on the account since its last login (shown once the owner is in)."""
    row = LoginThrottle.objects.filter(key=account_key(user.get_username())).first()
    return row.failures if row else 0


def complete_login(request: HttpRequest, user: User, *, method: str) -> None:
    """Record the login (throttle cleared, audit row), start the session and note what the
    session owes first: a password change (expired or reset by an administrator, MLPS-1) or
    the set-up of two-factor login (MLPS-3)."""
    services.login_success_record(
        user=user, method=method, account_key=account_key(user.get_username())
    )
    login(request, user, backend=BACKEND_PATH)
    if user.must_change_password or password_is_expired(user):
        request.session[OWES_PASSWORD_CHANGE] = True
    if not user.totp_enabled and totp_required(user):
        request.session[OWES_TOTP_SETUP] = True


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
        address = client_address(request)
        result = check_password(username=username, password=password, address=address)
        if result.outcome is Outcome.NEEDS_TOTP and result.user is not None:
            if not totp_code:
                raise PermissionDenied(_("该账号已启用动态口令，请在系统登录页登录。"))
            result = check_totp(user=result.user, code=totp_code, address=address)
        if not result.ok or result.user is None:
            raise PermissionDenied(result.message)
        if not result.user.totp_enabled and totp_required(result.user):
            # The admin site has no set-up step: such an account signs in on the system's
            # login page, which holds the session to the set-up.
            raise PermissionDenied(_("该账号须先启用动态口令，请在系统登录页登录。"))
        if result.user.must_change_password or password_is_expired(result.user):
            raise PermissionDenied(_("该账号须先修改密码，请在系统登录页登录。"))
        method = "password+totp" if totp_code else "password"
        return services.login_success_record(
            user=result.user, method=method, account_key=account_key(result.user.get_username())
        )

    def get_user(self, user_id: int) -> User | None:
        """The session's user with what the layout shows (scope) in the same query. An existing
        session of a demo account ends once demo users are not allowed."""
        found = load_callers(_SESSION_USER_SQL, [user_id])
        user = found[0][0] if found else None
        if user is None or not self.user_can_authenticate(user) or demo_refused(user):
            return None
        return user
