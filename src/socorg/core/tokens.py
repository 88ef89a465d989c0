"""API bearer tokens: create, authenticate, revoke.

Only the SHA-256 of a token and its first eight characters (the prefix, to name it when revoking)
are stored; the token itself is shown once, when it is created."""

from __future__ import annotations

import hashlib
import secrets
import string
from datetime import UTC, datetime, timedelta
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.access import caller_sql, load_callers
from socorg.core.audit import audit_record
from socorg.core.auth import demo_refused
from socorg.core.models import ApiToken, User

TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 40
PREFIX_LENGTH = 8
# ``last_used_at`` is refreshed at most this often, so reads do not turn into writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_create(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the raw token (shown once, never stored)."""
    if not user.is_active:
        raise ValidationError({"user": [_("该用户已停用，不能创建接口令牌。")]})
    if demo_refused(user):
        raise ValidationError({"user": [_("演示账号在生产环境不能创建接口令牌。")]})
    with transaction.atomic():
        raw = _new_raw_token()
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:60], prefix=raw[:PREFIX_LENGTH], key_hash=hash_key(raw)
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            after={"user": user.get_username(), "name": token.name, "prefix": token.prefix},
        )
    return token, raw


def _new_raw_token() -> str:
    """A random token whose prefix no active token shares, so a prefix names one token."""
    while True:
        raw = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
        if not ApiToken.objects.filter(
            prefix=raw[:PREFIX_LENGTH], revoked_at__isnull=True
        ).exists():
            return raw


def token_authenticate(raw: str) -> User | None:
    """The active user holding the unrevoked token ``raw``, or None (also for a demo account
    where demo users are not allowed: production refuses them on every channel).

    Refreshing ``last_used_at`` is bookkeeping, not a change of record, so it is not audited."""
    raw = raw.strip()
    if not raw or len(raw) > 200:
        return None
    found = load_callers(_token_sql(), [hash_key(raw)], related=())
    if not found:
        return None
    user, (token_id, last_used_at) = found[0]
    if demo_refused(user):
        return None
    now = timezone.now()
    if last_used_at is None or now - _aware(last_used_at) > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


@cache
def _token_sql() -> str:
    """The token's active user, the token's id and last use, and whether the user's scope is the
    whole jurisdiction tree: one query for everything a token request needs to know first."""
    return caller_sql(
        extra_columns="t.id, t.last_used_at",
        joins=f'JOIN "{ApiToken._meta.db_table}" t ON t.user_id = u.id',
        where="t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active",
        related=(),
    )


def _aware(value: datetime | str) -> datetime:
    """A timestamp read by plain SQL: SQLite gives text, naive in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def token_revoke(*, prefix: str, actor: User | None = None) -> ApiToken:
    """Revoke the one active token whose value starts with ``prefix``."""
    prefix = prefix.strip()
    with transaction.atomic():
        matches = list(
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(prefix=prefix[:PREFIX_LENGTH], revoked_at__isnull=True)
        )
        if not prefix or not matches:
            raise ValidationError({"prefix": [_("没有以“%(p)s”开头的有效令牌。") % {"p": prefix}]})
        if len(matches) > 1:
            raise ValidationError({"prefix": [_("前缀“%(p)s”对应多个有效令牌。") % {"p": prefix}]})
        token = matches[0]
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            before={"revoked_at": None},
            after={
                "user": token.user.get_username(),
                "prefix": token.prefix,
                "revoked_at": token.revoked_at,
            },
        )
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at"))
