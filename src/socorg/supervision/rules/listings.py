"""What a credit listing means, in words, for the people who read it (CR-2 … CR-5): the grounds
of a list, each ground's rule explained without rule ids, the evidence as readable lines, and
whether the organization may still answer a notice. A ground's list, rule and dates are
``rules.credit``'s, re-exported here for the pages. Pure functions; no ORM."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from socorg.supervision.models.credit import ListingGround
from socorg.supervision.rules.credit import add_months, delist_earliest, list_of, rule_of

G = ListingGround

__all__ = [
    "add_months",
    "delist_earliest",
    "evidence_lines",
    "ground_explained",
    "grounds_of",
    "list_of",
    "may_respond",
    "rule_of",
]


def grounds_of(list_code: str) -> list[str]:
    """The coded grounds of one list, in declaration order."""
    return [g for g in G.values if list_of(g) == list_code]


def may_respond(*, respond_by: date | None, today: date) -> bool:
    """CR-2 due process: the organization answers a notice up to and including ``respond_by``."""
    return respond_by is not None and today <= respond_by


def ground_explained(ground: str, params: Mapping[str, Any]) -> str:
    """The rule behind ``ground`` in plain words for clerks and organizations (no rule ids),
    with the bureau's current figures ``params`` (``auto_months``, ``clean_years``,
    ``abnormal_years``, ``fine_threshold``, ``warning_count``, ``warning_window_years``)."""
    texts: dict[str, str] = {
        G.ANNUAL_REPORT_NOT_FILED: _(
            "未按规定时限报送年度工作报告的，列入活动异常名录；补报并经核实后，可申请移出。"
        ),
        G.RECTIFICATION_NOT_DONE: _(
            "收到整改通知后未在期限内按要求完成整改的，列入活动异常名录；整改到位后，可申请移出。"
        ),
        G.UNREACHABLE: _(
            "通过登记的住所无法取得联系（两次挂号信间隔一定天数均未签收）的，列入活动异常名录；"
            "列入满 %(months)s 个月自动移出，恢复联系后也可申请移出。"
        )
        % {"months": params.get("auto_months", "")},
        G.ABNORMAL_TWO_YEARS: _(
            "列入活动异常名录满 %(years)s 年仍未移出的，转入严重违法失信名单；"
            "满 %(clean)s 年未再发生失信情形且已履行相关义务的，可以移出。"
        )
        % {"years": params.get("abnormal_years", ""), "clean": params.get("clean_years", "")},
        G.REVOKED: _("被撤销登记或吊销登记证书的，列入严重违法失信名单；完成注销登记后移出。"),
        G.LARGE_FINE: _(
            "受到 %(amount)s 元以上罚款处罚的，列入严重违法失信名单；"
            "满 %(clean)s 年未再发生失信情形的，可以移出。"
        )
        % {"amount": params.get("fine_threshold", ""), "clean": params.get("clean_years", "")},
        G.REPEATED_PENALTIES: _(
            "%(window)s 年内受到 %(count)s 次以上警告或较小数额罚款处罚的，列入严重违法失信名单；"
            "满 %(clean)s 年未再发生失信情形的，可以移出。"
        )
        % {
            "window": params.get("warning_window_years", ""),
            "count": params.get("warning_count", ""),
            "clean": params.get("clean_years", ""),
        },
    }
    if ground in texts:
        return str(texts[ground])
    return _(
        "因“%(ground)s”列入严重违法失信名单；满 %(clean)s 年未再发生失信情形的，可以移出。"
    ) % {"ground": G(ground).label, "clean": params.get("clean_years", "")}


def evidence_lines(evidence: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The evidence of a listing as (label, value) lines, whatever wrote it: the sweep's years
    of missing reports with their due dates, returned letters, the years on the abnormal list,
    the revocation date; a manual listing's facts and the day they happened."""
    lines: list[tuple[str, str]] = []
    years = evidence.get("years")
    if isinstance(years, list) and years:
        lines.append((_("未报送年度"), "、".join(_("%(y)s年度") % {"y": y} for y in years)))
        due = evidence.get("due") or {}
        if isinstance(due, dict) and due:
            lines.append(
                (
                    _("报送截止日期"),
                    "；".join(f"{_('%(y)s年度') % {'y': y}} {d}" for y, d in sorted(due.items())),
                )
            )
    if evidence.get("abnormal_since"):
        lines.append((_("列入活动异常名录日期"), str(evidence["abnormal_since"])))
        if isinstance(years, int):
            lines.append((_("已满年限"), _("%(n)s 年") % {"n": years}))
    letters = evidence.get("letters")
    if isinstance(letters, list) and letters:
        lines.append((_("未签收挂号信寄出日期"), "、".join(str(d) for d in letters)))
    if evidence.get("revoked_on"):
        lines.append((_("撤销登记日期"), str(evidence["revoked_on"])))
    decisions = evidence.get("decisions")
    if isinstance(decisions, list) and decisions:
        lines.append(
            (
                _("行政处罚决定"),
                "；".join(
                    f"{d.get('decision_number', '')}（{d.get('decided_on', '')}）"
                    + (_("，罚款 %(a)s 元") % {"a": d["amount"]} if d.get("amount") else "")
                    for d in decisions
                    if isinstance(d, dict)
                ),
            )
        )
    if evidence.get("on"):
        lines.append((_("事实发生日期"), str(evidence["on"])))
    if evidence.get("text"):
        lines.append((_("事实与依据"), str(evidence["text"])))
    return lines
