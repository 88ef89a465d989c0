"""The bulk import through its pages: upload → background task → progress → result.

Tasks run inline (ImmediateBackend); ``django_capture_on_commit_callbacks`` runs the enqueue
that the upload schedules on commit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from socorg.core.models import AuditLog, Role, TaskProgress
from socorg.party import rules, selectors, workbooks
from socorg.party.rules import COL_USCC, TEMPLATE_HEADERS
from socorg.party.workbooks import WHOLE_ROW
from socorg.registry.models import Responsibility, ResponsibilityKind, SourceDocument
from tests import factories as f
from tests.party.helpers import bulk_organizations, row, upload, workbook

URL = "/party/responsibilities/import/"
NEW_DOCUMENT = {
    "title": "关于进一步明确社会组织党建工作管理职责的通知",
    "number": "日组通〔2022〕12号",
    "issued_on": "2022-06-30",
}


def submit(client, captured, data: bytes, *, name: str = "职责.xlsx", **form: Any):
    """Upload through the page; the enqueued task runs when the request's transaction commits."""
    fields = {**NEW_DOCUMENT, **form, "file": upload(data, name)}
    with captured(execute=True):
        response = client.post(URL, fields)
    return response


def last_progress(user) -> TaskProgress:
    return TaskProgress.objects.filter(owner=user).latest("id")


@pytest.fixture
def thousand(city) -> list:
    return bulk_organizations(city.city, 1000)


