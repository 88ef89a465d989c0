"""Annual-report rules (AR-*, RG-12): what each organization type reports, who must file for a
year and by when. Pure functions of plain values; the parameters come from the caller.

``FIELDS`` is the report's data dictionary: every value of ``AnnualReport.data`` is one of
these, keyed by ``key``, of its ``kind`` and within its bounds. The form, the API schema, the
consistency checks, the demo data and the dashboards all read it, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

SOCIAL_GROUP = "social_group"
SOCIAL_SERVICE_AGENCY = "social_service_agency"
FOUNDATION = "foundation"
ALL_TYPES = frozenset({SOCIAL_GROUP, SOCIAL_SERVICE_AGENCY, FOUNDATION})

# Largest amount a report may state (元): above any real organization's, below overflow.
MONEY_MAX = 10**12
COUNT_MAX = 10**7


@dataclass(frozen=True)
class Section:
    key: str
    label: StrOrPromise


@dataclass(frozen=True)
class Field:
    """One value of the report. ``kind``: ``money`` (元, 2 decimals, ≥ 0), ``count`` (whole
    number ≥ 0), ``flag`` (yes/no), ``text`` (one line, ``max_length``), ``long_text``,
    ``choice`` (one of ``choices``)."""

    section: str
    key: str
    label: StrOrPromise
    kind: str
    types: frozenset[str] = ALL_TYPES
    required: bool = True
    max_length: int = 0
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    help: StrOrPromise = ""


SECTIONS = (
    Section("basics", _("基本情况")),
    Section("governance", _("内部治理")),
    Section("balance_sheet", _("资产负债表")),
    Section("activities_statement", _("业务活动表")),
    Section("cash_flow", _("现金流量表")),
    Section("foundation_ratios", _("基金会公益支出")),
    Section("staff", _("人员与志愿者")),
    Section("activities", _("业务活动")),
    Section("disclosure", _("信息公开")),
    Section("party_building", _("党建工作")),
)

YES_LABEL = _("是")
NO_LABEL = _("否")

SG = frozenset({SOCIAL_GROUP})
FD = frozenset({FOUNDATION})
NOT_FD = frozenset({SOCIAL_GROUP, SOCIAL_SERVICE_AGENCY})

BRANCH_CHOICES = (
    ("independent", _("单独建立党组织")),
    ("joint", _("联合建立党组织")),
    ("none", _("未建立党组织")),
)

FIELDS: tuple[Field, ...] = (
    # basics
    Field("basics", "office_address", _("办公地址"), "text", max_length=200),
    Field("basics", "contact_person", _("联系人"), "text", max_length=30),
    Field("basics", "contact_phone", _("联系电话"), "text", max_length=30),
    Field("basics", "individual_members", _("个人会员数"), "count", SG),
    Field("basics", "unit_members", _("单位会员数"), "count", SG),
    # governance
    Field("governance", "general_meetings", _("会员（代表）大会召开次数"), "count", SG),
    Field("governance", "board_meetings", _("理事会召开次数"), "count"),
    Field("governance", "supervisor_meetings", _("监事（会）会议次数"), "count", required=False),
    Field("governance", "election_held", _("本年是否按期换届"), "flag"),
    Field("governance", "changes_registered", _("登记事项变更是否均已办理登记"), "flag"),
    Field("governance", "charter_followed", _("是否按照章程开展活动"), "flag"),
    # balance sheet (AR: the balance sheet balances)
    Field("balance_sheet", "total_assets", _("资产总计"), "money"),
    Field("balance_sheet", "total_liabilities", _("负债合计"), "money"),
    Field("balance_sheet", "net_assets", _("净资产合计"), "money"),
    # statement of activities: income by source, spending by kind (totals add up)
    Field("activities_statement", "income_dues", _("会费收入"), "money", SG),
    Field("activities_statement", "income_donations", _("捐赠收入"), "money"),
    Field("activities_statement", "income_government_grants", _("政府补助收入"), "money"),
    Field("activities_statement", "income_service_purchase", _("政府购买服务收入"), "money"),
    Field("activities_statement", "income_services", _("提供服务收入"), "money"),
    Field("activities_statement", "income_other", _("其他收入"), "money"),
    Field("activities_statement", "total_income", _("收入合计"), "money"),
    Field("activities_statement", "expense_programs", _("业务活动成本"), "money"),
    Field("activities_statement", "expense_admin", _("管理费用"), "money"),
    Field("activities_statement", "expense_fundraising", _("筹资费用"), "money"),
    Field("activities_statement", "expense_other", _("其他费用"), "money"),
    Field("activities_statement", "total_expenses", _("费用合计"), "money"),
    Field("activities_statement", "staff_costs", _("其中：工作人员工资福利"), "money"),
    # cash flow (begin + inflow − outflow = end)
    Field("cash_flow", "cash_begin", _("年初现金余额"), "money"),
    Field("cash_flow", "cash_inflow", _("现金流入小计"), "money"),
    Field("cash_flow", "cash_outflow", _("现金流出小计"), "money"),
    Field("cash_flow", "cash_end", _("年末现金余额"), "money"),
    # foundations: RG-12
    Field("foundation_ratios", "public_fundraising", _("是否具有公开募捐资格"), "flag", FD),
    Field("foundation_ratios", "prior_year_income", _("上年度总收入"), "money", FD),
    Field("foundation_ratios", "prior_year_end_balance", _("上年末基金余额"), "money", FD),
    Field("foundation_ratios", "charitable_spending", _("本年用于公益事业的支出"), "money", FD),
    # staff and volunteers
    Field("staff", "full_time_staff", _("专职工作人员数"), "count"),
    Field("staff", "part_time_staff", _("兼职工作人员数"), "count", required=False),
    Field("staff", "volunteers", _("注册志愿者数"), "count", required=False),
    Field("staff", "volunteer_hours", _("志愿服务时长（小时）"), "count", required=False),
    # activities (AR-3: no activity at all, or against the non-profit purpose, fails)
    Field("activities", "activities_held", _("本年开展活动次数"), "count"),
    Field("activities", "beneficiaries", _("服务对象（人次）"), "count", required=False),
    Field("activities", "major_activities", _("主要业务活动情况"), "long_text", max_length=2000),
    Field("activities", "profit_distributed", _("是否存在分配或变相分配财产的情形"), "flag"),
    # disclosure
    Field("disclosure", "disclosed", _("是否按规定公开年度报告等信息"), "flag"),
    Field(
        "disclosure",
        "disclosure_channel",
        _("信息公开渠道"),
        "text",
        required=False,
        max_length=200,
    ),
    # party building (the branch records of the party app read these answers)
    Field("party_building", "party_branch", _("党组织建立情况"), "choice", choices=BRANCH_CHOICES),
    Field("party_building", "party_members", _("党员人数"), "count"),
    Field("party_building", "full_time_party_members", _("其中专职人员中的党员"), "count"),
    Field("party_building", "has_instructor", _("是否有党建工作指导员"), "flag"),
    Field(
        "party_building",
        "no_branch_reason",
        _("未建立党组织的原因"),
        "long_text",
        required=False,
        max_length=500,
        help=_("未建立党组织的须说明原因"),
    ),
)

# Figures copied into the report's columns (``AnnualReport.total_income`` …) on every save.
COLUMN_FIGURES = ("total_income", "total_expenses", "net_assets", "activities_held")


@cache
def fields_for(org_type: str) -> tuple[Field, ...]:
    """The fields the type reports, in form order (``FIELDS`` is fixed: computed once)."""
    return tuple(f for f in FIELDS if org_type in f.types)


# --- values and their checks ---------------------------------------------------------------------

INCOME_LINES = (
    "income_dues",
    "income_donations",
    "income_government_grants",
    "income_service_purchase",
    "income_services",
    "income_other",
)
EXPENSE_LINES = ("expense_programs", "expense_admin", "expense_fundraising", "expense_other")
CENT = Decimal("0.01")
_TRUE = frozenset({True, "true", "True", "1", "yes", "on"})
_FALSE = frozenset({False, "false", "False", "0", "no", "off"})


class AutoFail(models.TextChoices):
    """AR-3: grounds on which a report can only fail."""

    FALSIFIED = "falsified", _("提供虚假材料")
    NO_ACTIVITY = "no_activity", _("本年未开展任何业务活动")
    AGAINST_PURPOSE = "against_purpose", _("存在分配或变相分配财产等违背非营利性的情形")


class FlagCode(models.TextChoices):
    """RG-12's ratios, shown to the reviewers and the organization; they do not block filing."""

    SPENDING_LOW = "spending_low", _("公益事业支出低于规定比例")
    STAFF_ADMIN_HIGH = "staff_admin_high", _("工资福利和管理费用占总支出的比例高于规定上限")


