"""The organization list export is a workbook a clerk can work with: filter buttons on the
header, registered funds in 万元 as numbers with two decimals, dates as dates, and a second sheet
recording the filters and the time of the export."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from socorg.registry.models import Organization
from tests.factories import login

URL = reverse("registry:organization_export")


def _workbook(client, user, query: str = ""):
    response = login(client, user).get(URL + query)
    assert response.status_code == 200
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def test_export_header_carries_the_auto_filter(client, city, city_registrar) -> None:
    sheet = _workbook(client, city_registrar).worksheets[0]
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}"
    assert sheet.max_row == 1 + Organization.objects.count()


def test_registered_funds_are_numbers_in_ten_thousand_yuan(client, city, city_registrar) -> None:
    Organization.objects.filter(pk=city.city_org.pk).update(
        registered_funds=Decimal("500000"), established_on=datetime.date(2020, 6, 24)
    )
    sheet = _workbook(client, city_registrar).worksheets[0]
    headers = [c.value for c in sheet[1]]
    funds = headers.index("注册资金（万元）") + 1
    founded = headers.index("成立日期") + 1
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == city.city_org.name)
    assert row[funds - 1].value == 50 and row[funds - 1].number_format == "#,##0.00"
    assert row[founded - 1].number_format == "yyyy-mm-dd"


def test_second_sheet_records_the_filters_and_the_time(client, city, city_registrar) -> None:
    status = city.city_org.status
    book = _workbook(client, city_registrar, f"?q=物流&status={status}")
    conditions = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True)}
    assert book.sheetnames[1] == "导出条件"
    assert conditions["关键词"] == "物流" and conditions["状态"] == status
    exported_at = datetime.datetime.strptime(conditions["导出时间"], "%Y-%m-%d %H:%M:%S")
    assert abs((datetime.datetime.now() - exported_at).total_seconds()) < 24 * 3600
