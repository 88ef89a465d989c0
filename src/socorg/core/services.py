"""Writes to user accounts: login bookkeeping (failure counter, lockout) and two-factor set-up.

Each function is keyword-only, runs in one transaction and writes its audit row inside it."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.access import require_perm
from socorg.core.audit import audit_record
from socorg.core.models import AuditResult, Role, User


def login_failure_record(*, user: User) -> User:
    """Count one failed login; at ``SOCORG_LOGIN_MAX_FAILURES`` lock the account for
    ``SOCORG_LOGIN_LOCK_MINUTES`` and start counting again from zero.

    The increment is one UPDATE so that concurrent failures are all counted."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        # Nobody is signed in yet: the row names the account as its object, not as the actor.
        audit_record(
            actor=None,
            action="user.login_failed",
            obj=user,
            after={"failed_logins": user.failed_logins},
            result=AuditResult.FAILURE,
        )
        if user.failed_logins >= settings.SOCORG_LOGIN_MAX_FAILURES:
            _lock(user)
    return user


def _lock(user: User) -> None:
    failures = user.failed_logins
    user.locked_until = timezone.now() + timedelta(minutes=settings.SOCORG_LOGIN_LOCK_MINUTES)
    user.failed_logins = 0
    user.save(update_fields=["locked_until", "failed_logins"])
    audit_record(
        actor=None,
        action="user.locked",
        obj=user,
        after={"failed_logins": failures, "locked_until": user.locked_until.isoformat()},
        result=AuditResult.FAILURE,
    )


def login_success_record(*, user: User, method: str) -> User:
    """A completed login: the failure counter and any expired lock are cleared.

    ``method`` is ``password`` or ``password+totp``."""
    with transaction.atomic():
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
        audit_record(actor=user, action="user.login", obj=user, after={"method": method})
    return user


def user_unlock(*, actor: User, user: User) -> User:
    """Lift a login lock before it runs out (system administrators only)."""
    if not (actor.is_superuser or actor.role == Role.ADMINISTRATOR):
        raise PermissionDenied(_("只有系统管理员可以解除账号锁定。"))
    with transaction.atomic():
        before = {"failed_logins": user.failed_logins, "locked_until": user.locked_until}
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
        audit_record(actor=actor, action="user.unlock", obj=user, before=before)
    return user


def logout_record(*, user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="user.logout", obj=user)


def totp_code_is_valid(secret: str, code: str) -> bool:
    """A six-digit code from the current 30-second step or its neighbours (clock drift)."""
    code = code.strip().replace(" ", "")
    if not (secret and len(code) == 6 and code.isdigit()):
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1)


def totp_enable(*, user: User, secret: str, code: str) -> User:
    """Turn on two-factor login with ``secret`` once the user proves their app shows ``code``."""
    if user.totp_enabled:
        raise ValidationError(_("动态口令已经启用。"))
    if not totp_code_is_valid(secret, code):
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
    if not totp_code_is_valid(user.totp_secret, code):
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