def field_map(org_type: str) -> dict[str, Field]:
    return {f.key: f for f in fields_for(org_type)}


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_value(field: Field, raw: Any) -> tuple[Any, str | None]:
    """The stored form of one value (money as a string with two decimals, counts as ints,
    flags as booleans, texts stripped) or the reason it cannot be one. ``raw`` is not blank."""
    if field.kind == "money":
        return _parse_money(raw)
    if field.kind == "count":
        return _parse_count(raw)
    if field.kind == "flag":
        if isinstance(raw, (bool, str)) and raw in _TRUE:
            return True, None
        if isinstance(raw, (bool, str)) and raw in _FALSE:
            return False, None
        return None, str(_("请选择“是”或“否”。"))
    if not isinstance(raw, str):
        return None, str(_("请填写文字。"))
    text = raw.strip()
    if field.kind == "choice":
        if text not in {key for key, _label in field.choices}:
            return None, str(_("请从列表中选择。"))
        return text, None
    if field.kind == "text" and ("\n" in text or "\r" in text):
        return None, str(_("请填写在一行内。"))
    if field.max_length and len(text) > field.max_length:
        return None, str(
            _("不能超过 %(n)s 个字（当前 %(len)s 个）。")
            % {"n": field.max_length, "len": len(text)}
        )
    return text, None