def test_a_clean_workbook_of_1000_rows_imports_every_row_with_one_audit_row(
    client, city_registrar, thousand, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    before = Responsibility.objects.count()
    response = submit(
        client, django_capture_on_commit_callbacks, workbook(row(o) for o in thousand)
    )

    progress = last_progress(city_registrar)
    assert response.status_code == 302 and response["Location"].endswith(f"?task={progress.pk}")
    assert progress.status == TaskProgress.Status.SUCCEEDED, progress.message
    assert progress.result["imported"] == 1000 and progress.done == progress.total == 1000
    assert Responsibility.objects.count() == before + 1000
    document = SourceDocument.objects.get(number="日组通〔2022〕12号")
    assert (
        Responsibility.objects.filter(
            source_document=document, kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT
        ).count()
        == 1000
    )
    audit = AuditLog.objects.get(action="responsibility.import")
    assert audit.after["count"] == 1000 and audit.after["document"]["id"] == document.pk
    assert len(audit.after["attachment_sha256"]) == 64


def test_a_bad_credit_code_in_row_900_of_1000_writes_nothing_and_names_the_row(
    client, city_registrar, thousand, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    rows = [row(o) for o in thousand]
    rows[898][0] = "51371100MA12345678"  # Excel row 900: the header is row 1
    before = Responsibility.objects.count()
    submit(client, django_capture_on_commit_callbacks, workbook(rows))

    progress = last_progress(city_registrar)
    assert progress.status == TaskProgress.Status.FAILED
    assert progress.result["imported"] == 0
    assert [(e["row"], e["column"]) for e in progress.result["errors"]] == [(900, COL_USCC)]
    message = progress.result["errors"][0]["message"]
    assert "51371100MA12345678" in message and "校验位错误" in message
    assert Responsibility.objects.count() == before
    assert not SourceDocument.objects.filter(number="日组通〔2022〕12号").exists()
    assert not AuditLog.objects.filter(action="responsibility.import").exists()


def test_the_page_shows_the_errors_by_row_and_column(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    bad = row(city.city_org)
    bad[1] = "日照市物流行业协会"
    response = submit(
        client, django_capture_on_commit_callbacks, workbook([row(city.edu_org), bad])
    )
    page = client.get(response["Location"]).content.decode()
    assert "未导入任何数据" in page and "第 3 行" in page and "社会组织名称" in page
    assert "日照市物流协会" in page  # the registered name, cited in the message


def test_a_retry_after_a_failed_import_keeps_the_document(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    bad = row(city.city_org, kind="党建指导")
    response = submit(client, django_capture_on_commit_callbacks, workbook([bad]))
    page = client.get(response["Location"]).content.decode()
    assert 'value="日组通〔2022〕12号"' in page and 'value="2022-06-30"' in page


def test_after_a_successful_import_the_new_document_is_preselected(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    response = submit(client, django_capture_on_commit_callbacks, workbook([row(city.city_org)]))
    document = SourceDocument.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{document.pk}" selected>' in page


def test_wrong_columns_give_a_clear_header_error(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    headers = ["信用代码", "社会组织名称", "部门编码", "职责类别", "生效日期"]
    submit(
        client,
        django_capture_on_commit_callbacks,
        workbook(
            [[city.city_org.uscc, city.city_org.name, "EDU", "党建管理", "2022-07-01"]], headers
        ),
    )
    progress = last_progress(city_registrar)
    assert progress.status == TaskProgress.Status.FAILED and progress.result["errors"] == []
    assert "缺少列：“统一社会信用代码”" in progress.result["problem"]
    assert "无法识别的列：“信用代码”" in progress.result["problem"]
    assert not Responsibility.objects.exists()


def test_a_workbook_without_data_rows_is_refused(
    client, city_registrar, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    submit(client, django_capture_on_commit_callbacks, workbook([]))
    assert "没有数据行" in last_progress(city_registrar).result["problem"]


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("职责.csv", "统一社会信用代码,社会组织名称\n".encode(), ".xlsx"),
        ("职责.xlsx", "统一社会信用代码,社会组织名称\n".encode(), "不是真正的 Excel 工作簿"),
        ("职责.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel"),
    ],
)
def test_a_file_that_is_not_a_real_xlsx_is_refused_at_upload(
    client, city_registrar, django_capture_on_commit_callbacks, name: str, data: bytes, needle: str
) -> None:
    client.force_login(city_registrar)
    response = submit(client, django_capture_on_commit_callbacks, data, name=name)
    assert response.status_code == 200
    assert needle in response.content.decode()
    assert not TaskProgress.objects.exists()


def test_the_source_document_is_required(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        workbook([row(city.city_org)]),
        title="",
        issued_on="",
    )
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "请选择已有的依据文件" in page
        and "请填写文件的印发日期" in page
    )
    assert not TaskProgress.objects.exists()


def test_an_existing_source_document_can_be_chosen(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    document = SourceDocument.objects.create(
        title="社会组织综合监管办法", number="日民发〔2023〕3号", issued_on=date(2023, 3, 1)
    )
    client.force_login(city_registrar)
    submit(
        client,
        django_capture_on_commit_callbacks,
        workbook([row(city.city_org, kind="综合监管")]),
        document=document.pk,
        title="",
        number="",
        issued_on="",
    )
    assert last_progress(city_registrar).status == TaskProgress.Status.SUCCEEDED
    assert Responsibility.objects.get().source_document == document
    assert SourceDocument.objects.count() == 1


def test_an_organization_outside_the_importers_scope_is_a_row_error(
    client, donggang_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(donggang_registrar)
    submit(
        client,
        django_capture_on_commit_callbacks,
        workbook([row(city.donggang_org), row(city.lanshan_org)]),
    )
    errors = last_progress(donggang_registrar).result["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, COL_USCC)]
    assert "管辖范围" in errors[0]["message"]
    assert not Responsibility.objects.exists()


def test_duplicate_rows_are_errors(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    submit(
        client,
        django_capture_on_commit_callbacks,
        workbook([row(city.city_org), row(city.edu_org), row(city.city_org)]),
    )
    errors = last_progress(city_registrar).result["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(4, WHOLE_ROW)]
    assert "第 2 行" in errors[0]["message"]
    assert not Responsibility.objects.exists()


def test_importing_the_same_workbook_twice_is_refused_the_second_time(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    data = workbook([row(city.city_org), row(city.edu_org)])
    submit(client, django_capture_on_commit_callbacks, data)
    submit(client, django_capture_on_commit_callbacks, data, number="")
    assert last_progress(city_registrar).result["error_count"] == 2
    assert Responsibility.objects.count() == 2


def test_an_import_whose_write_fails_reports_failure_and_writes_nothing(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    """The importer lost the right between upload and run: the service refuses, the progress
    still records the failure (it is written outside the import's transaction)."""
    client.force_login(city_registrar)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, {**NEW_DOCUMENT, "file": upload(workbook([row(city.city_org)]))})
    city_registrar.role = Role.REVIEWER
    city_registrar.save(update_fields=["role"])
    for callback in callbacks:
        callback()
    progress = last_progress(city_registrar)
    assert progress.status == TaskProgress.Status.FAILED and "系统错误" in progress.message
    assert not Responsibility.objects.exists() and not SourceDocument.objects.exists()


def test_the_upload_is_stored_as_an_attachment_with_its_sha256(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    import hashlib

    from socorg.core.models import Attachment

    client.force_login(city_registrar)
    data = workbook([row(city.city_org)])
    submit(client, django_capture_on_commit_callbacks, data)
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.owner_id == str(last_progress(city_registrar).pk)


# --- who may do what ------------------------------------------------------------------------


def test_edu_liaison_may_not_import(
    client, edu_liaison, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(edu_liaison)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("party:responsibility_import_template")).status_code == 403
    response = submit(client, django_capture_on_commit_callbacks, workbook([row(city.edu_org)]))
    assert response.status_code == 403
    assert not TaskProgress.objects.exists()


def test_division_head_may_import(
    client, division_head, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(division_head)
    submit(client, django_capture_on_commit_callbacks, workbook([row(city.city_org)]))
    assert last_progress(division_head).status == TaskProgress.Status.SUCCEEDED


def test_anonymous_visitor_is_sent_to_login(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_progress_endpoint_is_visible_only_to_its_owner(
    client, city_registrar, donggang_registrar, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city_registrar)
    submit(client, django_capture_on_commit_callbacks, workbook([row(city.city_org)]))
    progress = last_progress(city_registrar)
    url = reverse("task_progress", args=[progress.pk])

    own = client.get(url, HTTP_HX_REQUEST="true")
    assert own.status_code == 200 and "共导入 1 条职责" in own.content.decode()
    assert "hx-trigger" not in own.content.decode()  # finished: polling stops
    assert client.get(url).status_code == 200  # full page without htmx

    client.force_login(donggang_registrar)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(URL + f"?task={progress.pk}").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_running_job_keeps_polling_every_second(client, city_registrar) -> None:
    progress = TaskProgress.objects.create(
        owner=city_registrar,
        kind="party.responsibility_import",
        status=TaskProgress.Status.RUNNING,
        done=300,
        total=1000,
    )
    client.force_login(city_registrar)
    html = client.get(
        reverse("task_progress", args=[progress.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 1s"' in html and "30%" in html


def test_the_template_downloads_with_the_department_list(client, city_registrar, city) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(city_registrar)
    response = client.get(reverse("party:responsibility_import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == list(TEMPLATE_HEADERS)
    assert ["EDU", "日照市教育局"] in [[c.value for c in r] for r in book["部门列表"].iter_rows()]


def test_the_lookups_of_1000_rows_take_a_handful_of_queries(
    city, city_registrar, thousand, django_assert_max_num_queries
) -> None:
    sheet = workbooks.read_sheet(workbook(row(o) for o in thousand), rules.WORKBOOK)
    with django_assert_max_num_queries(6):
        lookups = selectors.import_lookups(city_registrar, rules.references(sheet))
    assert len(lookups.organizations) == 1000


def test_a_deregistered_organization_cannot_receive_a_responsibility(
    client, city_registrar, city, django_capture_on_commit_callbacks
) -> None:
    gone = f.organization(where=city.city, name="日照市已注销协会", status="deregistered")
    client.force_login(city_registrar)
    submit(client, django_capture_on_commit_callbacks, workbook([row(gone)]))
    assert "已注销" in last_progress(city_registrar).result["errors"][0]["message"]
