"""Display helpers of the registry's pages: ages, badge colours, event details."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from socorg.core.models import Role
from socorg.core.workflow import UnknownAction
from socorg.registry import selectors
from socorg.registry.models import CorrectionState, OrganizationEvent, Responsibility
from socorg.registry.processes import DATA_CORRECTION

register = template.Library()


@register.filter
def age(birth_date: date | None) -> int | str:
    """Full years of age today."""
    if birth_date is None:
        return ""
    today = timezone.localdate()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


# Labels of detail keys that are not registry fields.
DETAIL_LABELS = {
    "authority": _("登记机关区划代码"),
    "correction": _("更正编号"),
    "certificate": _("证书编号"),
    "application": _("申请编号"),
    "case": _("案件编号"),
    "from": _("变更前"),
    "to": _("变更后"),
}


@register.filter
def event_details(event: OrganizationEvent) -> list[str]:
    """The coded details of an event as lines a clerk can read: a correction's fields as
    'label：before → after', anything else as 'label：value'."""
    details: dict[str, Any] = event.details or {}
    if "fields" in details:
        before, after = details.get("before", {}), details.get("after", {})
        return [
            f"{selectors.field_label(f)}：{selectors.field_display(f, before.get(f))} → "
            f"{selectors.field_display(f, after.get(f))}"
            for f in details["fields"]
        ]
    return [
        f"{DETAIL_LABELS.get(k) or selectors.field_label(k)}：{selectors.field_display(k, v)}"
        for k, v in details.items()
        if not isinstance(v, dict | list)
    ]


@register.filter
def field_labels(changes: dict[str, Any]) -> str:
    """The Chinese labels of a correction's fields, joined."""
    return "、".join(selectors.field_label(name) for name in changes)


@register.filter
def role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


AUDIT_ACTIONS = {
    "organization.create": _("录入登记信息"),
    "organization.correct": _("数据更正生效"),
    "organization.export": _("导出名录"),
    "organization.profile_export": _("导出登记档案"),
    "data_correction.propose": _("提出数据更正"),
    "data_correction.approve": _("批准数据更正"),
    "data_correction.reject": _("驳回数据更正"),
    "data_correction.withdraw": _("撤回数据更正"),
}


@register.filter
def audit_action_label(action: str) -> str:
    label = AUDIT_ACTIONS.get(action)
    return f"{label}（{action}）" if label else action


@register.filter
def compact_json(value: Any, limit: int = 240) -> str:
    if value in (None, {}, []):
        return "—"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register.simple_tag
def responsibility_badge(item: Responsibility) -> str:
    """Whether a responsibility is in force today, as a badge."""
    today = timezone.localdate()
    if item.effective_from > today:
        label, colour = _("未生效"), "info"
    elif item.effective_to is not None and item.effective_to < today:
        label, colour = _("已终止"), "secondary"
    else:
        label, colour = _("有效"), "success"
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)


@register.filter
def state_label(state: str) -> str:
    """The Chinese label of a data-correction state."""
    return str(dict(CorrectionState.choices).get(state, state))


@register.filter
def correction_action_label(action: str) -> str:
    try:
        return str(DATA_CORRECTION.action(action).label)
    except UnknownAction:
        return action