def _parse_money(raw: Any) -> tuple[str | None, str | None]:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        return None, str(_("请填写金额（元），如 12345.67。"))
    try:
        amount = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        return None, str(_("请填写金额（元），如 12345.67。"))
    if not amount.is_finite():
        return None, str(_("请填写金额（元），如 12345.67。"))
    if amount < 0:
        return None, str(_("金额不能为负数。"))
    if amount > MONEY_MAX:
        return None, str(_("金额超出合理范围，请核对单位（元）。"))
    if amount != amount.quantize(CENT):
        return None, str(_("金额最多保留两位小数。"))
    return str(amount.quantize(CENT)), None


def _parse_count(raw: Any) -> tuple[int | None, str | None]:
    if isinstance(raw, bool):
        return None, str(_("请填写整数。"))
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if not isinstance(raw, int):
        return None, str(_("请填写不小于 0 的整数。"))
    if raw < 0:
        return None, str(_("请填写不小于 0 的整数。"))
    if raw > COUNT_MAX:
        return None, str(_("数量超出合理范围，请核对。"))
    return raw, None


def clean_data(org_type: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Each value in its stored form, and the problems of kind and bounds by field key (what a
    draft must already satisfy). Blank values are left out; keys the type does not report are
    refused."""
    fields = field_map(org_type)
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, raw in data.items():
        field = fields.get(str(key))
        if field is None:
            problems[str(key)[:60]] = str(_("本类型组织的年度报告没有此项。"))
            continue
        if is_blank(raw):
            continue
        value, problem = parse_value(field, raw)
        if problem:
            problems[field.key] = problem
        else:
            values[field.key] = value
    return values, problems


def money(values: dict[str, Any], key: str) -> Decimal:
    """A stored amount (0 when blank)."""
    raw = values.get(key)
    return Decimal(str(raw)) if raw is not None and raw != "" else Decimal(0)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def consistency_problems(org_type: str, values: dict[str, Any]) -> dict[str, str]:
    """The report's own arithmetic, by the field that carries the message: the balance sheet
    balances, the totals add up, the cash flow closes, staff costs are part of spending, and a
    missing party organization is explained. ``values`` are stored values (``clean_data``)."""
    problems: dict[str, str] = {}
    have = values.keys()

    def all_there(keys: tuple[str, ...]) -> bool:
        return all(k in have for k in keys)

    if all_there(("total_assets", "total_liabilities", "net_assets")):
        right = money(values, "total_liabilities") + money(values, "net_assets")
        if money(values, "total_assets") != right:
            problems["total_assets"] = str(
                _("资产总计应等于负债合计与净资产合计之和（%(sum)s 元），请核对。")
                % {"sum": _yuan(right)}
            )
    lines = tuple(k for k in INCOME_LINES if k in field_map(org_type))
    if "total_income" in have:
        total = sum((money(values, k) for k in lines), Decimal(0))
        if money(values, "total_income") != total:
            problems["total_income"] = str(
                _("收入合计应等于各项收入之和（%(sum)s 元），请核对。") % {"sum": _yuan(total)}
            )
    if "total_expenses" in have:
        total = sum((money(values, k) for k in EXPENSE_LINES), Decimal(0))
        if money(values, "total_expenses") != total:
            problems["total_expenses"] = str(
                _("费用合计应等于各项费用之和（%(sum)s 元），请核对。") % {"sum": _yuan(total)}
            )
    if all_there(("staff_costs", "total_expenses")) and money(values, "staff_costs") > money(
        values, "total_expenses"
    ):
        problems["staff_costs"] = str(_("工作人员工资福利是费用的一部分，不能超过费用合计。"))
    if all_there(("cash_begin", "cash_inflow", "cash_outflow", "cash_end")):
        end = money(values, "cash_begin") + money(values, "cash_inflow")
        end -= money(values, "cash_outflow")
        if money(values, "cash_end") != end:
            problems["cash_end"] = str(
                _("年末现金余额应等于年初余额加流入减流出（%(sum)s 元），请核对。")
                % {"sum": _yuan(end)}
            )
    if values.get("party_branch") == "none" and not values.get("no_branch_reason"):
        problems["no_branch_reason"] = str(_("未建立党组织的，请说明原因。"))
    if all_there(("party_members", "full_time_party_members")) and (
        values["full_time_party_members"] > values["party_members"]
    ):
        problems["full_time_party_members"] = str(_("不能超过党员人数。"))
    return problems


def filing_problems(org_type: str, data: dict[str, Any]) -> dict[str, str]:
    """Problems that stop a report from being submitted, by field key (empty when none).

    The type's form (required values, kinds and bounds) and its consistency checks (balance
    sheet balances, totals add up) are evaluated here, so the page, the API and the submit
    guard agree. RG-12's ratios are flags (``ratio_flags``), not problems."""
    values, problems = clean_data(org_type, data)
    for field in fields_for(org_type):
        if field.required and field.key not in values and field.key not in problems:
            problems[field.key] = str(_("此项为必填项。"))
    for key, message in consistency_problems(org_type, values).items():
        problems.setdefault(key, message)
    return problems


