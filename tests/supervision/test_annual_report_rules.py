"""The annual report's own rules (AR-3, RG-12, the consistency checks): pure functions of the
report's values, so the page, the API and the submit guard agree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from socorg.supervision.rules import annual_reports as rules
from tests.supervision.reports import complete

LIMITS = rules.RatioLimits(
    public_min_spending=Decimal("0.70"),
    non_public_min_spending=Decimal("0.08"),
    max_staff_admin=Decimal("0.10"),
)
# Amounts in 元 with two decimals, drawn as whole cents (fast to generate).
amounts = st.integers(min_value=0, max_value=10**11).map(lambda cents: Decimal(cents) / 100)


def test_a_complete_consistent_report_has_no_filing_problem() -> None:
    for org_type in rules.ALL_TYPES:
        assert rules.filing_problems(org_type, complete(org_type)) == {}


@given(
    liabilities=amounts,
    net=amounts,
    off=st.integers(min_value=1, max_value=10**8).map(lambda c: Decimal(c) / 100),
)
def test_balance_sheet_must_balance(liabilities: Decimal, net: Decimal, off: Decimal) -> None:
    data = complete()
    data.update(
        total_liabilities=str(liabilities),
        net_assets=str(net),
        total_assets=str(liabilities + net),
    )
    assert "total_assets" not in rules.filing_problems(rules.SOCIAL_GROUP, data)
    data["total_assets"] = str(liabilities + net + off)
    problem = rules.filing_problems(rules.SOCIAL_GROUP, data)["total_assets"]
    assert "负债合计与净资产合计之和" in problem


@given(lines=st.lists(amounts, min_size=6, max_size=6))
def test_total_income_is_the_sum_of_the_types_income_lines(lines: list[Decimal]) -> None:
    data = complete(rules.SOCIAL_GROUP)
    for key, amount in zip(rules.INCOME_LINES, lines, strict=True):
        data[key] = str(amount)
    data["total_income"] = str(sum(lines))
    assert "total_income" not in rules.filing_problems(rules.SOCIAL_GROUP, data)
    data["total_income"] = str(sum(lines) + Decimal("0.01"))
    assert "收入合计" in rules.filing_problems(rules.SOCIAL_GROUP, data)["total_income"]


def test_dues_are_not_an_income_line_of_a_foundation() -> None:
    data = complete(rules.FOUNDATION)
    data["income_dues"] = "10.00"
    assert (
        rules.filing_problems(rules.FOUNDATION, data)["income_dues"]
        == "本类型组织的年度报告没有此项。"
    )


@given(begin=amounts, inflow=amounts, outflow=amounts)
def test_cash_flow_closes(begin: Decimal, inflow: Decimal, outflow: Decimal) -> None:
    data = complete()
    end = begin + inflow - outflow
    data.update(cash_begin=str(begin), cash_inflow=str(inflow), cash_outflow=str(outflow))
    data["cash_end"] = str(end) if end >= 0 else "0.00"
    problems = rules.filing_problems(rules.SOCIAL_GROUP, data)
    assert ("cash_end" in problems) == (end < 0)


def test_totals_of_expenses_and_staff_costs_within_them() -> None:
    data = complete()
    data["total_expenses"] = "641.00"
    data["staff_costs"] = "700.00"
    problems = rules.filing_problems(rules.SOCIAL_GROUP, data)
    assert "费用合计应等于各项费用之和" in problems["total_expenses"]
    assert "不能超过费用合计" in problems["staff_costs"]


def test_no_party_organization_needs_a_reason() -> None:
    data = complete()
    data["party_branch"] = "none"
    data.pop("no_branch_reason", None)
    assert (
        rules.filing_problems(rules.SOCIAL_GROUP, data)["no_branch_reason"]
        == "未建立党组织的，请说明原因。"
    )
    data["no_branch_reason"] = "党员人数不足三名，已由行业党委联系。"
    assert "no_branch_reason" not in rules.filing_problems(rules.SOCIAL_GROUP, data)


def test_required_fields_are_named_but_optional_ones_are_not() -> None:
    problems = rules.filing_problems(rules.SOCIAL_SERVICE_AGENCY, {})
    assert problems["total_assets"] == "此项为必填项。"
    assert "volunteers" not in problems
    assert "individual_members" not in problems  # a social group's field


@given(
    value=st.one_of(
        st.integers(max_value=-1), st.just("12.345"), st.just("abc"), st.just(True), st.just(10**13)
    )
)
def test_money_is_non_negative_with_two_decimals_and_bounded(value: Any) -> None:
    _values, problems = rules.clean_data(rules.SOCIAL_GROUP, {"total_assets": value})
    assert "total_assets" in problems


@given(amount=amounts)
def test_money_is_stored_with_two_decimals(amount: Decimal) -> None:
    values, problems = rules.clean_data(rules.SOCIAL_GROUP, {"total_assets": str(amount)})
    assert problems == {}
    assert Decimal(values["total_assets"]) == amount
    assert values["total_assets"].split(".")[1].__len__() == 2


@given(
    value=st.one_of(
        st.integers(max_value=-1),
        st.just(1.5),
        st.just("3人"),
        st.just(False),
        st.just(rules.COUNT_MAX + 1),
    )
)
def test_counts_are_whole_numbers_within_bounds(value: Any) -> None:
    _values, problems = rules.clean_data(rules.SOCIAL_GROUP, {"board_meetings": value})
    assert "board_meetings" in problems


def test_texts_are_bounded_and_choices_closed() -> None:
    _values, problems = rules.clean_data(
        rules.SOCIAL_GROUP,
        {"contact_person": "张" * 31, "party_branch": "other", "office_address": "一行\n两行"},
    )
    assert set(problems) == {"contact_person", "party_branch", "office_address"}


@given(
    income=amounts.filter(lambda d: d > 0),
    share=st.integers(min_value=0, max_value=20000).map(lambda n: Decimal(n) / 10000),
)
def test_rg12_public_spending_ratio_is_a_flag(income: Decimal, share: Decimal) -> None:
    data = complete(rules.FOUNDATION)
    spending = (income * share).quantize(Decimal("0.01"))
    data.update(prior_year_income=str(income), charitable_spending=str(spending))
    values, _ = rules.clean_data(rules.FOUNDATION, data)
    flags = rules.ratio_flags(rules.FOUNDATION, values, LIMITS)
    low = spending / income < LIMITS.public_min_spending
    assert (rules.FlagCode.SPENDING_LOW in flags["codes"]) == low
    # A flag, never a filing problem.
    assert "charitable_spending" not in rules.filing_problems(rules.FOUNDATION, data)


def test_rg12_non_public_foundation_measures_against_the_fund_balance() -> None:
    data = complete(rules.FOUNDATION)
    data.update(
        public_fundraising=False,
        prior_year_end_balance="10000.00",
        charitable_spending="700.00",
    )
    values, _ = rules.clean_data(rules.FOUNDATION, data)
    flags = rules.ratio_flags(rules.FOUNDATION, values, LIMITS)
    assert flags["codes"] == [rules.FlagCode.SPENDING_LOW]
    assert flags["ratios"]["spending"]["value"] == "0.0700"
    message = rules.flag_messages(flags)["charitable_spending"]
    assert "上年末基金余额" in message and "7.0%" in message and "8.0%" in message


def test_rg12_staff_and_admin_share_of_spending() -> None:
    data = complete(rules.FOUNDATION)
    data.update(expense_admin="60.00", total_expenses="660.00", staff_costs="20.00")
    data.update(cash_outflow="660.00", cash_end="440.00")
    values, _ = rules.clean_data(rules.FOUNDATION, data)
    flags = rules.ratio_flags(rules.FOUNDATION, values, LIMITS)
    assert rules.FlagCode.STAFF_ADMIN_HIGH in flags["codes"]
    assert "staff_costs" in rules.flag_messages(flags)


def test_rg12_does_not_concern_other_types() -> None:
    values, _ = rules.clean_data(rules.SOCIAL_GROUP, complete())
    assert rules.ratio_flags(rules.SOCIAL_GROUP, values, LIMITS) == {}


def test_ar3_automatic_fail_grounds() -> None:
    values, _ = rules.clean_data(rules.SOCIAL_GROUP, complete())
    assert rules.auto_fail_grounds(values, falsified=False) == []
    assert rules.auto_fail_grounds({**values, "activities_held": 0}, falsified=False) == [
        "no_activity"
    ]
    assert rules.auto_fail_grounds({**values, "profit_distributed": True}, falsified=True) == [
        "falsified",
        "against_purpose",
    ]


def test_prefill_carries_last_years_closing_figures_into_this_year() -> None:
    last = complete(rules.FOUNDATION)
    data = rules.prefill(rules.FOUNDATION, last)
    assert data["cash_begin"] == "460.00"
    assert data["prior_year_income"] == "1000.00"
    assert data["prior_year_end_balance"] == "1000.00"
    assert data["office_address"] == last["office_address"]
    assert "total_income" not in data and "activities_held" not in data
