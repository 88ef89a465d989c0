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

from socorg.core.audit import keys
from socorg.core.models import RuleParameter
from socorg.core.params import MissingParameter, param_value
from socorg.core.rule_defaults import REQUIRED

TAG = "rule_parameters"
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
