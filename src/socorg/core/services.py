"""Writes to user accounts: login bookkeeping (failure counts and throttling), password change
and two-factor set-up.

Each function is keyword-only, runs in one transaction and writes its audit row inside it."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.access import has_perm, require_perm
from socorg.core.audit import audit_record
from socorg.core.models import AuditResult, LoginThrottle, User
from socorg.core.rules.accounts import ThrottleDelays, delay_seconds, totp_matching_step


def login_failure_record(
    *,
    username: str,
    account_key: str,
    address_key: str | None,
    user: User | None,
    delays: ThrottleDelays,
) -> int:
    """Count one failed login under the account name (known or not) and the client address;
    returns the account name's failures in a row. Every failure is audited, for an unknown
    name too (the same work either way: the time taken names no account), and the failure
    that starts a known account's throttling is audited and mailed to its owner."""
    now = timezone.now()
    with transaction.atomic():
        # Names and addresses whose failures are all forgotten leave the table, so guessing
        # many names cannot grow it beyond one window's failures.
        forgotten = now - timedelta(minutes=settings.SOCORG_LOGIN_FAILURE_WINDOW_MINUTES)
        LoginThrottle.objects.filter(last_failure_at__lt=forgotten, blocked_until__lt=now).delete()
        failures = _throttle_fail(account_key, now, free=delays.account_free, cap=delays.cap)
        if address_key:
            _throttle_fail(address_key, now, free=delays.address_free, cap=delays.cap)
        # Nobody is signed in yet: the row names the account as its object, not as actor.
        audit_record(
            actor=None,
            action="user.login_failed",
            obj=user,
            object_type=User._meta.label_lower,
            object_id=user.pk if user is not None else "",
            after={"username": username[:150], "failures": failures},
            result=AuditResult.FAILURE,
        )
        if user is not None and failures == delays.account_free:
            audit_record(
                actor=None,
                action="user.login_throttled",
                obj=user,
                after={"failures": failures},
                result=AuditResult.FAILURE,
            )
            transaction.on_commit(partial(_tell_owner, user, failures))
    return failures


def _throttle_fail(key: str, now: datetime, *, free: int, cap: int) -> int:
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
        key=key, defaults={"last_failure_at": now}
    )
    window = timedelta(minutes=settings.SOCORG_LOGIN_FAILURE_WINDOW_MINUTES)
    if now - row.last_failure_at > window:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    row.blocked_until = now + timedelta(seconds=delay_seconds(row.failures, free=free, cap=cap))
    row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
    return row.failures


def _tell_owner(user: User, failures: int) -> None:
    """Mail the owner (when the account has an address); a mail failure never fails a login."""
    if not user.email:
        return
    subject = _("【社会组织管理平台】账号登录异常提醒")
    body = _(
        "您的账号 %(name)s 已连续 %(n)d 次登录失败，系统已暂缓该账号的登录尝试。"
        "如非本人操作，请尽快联系安全管理员并修改密码。"
    ) % {"name": user.get_username(), "n": failures}
    send_mail(subject, body, None, [user.email], fail_silently=True)


def login_success_record(*, user: User, method: str, account_key: str) -> User:
    """A completed login: the account name's failure count is cleared and the login audited.
    A superuser's login is the break-glass account's and is marked as such.

    ``method`` is ``password`` or ``password+totp``."""
    with transaction.atomic():
        LoginThrottle.objects.filter(key=account_key).delete()
        after: dict[str, object] = {"method": method}
        if user.is_superuser:
            after["break_glass"] = True
        audit_record(actor=user, action="user.login", obj=user, after=after)
    return user


def user_unlock(*, actor: User, user: User, account_key: str) -> User:
    """Lift the login throttle of ``user`` before it runs out (security administrator)."""
    if not (actor.is_superuser or has_perm(actor, "security.unlock_accounts")):
        raise PermissionDenied(_("只有安全管理员可以解除账号的登录限制。"))
    with transaction.atomic():
        row = LoginThrottle.objects.filter(key=account_key).first()
        before = {"failures": row.failures if row else 0}
        LoginThrottle.objects.filter(key=account_key).delete()
        audit_record(actor=actor, action="user.unlock", obj=user, before=before)
    return user


def logout_record(*, user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="user.logout", obj=user)


def totp_code_accept(*, user: User, secret: str, code: str) -> bool:
    """True when ``code`` is the code of the current 30-second step or a neighbour (clock
    drift) and no code of that step or a later one was accepted before: the step is recorded
    with a conditional UPDATE, so a code works once, even for two requests at the same time."""
    step = totp_matching_step(secret, code, timezone.now())
    if step is None:
        return False
    fresh = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    if not User.objects.filter(fresh, pk=user.pk).update(totp_last_step=step):
        return False
    user.totp_last_step = step
    return True


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The owner changes their password (MLPS-1): the old one must be right, the new one must
    differ and pass the policy; clears a forced change. Audited without the password."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("原密码不正确。")]})
    if old_password == new_password:
        raise ValidationError({"new_password1": [_("新密码不能与原密码相同。")]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_record(actor=user, action="user.password_change", obj=user)
    return user


def totp_enable(*, user: User, secret: str, code: str) -> User:
    """Turn on two-factor login with ``secret`` once the user proves their app shows ``code``."""
    if user.totp_enabled:
        raise ValidationError(_("动态口令已经启用。"))
    if not totp_code_accept(user=user, secret=secret, code=code):
        raise ValidationError({"code": [_("动态口令不正确，请核对手机上显示的 6 位数字后重试。")]})
    with transaction.atomic():
        user.totp_secret = secret
        user.totp_enabled = True
        user.save(update_fields=["totp_secret", "totp_enabled"])
        audit_record(actor=user, action="user.totp_enable", obj=user, after={"totp_enabled": True})
    return user


def totp_disable(*, user: User, code: str) -> User:
    """Turn off two-factor login; needs a current code so a walk-up session cannot do it."""
    if not user.totp_enabled:
        raise ValidationError(_("动态口令尚未启用。"))
    if not totp_code_accept(user=user, secret=user.totp_secret, code=code):
        raise ValidationError({"code": [_("动态口令不正确，请核对手机上显示的 6 位数字后重试。")]})
    with transaction.atomic():
        user.totp_secret = ""
        user.totp_enabled = False
        user.save(update_fields=["totp_secret", "totp_enabled"])
        audit_record(
            actor=user, action="user.totp_disable", obj=user, after={"totp_enabled": False}
        )
    return user


def audit_export_record(*, actor: User, filters: dict[str, object], row_count: int) -> None:
    """Record an export of the audit log: who took which audit rows out of the system."""
    require_perm(actor, "audit.export")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="audit.export",
            object_type="core.auditlog",
            object_id="export",
            after={"filters": filters, "rows": row_count},
        )
