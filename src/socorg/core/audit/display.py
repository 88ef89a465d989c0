"""Audit rows as the audit administrator reads them: the action and the object in words, and
before/after as field labels with choice labels ("状态：待受理 → 已受理"), not ids or raw JSON.

Labels come from the models (``verbose_name``, ``choices``, looked up by the row's
``object_type`` in the app registry) and from the workflow declarations (state and action
labels), so core names no app."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.core.models import AuditLog, AuditResult, Role
from socorg.core.workflow import Process, all_processes

# Keys of before/after that are not model fields.
KEY_LABELS: dict[str, Any] = {
    "state": gettext_lazy("状态"),
    "comment": gettext_lazy("意见"),
    "failed_logins": gettext_lazy("连续失败次数"),
    "locked_until": gettext_lazy("锁定至"),
    "key_id": gettext_lazy("密钥编号"),
    "filters": gettext_lazy("筛选条件"),
    "rows": gettext_lazy("行数"),
    "removed": gettext_lazy("清理条数"),
    "through_seq": gettext_lazy("清理至序号"),
    "before": gettext_lazy("清理日期之前"),
    "method": gettext_lazy("登录方式"),
    # counts of a demo load
    "organizations": gettext_lazy("社会组织"),
    "persons": gettext_lazy("人员"),
    "terms": gettext_lazy("届次"),
    "principals": gettext_lazy("负责人"),
    "events": gettext_lazy("大事记"),
    "former_names": gettext_lazy("曾用名"),
    "branches": gettext_lazy("分支机构"),
    "responsibilities": gettext_lazy("管理职责"),
    "users": gettext_lazy("用户"),
    "name_keys": gettext_lazy("名称索引"),
    "applications": gettext_lazy("登记申请"),
}
# Coded values of those keys.
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "method": {
        "password": gettext_lazy("密码"),
        "password+totp": gettext_lazy("密码和动态口令"),
    },
}
# What the last part of an action code says, when no workflow declares it.
VERBS: dict[str, Any] = {
    "create": gettext_lazy("新建"),
    "register": gettext_lazy("登记"),
    "update": gettext_lazy("修改"),
    "change": gettext_lazy("修改"),
    "correct": gettext_lazy("更正"),
    "propose": gettext_lazy("提出更正"),
    "delete": gettext_lazy("删除"),
    "deregister": gettext_lazy("注销"),
    "export": gettext_lazy("导出"),
    "coverage_export": gettext_lazy("导出覆盖情况"),
    "import": gettext_lazy("导入"),
    "import_submit": gettext_lazy("提交导入"),
    "submit": gettext_lazy("提交"),
    "file": gettext_lazy("报送"),
    "apply": gettext_lazy("申请"),
    "store": gettext_lazy("上传"),
    "login": gettext_lazy("登录"),
    "login_failed": gettext_lazy("登录失败"),
    "logout": gettext_lazy("退出登录"),
    "locked": gettext_lazy("账号锁定"),
    "unlock": gettext_lazy("账号解锁"),
    "totp_enable": gettext_lazy("启用动态口令"),
    "totp_disable": gettext_lazy("停用动态口令"),
    "password_change": gettext_lazy("修改密码"),
    "revoke": gettext_lazy("吊销"),
    "escalate": gettext_lazy("督办"),
    "material": gettext_lazy("补充材料"),
    "consulted_departments": gettext_lazy("确定征求意见部门"),
    "principals_file": gettext_lazy("备案负责人"),
    "key_rotated": gettext_lazy("更换审计链密钥"),
    "purge": gettext_lazy("清理过期审计记录"),
    "load": gettext_lazy("载入演示数据"),
    "scale": gettext_lazy("生成规模数据"),
}
OBJECT_LABELS: dict[str, Any] = {
    "core.auditkey": gettext_lazy("审计链密钥"),
    "core.auditlog": gettext_lazy("审计日志"),
}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    row: AuditLog
    actor_label: str
    action_label: str
    object_label: str
    role_label: str
    result_label: str
    failed: bool
    changes: list[Change]


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _process_of(action: str, processes: dict[str, Process]) -> Process | None:
    name = action.rsplit(".", 1)[0]
    return processes.get(name)


def object_label(object_type: str) -> str:
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def action_label(action: str, processes: dict[str, Process]) -> str:
    process = _process_of(action, processes)
    verb = action.rsplit(".", 1)[-1]
    if process is not None:
        for act in process.actions:
            if act.name == verb:
                return f"{process.label}：{act.label}"
    if verb in VERBS:
        return str(VERBS[verb])
    return action


def _plain(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dict):
        return "；".join(f"{KEY_LABELS.get(k, k)}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    return str(value)


def value_label(
    key: str, value: Any, model: type[models.Model] | None, process: Process | None
) -> str:
    """A value as a clerk reads it: choice labels, workflow state labels, '是/否', '—'."""
    if key == "state" and process is not None and isinstance(value, str):
        return process.state_label(value)
    if key in VALUE_LABELS and isinstance(value, str) and value in VALUE_LABELS[key]:
        return str(VALUE_LABELS[key][value])
    field = _field(model, key)
    if field is not None and field.choices and not isinstance(value, (dict, list)):
        return str(dict(field.flatchoices).get(value, _plain(value)))
    if field is not None and field.is_relation and value not in (None, ""):
        return f"{field.related_model._meta.verbose_name} #{value}"  # type: ignore[union-attr]
    return _plain(value)


def key_label(key: str, model: type[models.Model] | None) -> str:
    if key in KEY_LABELS:
        return str(KEY_LABELS[key])
    field = _field(model, key)
    if field is not None:
        return str(field.verbose_name)
    return str(KEY_LABELS.get(key, key))


def changes(row: AuditLog, processes: dict[str, Process]) -> list[Change]:
    model = _model(row.object_type)
    process = _process_of(row.action, processes)
    before = row.before if isinstance(row.before, dict) else {}
    after = row.after if isinstance(row.after, dict) else {}
    found = []
    for key in dict.fromkeys([*before, *after]):
        old = value_label(key, before.get(key), model, process) if key in before else EMPTY
        new = value_label(key, after.get(key), model, process) if key in after else EMPTY
        if old != EMPTY or new != EMPTY:
            found.append(Change(label=key_label(key, model), before=old, after=new))
    return found


def describe(rows: Iterable[AuditLog]) -> list[AuditEntry]:
    processes = all_processes()
    roles = dict(Role.choices)
    results = dict(AuditResult.choices)
    return [
        AuditEntry(
            row=row,
            actor_label=row.actor_name if row.actor_id or row.actor_name != "system" else _("系统"),
            action_label=action_label(row.action, processes),
            object_label=object_label(row.object_type),
            role_label=str(roles.get(row.actor_role, row.actor_role or EMPTY)),
            result_label=str(results.get(row.result, row.result)),
            failed=row.result == AuditResult.FAILURE,
            changes=changes(row, processes),
        )
        for row in rows
    ]


def audit_action_choices() -> list[tuple[str, str]]:
    """What the search offers: each declared workflow action (``act:``) and each known verb
    (``verb:``, any object)."""
    found: list[tuple[str, str]] = []
    for name, process in all_processes().items():
        for act in process.actions:
            found.append((f"act:{name}.{act.name}", f"{process.label}：{act.label}"))
    found.sort(key=lambda item: item[1])
    by_label: dict[str, list[str]] = {}
    for verb, label in VERBS.items():
        by_label.setdefault(str(label), []).append(verb)
    verbs = sorted(
        ((f"verb:{','.join(v)}", label) for label, v in by_label.items()), key=lambda i: i[1]
    )
    return verbs + found