@dataclass(frozen=True)
class RatioLimits:
    """RG-12's parameters, read by the caller."""

    public_min_spending: Decimal
    non_public_min_spending: Decimal
    max_staff_admin: Decimal


def ratio_flags(org_type: str, values: dict[str, Any], limits: RatioLimits) -> dict[str, Any]:
    """RG-12 for a foundation: the spending ratio against last year's income (public
    fundraising) or last year-end's fund balance (non-public), and staff costs plus
    administration against total spending. Returns the ratios computed and the codes of those
    outside their bounds (``{"ratios": {...}, "codes": [...]}``); nothing for other types or
    while a figure is missing."""
    if org_type != FOUNDATION:
        return {}
    ratios: dict[str, dict[str, str]] = {}
    codes: list[str] = []
    public = values.get("public_fundraising")
    base_key = "prior_year_income" if public else "prior_year_end_balance"
    minimum = limits.public_min_spending if public else limits.non_public_min_spending
    if public is not None and "charitable_spending" in values and base_key in values:
        base = money(values, base_key)
        spending = money(values, "charitable_spending")
        if base > 0:
            ratio = spending / base
            ratios["spending"] = {"value": _ratio(ratio), "min": _ratio(minimum), "base": base_key}
            if ratio < minimum:
                codes.append(FlagCode.SPENDING_LOW)
    if all(k in values for k in ("staff_costs", "expense_admin", "total_expenses")):
        total = money(values, "total_expenses")
        if total > 0:
            ratio = (money(values, "staff_costs") + money(values, "expense_admin")) / total
            ratios["staff_admin"] = {"value": _ratio(ratio), "max": _ratio(limits.max_staff_admin)}
            if ratio > limits.max_staff_admin:
                codes.append(FlagCode.STAFF_ADMIN_HIGH)
    return {"ratios": ratios, "codes": codes} if ratios else {}


