"""Start-up checks: the rule parameters the code needs are in the table.

``check_rule_parameters`` is a deployment check with the tag ``rule_parameters``: ``socorg run``
runs it before starting the web server (``socorg check --deploy --database default`` runs it
too). It is not run by ``socorg migrate``, which loads the missing national defaults itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Q

from socorg.core.access import ADMINISTRATOR_ROLES
from socorg.core.audit import keys
from socorg.core.models import RuleParameter, User
from socorg.core.params import MissingParameter, param_value
from socorg.core.rule_defaults import REQUIRED

TAG = "rule_parameters"
ACCOUNTS_TAG = "accounts"
HINT = "运行 socorg migrate 载入国家默认值，或在管理后台“规则参数”中补充。"


@register(TAG, deploy=True)
def check_rule_parameters(
    app_configs: Sequence[Any] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """An error for every parameter of ``rule_defaults.REQUIRED`` without a row in force today
    for the home jurisdiction (what ``param(key)`` would raise at the first request)."""
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except DatabaseError as exc:
        return [Error(f"无法连接数据库：{exc}", id="socorg.E001")]
    if RuleParameter._meta.db_table not in tables:
        return [Error("规则参数表不存在。", hint=HINT, id="socorg.E002")]
    errors: list[CheckMessage] = []
    for key in sorted(REQUIRED):
        try:
            param_value(key)
        except MissingParameter as exc:
            errors.append(Error(str(exc), hint=HINT, obj=key, id="socorg.E003"))
    return errors


@register("audit_keys", deploy=True)
def check_audit_keys(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Production writes no audit row without its chain key (it is not generated there)."""
    if settings.SOCORG_AUDIT_KEYS_AUTOCREATE or keys.load_ring() is not None:
        return []
    return [
        Error(
            f"审计链密钥文件 {keys.key_file()} 不存在。",
            hint="运行 socorg audit rotate-key 生成密钥（并备份该文件）。",
            id="socorg.E010",
        )
    ]


@register(ACCOUNTS_TAG, deploy=True)
def check_administrator_separation(
    app_configs: Sequence[Any] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """Production: no account holds two of the administrators' powers (三员分立). The
    superuser (the break-glass account) holds no role, and none of the three administrators
    holds Django groups or permissions beside their role."""
    if not settings.PRODUCTION or not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    try:
        both = list(
            User.objects.filter(is_superuser=True)
            .exclude(role="")
            .values_list("username", flat=True)
        )
        extra = list(
            User.objects.filter(role__in=ADMINISTRATOR_ROLES)
            .filter(Q(groups__isnull=False) | Q(user_permissions__isnull=False))
            .values_list("username", flat=True)
            .distinct()
        )
    except DatabaseError:
        return []  # the rule-parameter check reports an unreachable or unmigrated database
    errors: list[CheckMessage] = [
        Error(
            f"超级管理员账号“{name}”同时担任角色，违反三员分立。",
            hint="超级管理员仅作应急账号，请清除其角色，另设系统、安全、审计管理员账号。",
            obj=name,
            id="socorg.E020",
        )
        for name in both
    ]
    errors += [
        Error(
            f"管理员账号“{name}”在角色之外另有用户组或权限，违反三员分立。",
            hint="清除该账号的用户组和单独授予的权限，权限只来自角色。",
            obj=name,
            id="socorg.E021",
        )
        for name in extra
    ]
    return errors
