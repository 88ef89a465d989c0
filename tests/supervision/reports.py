"""A complete, consistent report of each type, for the tests to start from."""

from __future__ import annotations

from typing import Any

from socorg.supervision.rules import annual_reports as rules


def complete(org_type: str = rules.SOCIAL_GROUP) -> dict[str, Any]:
    """A report with every field filled in and every total right."""
    data: dict[str, Any] = {}
    for field in rules.fields_for(org_type):
        data[field.key] = {
            "money": "0.00",
            "count": 3,
            "flag": False,
            "text": "日照市东港区测试路1号",
            "long_text": "举办行业培训三次。",
            "choice": "independent",
        }[field.kind]
    data.update(
        total_assets="1500.00",
        total_liabilities="500.00",
        net_assets="1000.00",
        income_donations="800.00",
        income_other="200.00",
        total_income="1000.00",
        expense_programs="600.00",
        expense_admin="40.00",
        total_expenses="640.00",
        staff_costs="20.00",
        cash_begin="100.00",
        cash_inflow="1000.00",
        cash_outflow="640.00",
        cash_end="460.00",
    )
    if org_type == rules.FOUNDATION:
        data.update(
            public_fundraising=True,
            prior_year_income="800.00",
            prior_year_end_balance="5000.00",
            charitable_spending="600.00",
        )
    return data
