"""Pure rules of applications (``registration.rules.applications``)."""

from __future__ import annotations

from socorg.registration.rules import applications as rules


def test_rg14_dual_management_needs_a_supervisory_unit() -> None:
    assert set(
        rules.management_problems(direct_category="", supervisory_unit="", industry_regulator="")
    ) == {"supervisory_unit"}
    assert (
        rules.management_problems(direct_category="", supervisory_unit="EDU", industry_regulator="")
        == {}
    )


def test_rg14_direct_registration_names_its_industry_regulator() -> None:
    problems = rules.management_problems(
        direct_category="科技类", supervisory_unit="", industry_regulator=""
    )
    assert (
        set(problems) == {"industry_regulator"} and "行业管理部门" in problems["industry_regulator"]
    )
    assert (
        rules.management_problems(
            direct_category="科技类", supervisory_unit="", industry_regulator="KJJ"
        )
        == {}
    )
