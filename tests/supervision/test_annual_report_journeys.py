"""Annual reports through the API (AR-1 … AR-4): an organization files, its supervisory unit
reviews first under dual management, the bureau concludes and publishes, the organization's
history records it; and the refusals, each with its Chinese message and nothing half-written."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socorg.core.models import AuditLog
from socorg.registry.models import EventKind, OrganizationEvent
from socorg.supervision.models import AnnualReport
from socorg.supervision.services.annual_reports import (
    annual_report_mark_falsified,
    annual_report_revise_conclusion,
)
from tests import factories as f
from tests.supervision.reports import complete

LAST_YEAR = timezone.localdate().year - 1


def refusal(response) -> str:
    """The message of a refused action (422)."""
    assert response.status_code == 422, response.content
    return response.json()["errors"]["__all__"][0]


def file_complete(api, account, data=None) -> int:
    as_org = api(account)
    response = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": data or complete()})
    assert response.status_code == 200, response.content
    pk = response.json()["id"]
    assert as_org.upload_audit_report(pk).status_code == 200
    return pk


def test_ar1_dual_management_journey_unit_then_bureau_then_publication(
    api, city, edu_org_account, edu_liaison, reviewer, division_head
) -> None:
    pk = file_complete(api, edu_org_account)
    as_org = api(edu_org_account)
    item = as_org.get(f"/annual_report/{pk}").json()
    assert item["state"] == "draft"
    assert item["problems"] == {}
    assert {a["name"] for a in item["available_actions"]} == {"submit_to_unit", "submit_to_bureau"}

    refused = as_org.fire(pk, "submit_to_bureau")
    assert refused.status_code == 422
    assert "业务主管单位初审" in refusal(refused)
    assert as_org.fire(pk, "submit_to_unit").status_code == 200

    assert api(edu_liaison).fire(pk, "unit_pass", "同意").status_code == 200
    assert api(reviewer).fire(pk, "conclude_pass", "材料齐全").status_code == 200
    assert api(division_head).fire(pk, "publish").status_code == 200

    report = AnnualReport.objects.get(pk=pk)
    assert (report.state, report.conclusion) == ("published", "pass")
    assert report.submitted_on == report.concluded_on == report.published_on == timezone.localdate()
    event = OrganizationEvent.objects.get(
        organization=city.edu_org, kind=EventKind.ANNUAL_REPORT_CONCLUDED
    )
    assert event.details == {"year": LAST_YEAR, "conclusion": "pass"}

    listed = as_org.get("/annual-reports", year=LAST_YEAR).json()
    assert listed["count"] == 1
    assert listed["items"][0] == {
        "id": pk,
        "uscc": city.edu_org.uscc,
        "name": "日照市教育学会",
        "year": LAST_YEAR,
        "state": "published",
        "conclusion": "pass",
        "submitted_on": report.submitted_on.isoformat(),
        "concluded_on": report.concluded_on.isoformat(),
    }


def test_ar1_directly_registered_group_files_straight_to_the_bureau(
    api, city, org_account, city_registrar, reviewer
) -> None:
    pk = file_complete(api, org_account)
    as_org = api(org_account)
    refused = as_org.fire(pk, "submit_to_unit")
    assert refused.status_code == 422 and "直接报送登记管理机关" in refusal(refused)
    assert as_org.fire(pk, "submit_to_bureau").status_code == 200
    # Returned for correction, corrected, submitted again.
    assert api(city_registrar).fire(pk, "bureau_return", "请补充活动情况").status_code == 200
    data = complete()
    data["major_activities"] = "举办行业培训三次，开展物流标准宣贯。"
    assert as_org.put(f"/annual-reports/{pk}", {"data": data}).status_code == 200
    assert as_org.fire(pk, "submit_to_bureau").status_code == 200
    assert api(reviewer).fire(pk, "conclude_basic_pass", "财务制度需完善").status_code == 200
    assert AnnualReport.objects.get(pk=pk).conclusion == "basic_pass"


def test_unbalanced_balance_sheet_is_saved_as_draft_but_not_submitted(api, org_account) -> None:
    data = complete()
    data["total_assets"] = "1600.00"
    pk = file_complete(api, org_account, data)
    as_org = api(org_account)
    item = as_org.get(f"/annual_report/{pk}").json()
    assert item["problems"] == {
        "total_assets": "资产总计应等于负债合计与净资产合计之和（1,500.00 元），请核对。"
    }
    refused = as_org.fire(pk, "submit_to_bureau")
    assert refused.status_code == 422
    assert "1 处需要修改" in refusal(refused)
    assert AnnualReport.objects.get(pk=pk).state == "draft"


def test_values_of_the_wrong_kind_are_refused_per_field_and_nothing_is_written(
    api, org_account
) -> None:
    as_org = api(org_account)
    data = complete()
    data.update(total_assets="-5", board_meetings="三次", party_branch="other")
    audit_rows = AuditLog.objects.count()
    response = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": data})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["total_assets"] == ["金额不能为负数。"]
    assert errors["board_meetings"] == ["请填写不小于 0 的整数。"]
    assert errors["party_branch"] == ["请从列表中选择。"]
    assert not AnnualReport.objects.exists()
    assert AuditLog.objects.count() == audit_rows

    pk = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": {}}).json()["id"]
    before = AnnualReport.objects.get(pk=pk).data
    response = as_org.put(f"/annual-reports/{pk}", {"data": {"net_assets": "1.001"}})
    assert response.status_code == 422
    assert response.json()["errors"] == {"net_assets": ["金额最多保留两位小数。"]}
    assert AnnualReport.objects.get(pk=pk).data == before


def test_a_year_not_yet_open_is_refused(api, org_account) -> None:
    this_year = timezone.localdate().year
    response = api(org_account).post("/annual-reports", {"year": this_year, "data": {}})
    assert response.status_code == 422
    assert response.json()["errors"]["year"] == [
        f"{this_year} 年度的年度报告自 {this_year + 1} 年 1 月 1 日起方可填报。"
    ]
    assert not AnnualReport.objects.exists()


def test_ar2_a_year_the_organization_need_not_file_is_refused(api, city) -> None:
    young = f.organization(where=city.city, established_on=date(LAST_YEAR, 9, 1))
    account = f.user("young_org", "organization", organization=young)
    response = api(account).post("/annual-reports", {"year": LAST_YEAR, "data": {}})
    assert response.status_code == 422
    assert response.json()["errors"]["year"] == [f"本组织无需报送 {LAST_YEAR} 年度的年度报告。"]


def test_one_report_per_year(api, org_account) -> None:
    as_org = api(org_account)
    assert as_org.post("/annual-reports", {"year": LAST_YEAR, "data": {}}).status_code == 200
    again = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": {}})
    assert again.status_code == 422
    assert again.json()["errors"]["year"] == [f"{LAST_YEAR} 年度的年度报告已经存在。"]
    assert AnnualReport.objects.count() == 1


def test_the_audit_report_is_required_before_submission(api, org_account) -> None:
    as_org = api(org_account)
    pk = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": complete()}).json()["id"]
    refused = as_org.fire(pk, "submit_to_bureau")
    assert refused.status_code == 422
    assert refusal(refused) == "请先上传财务审计报告（PDF）后再报送。"
    wrong = as_org.upload_audit_report(pk, name="审计报告.docx", content=b"not a document")
    assert wrong.status_code == 422
    assert as_org.upload_audit_report(pk).status_code == 200
    assert as_org.fire(pk, "submit_to_bureau").status_code == 200


def test_last_years_figures_are_prefilled(api, org_account) -> None:
    as_org = api(org_account)
    AnnualReport.objects.create(
        organization=org_account.organization,
        year=LAST_YEAR - 1,
        org_type="social_group",
        data=complete(),
    )
    item = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": {}}).json()
    assert item["data"]["cash_begin"] == "460.00"
    assert item["data"]["office_address"] == "日照市东港区测试路1号"
    assert "total_income" not in item["data"]


def test_review_by_another_supervisory_unit_is_refused(
    api, city, edu_org_account, health_liaison, edu_liaison
) -> None:
    pk = file_complete(api, edu_org_account)
    assert api(edu_org_account).fire(pk, "submit_to_unit").status_code == 200
    # Another unit does not see the report at all.
    assert api(health_liaison).fire(pk, "unit_pass").status_code == 404
    assert api(health_liaison).get("/annual-reports").json()["count"] == 0
    # A department that sees the organization (its industry regulator) but is not its
    # supervisory unit cannot review it either.
    regulator = f.department("JTJ", "日照市交通运输局", "government", city.city)
    city.edu_org.industry_regulator = regulator
    city.edu_org.save()
    liaison = f.user("jtj_liaison", "department_liaison", department=regulator)
    refused = api(liaison).fire(pk, "unit_pass")
    assert refused.status_code == 422
    assert refusal(refused) == "只有该组织的业务主管单位可以初审其年度报告。"
    assert AnnualReport.objects.get(pk=pk).state == "unit_review"


def test_a_stale_click_is_refused_with_409(api, org_account, reviewer, city_registrar) -> None:
    pk = file_complete(api, org_account)
    assert api(org_account).fire(pk, "submit_to_bureau").status_code == 200
    assert api(city_registrar).fire(pk, "bureau_return", "请补充").status_code == 200
    stale = api(reviewer).fire(pk, "conclude_pass", expected_state="bureau_review")
    assert stale.status_code == 409
    report = AnnualReport.objects.get(pk=pk)
    assert (report.state, report.conclusion) == ("returned", "")


def test_ar3_an_automatic_fail_ground_allows_only_fail(api, org_account, reviewer) -> None:
    data = complete()
    data["activities_held"] = 0
    pk = file_complete(api, org_account, data)
    assert api(org_account).fire(pk, "submit_to_bureau").status_code == 200
    refused = api(reviewer).fire(pk, "conclude_pass", "同意")
    assert refused.status_code == 422
    assert "只能作出“不合格”结论" in refusal(refused)
    assert api(reviewer).fire(pk, "conclude_fail", "全年未开展活动").status_code == 200
    assert AnnualReport.objects.get(pk=pk).conclusion == "fail"


def test_ar3_falsified_materials_found_by_the_reviewer_allow_only_fail(
    api, org_account, reviewer
) -> None:
    pk = file_complete(api, org_account)
    assert api(org_account).fire(pk, "submit_to_bureau").status_code == 200
    report = AnnualReport.objects.get(pk=pk)
    with pytest.raises(ValidationError, match="请填写理由"):
        annual_report_mark_falsified(actor=reviewer, report=report, falsified=True, reason="")
    annual_report_mark_falsified(
        actor=reviewer, report=report, falsified=True, reason="审计报告印章与事务所备案不符"
    )
    assert AnnualReport.objects.get(pk=pk).auto_fail == ["falsified"]
    assert "只能作出“不合格”结论" in refusal(api(reviewer).fire(pk, "conclude_pass", "同意"))
    annual_report_mark_falsified(
        actor=reviewer, report=report, falsified=False, reason="经核实属实"
    )
    assert api(reviewer).fire(pk, "conclude_pass", "同意").status_code == 200


def test_rg12_ratios_are_flagged_not_blocking(api, city) -> None:
    foundation = f.organization(where=city.city, org_type="foundation")
    account = f.user("fd_org", "organization", organization=foundation)
    data = complete("foundation")
    data["charitable_spending"] = "100.00"
    pk = file_complete(api, account, data)
    item = api(account).get(f"/annual_report/{pk}").json()
    assert item["problems"] == {}
    assert "低于规定的 70.0%" in item["flags"]["charitable_spending"]
    assert api(account).fire(pk, "submit_to_bureau").status_code == 200


@pytest.mark.parametrize("years_ago,allowed", [(1, True), (2, True), (3, False)])
def test_ar4_recent_conclusions_are_revised_with_a_reason_and_an_event(
    years_ago, allowed, city, org_account, division_head
) -> None:
    today = timezone.localdate()
    report = AnnualReport.objects.create(
        organization=city.city_org,
        year=today.year - years_ago,
        org_type="social_group",
        state="published",
        conclusion="fail",
        concluded_on=today,
    )
    if not allowed:
        with pytest.raises(ValidationError, match="最近 2 个年度"):
            annual_report_revise_conclusion(
                actor=division_head, report=report, conclusion="pass", reason="复核"
            )
        assert not OrganizationEvent.objects.filter(kind=EventKind.ANNUAL_REPORT_REVISED).exists()
        return
    with pytest.raises(ValidationError, match="请填写理由"):
        annual_report_revise_conclusion(
            actor=division_head, report=report, conclusion="pass", reason=" "
        )
    annual_report_revise_conclusion(
        actor=division_head, report=report, conclusion="pass", reason="复核后材料属实"
    )
    report.refresh_from_db()
    assert report.conclusion == "pass"
    event = OrganizationEvent.objects.get(kind=EventKind.ANNUAL_REPORT_REVISED)
    assert event.details["previous"] == "fail"
    assert AuditLog.objects.filter(action="annual_report.revise").count() == 1
