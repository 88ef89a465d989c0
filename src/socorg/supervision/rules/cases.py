"""Pure rules of enforcement cases (PN-*): what a notice of intended penalty must carry, when a
penalty may be decided (PN-1: not before the statement period has run, unless the statement
came in and was answered; not before a requested hearing was held), and the documents' text.
Plain values in, messages and text out; no ORM."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

# Penalties that carry the right to a hearing (行政处罚法 §63: suspension, revocation, fines
# and confiscations of a larger amount): every penalty but a warning.
HEARING_PENALTIES = frozenset({"suspension", "revocation", "confiscation", "fine"})


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def penalty_problem(
    penalty: str, fine_amount: Decimal | None, suspension_months: int | None, legal_basis: str
) -> str | None:
    """What a notice or a decision lacks, or None."""
    if not penalty:
        return _("请先填写拟作出的处罚种类。")
    if penalty == "fine" and (fine_amount is None or fine_amount <= 0):
        return _("罚款须填写罚款金额（元）。")
    if penalty == "suspension" and not suspension_months:
        return _("限期停止活动须填写停止活动的期限（月）。")
    if not legal_basis.strip():
        return _("请填写处罚依据。")
    return None


def decision_refusal(
    *,
    today: date,
    penalty: str,
    statement_due_on: date | None,
    hearing_due_on: date | None,
    statement_received_on: date | None,
    statement_answer: str,
    hearing_requested: bool,
    hearing_held_on: date | None,
) -> str | None:
    """PN-1: why a penalty may not be decided today, or None."""
    if statement_received_on is not None and not statement_answer.strip():
        return _("已收到当事人的陈述申辩，请先填写复核意见，再作出处罚决定。")
    if hearing_requested and hearing_held_on is None:
        return _("当事人已申请听证，请在听证结束后再作出处罚决定。")
    if statement_received_on is None and statement_due_on is not None and today <= statement_due_on:
        return _(
            "陈述申辩期限至%(due)s届满，期限届满前不能作出处罚决定"
            "（当事人已提出陈述申辩并经复核的除外）。"
        ) % {"due": _day(statement_due_on)}
    if (
        penalty in HEARING_PENALTIES
        and not hearing_requested
        and statement_received_on is None
        and hearing_due_on is not None
        and today <= hearing_due_on
    ):
        return _("听证申请期限至%(due)s届满，期限届满前不能作出处罚决定。") % {
            "due": _day(hearing_due_on)
        }
    return None


def penalty_text(penalty: str, fine_amount: Decimal | None, suspension_months: int | None) -> str:
    """The penalty in the documents' words (always Chinese: legal documents)."""
    if penalty == "fine":
        return f"罚款人民币{fine_amount:,.2f}元"
    if penalty == "suspension":
        return f"责令限期停止活动{suspension_months}个月"
    return {
        "warning": "警告",
        "revocation": "撤销登记",
        "confiscation": "没收违法所得、非法财产",
    }.get(penalty, penalty)


def notice_paragraphs(
    *,
    facts: str,
    legal_basis: str,
    penalty: str,
    statement_due_on: date,
    hearing_due_on: date | None,
) -> tuple[str, ...]:
    paragraphs = [
        f"经调查，你单位存在以下违法事实：{facts}",
        f"依据{legal_basis}，本机关拟对你单位作出如下行政处罚：{penalty}。",
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你单位有权进行陈述和"
        f"申辩，请于{_day(statement_due_on)}前向本机关提出；逾期未提出的，视为放弃此权利。",
    ]
    if hearing_due_on is not None:
        paragraphs.append(
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你单位有权要求听证，"
            f"请于{_day(hearing_due_on)}前向本机关提出；逾期未提出的，视为放弃此权利。"
        )
    return tuple(paragraphs)


def decision_paragraphs(
    *, facts: str, legal_basis: str, penalty: str, statement: str, answer: str
) -> tuple[str, ...]:
    paragraphs = [f"经查，你单位存在以下违法事实：{facts}"]
    if statement.strip():
        paragraphs.append(f"你单位在法定期限内提出陈述申辩：{statement}。经复核：{answer}")
    else:
        paragraphs.append(
            "本机关已依法告知你单位陈述、申辩和要求听证的权利，你单位在规定期限内未提出。"
        )
    paragraphs += [
        f"依据{legal_basis}，本机关决定对你单位作出如下行政处罚：{penalty}。",
        "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法"
        "向人民法院提起行政诉讼。",
    ]
    return tuple(paragraphs)


def rectification_paragraphs(*, facts: str, requirements: str, due_on: date) -> tuple[str, ...]:
    return (
        f"经查，你单位存在以下问题：{facts}",
        f"请你单位于{_day(due_on)}前完成整改：{requirements}",
        "逾期未整改或者整改不到位的，本机关将依法处理。",
    )
