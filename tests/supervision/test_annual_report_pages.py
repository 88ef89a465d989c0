"""The annual-report pages: the organization's years, the filing form with its problems beside
the fields, the submission's confirmation, the review page and the staff list."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socorg.supervision.models import AnnualReport
from socorg.supervision.services.annual_reports import due_on
from tests.core.ui.test_clerk_facing_text import HAN, visible_text
from tests.supervision.conftest import PDF
from tests.supervision.reports import complete

LAST_YEAR = timezone.localdate().year - 1


def form_data(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def test_organization_starts_saves_and_submits_its_report(client: Client, org_account) -> None:
    client.force_login(org_account)
    page = client.get(reverse("supervision:annual_report_mine"))
    assert f"填报 {LAST_YEAR} 年度报告" in page.content.decode()
    response = client.post(reverse("supervision:annual_report_start"), {"year": LAST_YEAR})
    report = AnnualReport.objects.get()
    assert response.url == reverse("supervision:annual_report_edit", args=[report.pk])

    data = complete()
    data["total_assets"] = "1600.00"
    edit = reverse("supervision:annual_report_edit", args=[report.pk])
    saved = client.post(edit, {**form_data(data), "save": "1"}, follow=True)
    html = saved.content.decode()
    # Saved as a draft, the problem shown beside its field and in the summary.
    assert "草稿已保存" in html
    assert 'id="total_assets-feedback"' in html
    assert "资产总计应等于负债合计与净资产合计之和（1,500.00 元）" in html
    assert AnnualReport.objects.get().data["total_assets"] == "1600.00"

    wrong = client.post(edit, {**form_data(data), "net_assets": "-1", "save": "1"})
    assert "金额不能为负数。" in wrong.content.decode()
    assert AnnualReport.objects.get().data["net_assets"] == "1000.00"

    upload = SimpleUploadedFile("审计报告.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("supervision:annual_report_audit_report", args=[report.pk]), {"file": upload}
    )
    data["total_assets"] = "1500.00"
    confirm = client.post(edit, {**form_data(data), "submit": "1"})
    assert confirm.url == reverse("supervision:annual_report_confirm", args=[report.pk])
    assert AnnualReport.objects.get().state == "draft"
    client.post(confirm.url, {"expected_state": "draft"})
    assert AnnualReport.objects.get().state == "bureau_review"
    # Its page now says when the next report opens and falls due (AR-1).
    mine = client.get(reverse("supervision:annual_report_mine")).content.decode()
    next_due = due_on(org_account.organization, LAST_YEAR + 1)
    assert (
        f"下一次报送：{LAST_YEAR + 1} 年度报告，{LAST_YEAR + 2} 年 1 月 1 日起可以填报，"
        f"截止日期为 {next_due:%Y-%m-%d}" in mine
    )


def test_review_page_and_staff_list(client: Client, api, org_account, reviewer) -> None:
    as_org = api(org_account)
    data = complete()
    data["activities_held"] = 0
    pk = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": data}).json()["id"]
    as_org.upload_audit_report(pk)
    assert as_org.fire(pk, "submit_to_bureau").status_code == 200

    client.force_login(reviewer)
    html = client.get(reverse("supervision:annual_report_detail", args=[pk])).content.decode()
    assert "本年未开展任何业务活动" in html
    assert "结论：不合格" in html and "资产负债表" in html
    listing = client.get(reverse("supervision:annual_report_list"), {"year": LAST_YEAR})
    assert "日照市物流协会" in listing.content.decode()
    refused = client.post(
        reverse("supervision:annual_report_transition", args=[pk]),
        {"action": "conclude_fail", "expected_state": "bureau_review", "comment": ""},
    )
    assert "需要填写意见" in refused.content.decode()
    client.post(
        reverse("supervision:annual_report_transition", args=[pk]),
        {"action": "conclude_fail", "expected_state": "bureau_review", "comment": "未开展活动"},
    )
    assert AnnualReport.objects.get(pk=pk).conclusion == "fail"


def test_english_annual_report_pages_show_no_chinese_outside_data(
    client: Client, api, city, org_account, reviewer
) -> None:
    as_org = api(org_account)
    data = complete()
    data["total_assets"] = "1600.00"
    pk = as_org.post("/annual-reports", {"year": LAST_YEAR, "data": data}).json()["id"]
    as_org.upload_audit_report(pk)
    recorded = sorted(
        {v for v in data.values() if isinstance(v, str)}
        | {city.city_org.name, "审计报告.pdf", "简体中文", "日照市", "org_demo", "reviewer"},
        key=len,
        reverse=True,
    )
    pages = {
        org_account: [
            reverse("supervision:annual_report_mine"),
            reverse("supervision:annual_report_edit", args=[pk]),
            reverse("supervision:annual_report_confirm", args=[pk]),
            reverse("supervision:annual_report_detail", args=[pk]),
        ],
        reviewer: [
            reverse("supervision:annual_report_list"),
            reverse("supervision:annual_report_detail", args=[pk]),
        ],
    }
    shown = {}
    for user, urls in pages.items():
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in urls:
            text = visible_text(client.get(url).content.decode())
            for s in recorded:
                text = text.replace(s, " ")
            if found := HAN.findall(text):
                shown[f"{user} {url}"] = sorted(set(found))
    assert shown == {}