def _ratio(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


FLAG_FIELDS = {
    FlagCode.SPENDING_LOW: "charitable_spending",
    FlagCode.STAFF_ADMIN_HIGH: "staff_costs",
}


def flag_messages(flags: dict[str, Any]) -> dict[str, str]:
    """The flags in words, by the field they concern (for the form and the review page)."""
    ratios = flags.get("ratios", {})
    messages: dict[str, str] = {}
    for code in flags.get("codes", []):
        if code == FlagCode.SPENDING_LOW:
            row = ratios.get("spending", {})
            messages[FLAG_FIELDS[code]] = str(
                _("公益事业支出为%(base)s的 %(value)s，低于规定的 %(min)s。")
                % {
                    "base": _("上年度总收入")
                    if row.get("base") == "prior_year_income"
                    else _("上年末基金余额"),
                    "value": percent(row.get("value")),
                    "min": percent(row.get("min")),
                }
            )
        elif code == FlagCode.STAFF_ADMIN_HIGH:
            row = ratios.get("staff_admin", {})
            messages[FLAG_FIELDS[code]] = str(
                _("工资福利和管理费用占总支出的 %(value)s，高于规定的 %(max)s。")
                % {"value": percent(row.get("value")), "max": percent(row.get("max"))}
            )
    return messages


def percent(value: str | None) -> str:
    """A stored ratio ("0.0700") as the page shows it ("7.0%")."""
    if not value:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def auto_fail_grounds(values: dict[str, Any], *, falsified: bool) -> list[str]:
    """AR-3's automatic fail grounds found in the report: no activity at all in the year,
    property distributed (against the non-profit purpose), and falsified materials (found by
    the reviewer, not by the form)."""
    grounds: list[str] = []
    if falsified:
        grounds.append(AutoFail.FALSIFIED)
    if values.get("activities_held") == 0:
        grounds.append(AutoFail.NO_ACTIVITY)
    if values.get("profit_distributed") is True:
        grounds.append(AutoFail.AGAINST_PURPOSE)
    return [str(g) for g in grounds]


def column_figures(values: dict[str, Any]) -> dict[str, Any]:
    """The figures copied into the report's columns (``COLUMN_FIGURES``); None when blank."""
    out: dict[str, Any] = {}
    for key in COLUMN_FIGURES:
        raw = values.get(key)
        out[key] = None if raw is None else (raw if key == "activities_held" else Decimal(raw))
    return out


# Last year's figures that start this year's report (AR: pre-filled): the basics and the
# governance counts as they were, last year's closing figures as this year's opening ones.
CARRIED_OVER = (
    "office_address",
    "contact_person",
    "contact_phone",
    "individual_members",
    "unit_members",
    "full_time_staff",
    "part_time_staff",
    "public_fundraising",
    "party_branch",
    "party_members",
    "full_time_party_members",
    "has_instructor",
    "no_branch_reason",
    "disclosure_channel",
)


def prefill(org_type: str, last_year: dict[str, Any]) -> dict[str, Any]:
    """This year's draft from last year's report: the values carried over as they were, last
    year's closing cash as this year's opening cash, and (foundations) last year's income and
    year-end net assets as the prior-year figures of RG-12."""
    values, _problems = clean_data(
        org_type, {k: v for k, v in last_year.items() if k in field_map(org_type)}
    )
    data = {k: values[k] for k in CARRIED_OVER if k in values}
    if "cash_end" in values:
        data["cash_begin"] = values["cash_end"]
    if org_type == FOUNDATION:
        if "total_income" in values:
            data["prior_year_income"] = values["total_income"]
        if "net_assets" in values:
            data["prior_year_end_balance"] = values["net_assets"]
    return data


# --- who files, by when (AR-1, AR-2) -------------------------------------------------------------


def must_file(*, established_on: date, removed_on: date | None, year: int, min_months: int) -> bool:
    """AR-2: an organization files for ``year`` unless it was founded less than ``min_months``
    months before that year's 12-31 (it may skip that year), or was removed before the report
    fell due (it was deregistered or revoked in or before the year)."""
    if established_on.year > year:
        return False
    if removed_on is not None and removed_on.year <= year:
        return False
    cutoff = _months_before_year_end(year, min_months)
    return established_on <= cutoff


def _months_before_year_end(year: int, months: int) -> date:
    """The last founding day that still counts ``months`` full months before 12-31: with 6,
    an organization founded on or before 06-30 files (06-30 → 12-31 is six months)."""
    month, y = 12 - months, year
    while month <= 0:
        month, y = month + 12, y - 1
    first_of_next = date(y + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def filing_due(*, year: int, org_type: str, dual_management: bool, dates: dict[str, str]) -> date:
    """AR-1: the day the report for ``year`` is due, in the next year. ``dates`` holds the
    parameters ``supervisory_unit_due``, ``authority_due`` and ``foundation_due`` as "MM-DD".
    Under dual management the report is due at the supervisory unit; a foundation files by its
    own date; a directly registered group files straight to the authority."""
    if org_type == FOUNDATION:
        key = "foundation_due"
    elif dual_management:
        key = "supervisory_unit_due"
    else:
        key = "authority_due"
    month, day = (int(part) for part in dates[key].split("-"))
    return date(year + 1, month, day)
