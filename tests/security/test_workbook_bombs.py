"""Workbook bombs: an uploaded .xlsx is a zip of XML, and a small file can make the server parse
a huge one. Each test builds the attack and asserts a quick refusal with a Chinese message and
nothing imported.

- a few hundred kilobytes that inflate to tens of megabytes of worksheet XML;
- a zip whose directory lies about the inflated size;
- a sheet whose only data sits a million rows down (a million blank rows to walk);
- a malformed ``xl/workbook.xml`` or worksheet, and a zip that is not a workbook at all.

The request only checks the zip's directory and stores the file; the XML is parsed by the
background job, after the declared and the actual inflated sizes were checked."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from typing import Any

import pytest

from socorg.core.archives import ArchiveLimits
from socorg.core.models import Attachment, TaskProgress
from socorg.party import rules, workbooks
from socorg.party.rules import TEMPLATE_HEADERS
from socorg.registry.models import Responsibility
from tests.party.helpers import upload, workbook

URL = "/party/responsibilities/import/"
SHEET = "xl/worksheets/sheet1.xml"
DOCUMENT = {"title": "关于明确社会组织党建工作管理职责的通知", "issued_on": "2022-06-30"}
QUICK = 5.0  # seconds; the unprotected parse took about 30


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def _header_xml() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(TEMPLATE_HEADERS)
    )
    return f'<row r="1">{cells}</row>'


def _sheet_xml(rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{_header_xml()}{rows}</sheetData></worksheet>"
    ).encode()


def _with_parts(replacements: dict[str, bytes], *, drop: tuple[str, ...] = ()) -> bytes:
    """A real workbook from the template helper with some parts replaced (deflated, level 9)."""
    source = zipfile.ZipFile(io.BytesIO(workbook([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info.filename, replacements.get(info.filename, source.read(info)))
    return out.getvalue()


def bomb() -> bytes:
    """About 40 MB of identical worksheet rows deflated into a few hundred kilobytes."""
    row = '<row><c t="inlineStr"><is><t>日照市东港区书法家协会</t></is></c></row>'
    return _with_parts({SHEET: _sheet_xml(row * 600_000)})


def million_blank_rows() -> bytes:
    """One cell a million rows down: a reader walks a million blank rows to reach it."""
    far = '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    return _with_parts({SHEET: _sheet_xml(far)})


def lying_directory() -> bytes:
    """A 3 MB worksheet whose zip entries declare it to be 2 KB."""
    data = bytearray(_with_parts({SHEET: _sheet_xml("<row><c><v>1</v></c></row>" * 120_000)}))
    name = SHEET.encode()
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        header_at = 0
        while (header_at := data.find(signature, header_at + 1)) != -1:
            name_at = header_at + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, header_at + size_at, 2048)
    return bytes(data)


def malformed_workbook_xml() -> bytes:
    return _with_parts({"xl/workbook.xml": b'<?xml version="1.0"?><workbook><sheets><sheet name='})


def malformed_worksheet() -> bytes:
    return _with_parts({SHEET: _sheet_xml('<row r="2"><c r="A2"><v>1</v></c>')[:-30]})


def not_a_workbook() -> bytes:
    return _with_parts({}, drop=("xl/workbook.xml",))


def submit(client: Any, captured: Any, data: bytes) -> Any:
    with captured(execute=True):
        return client.post(URL, {**DOCUMENT, "file": upload(data)})


def timed(action: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


# --- the request refuses what the zip's directory gives away ----------------------------------


@pytest.mark.parametrize(
    ("attack", "needle"),
    [(bomb, "解压后的内容过大"), (not_a_workbook, "无法打开该工作簿")],
)
def test_a_workbook_bomb_is_refused_at_upload_quickly_and_nothing_is_stored(
    client, city_registrar, django_capture_on_commit_callbacks, attack, needle
) -> None:
    data = attack()
    assert len(data) < 2 * 1024 * 1024
    client.force_login(city_registrar)
    response, elapsed = timed(lambda: submit(client, django_capture_on_commit_callbacks, data))
    assert elapsed < QUICK
    assert response.status_code == 200 and needle in response.content.decode()
    assert not TaskProgress.objects.exists()
    assert not Attachment.objects.exists()
    assert not Responsibility.objects.exists()


# --- the job checks the real inflated size before parsing --------------------------------------


@pytest.mark.parametrize(
    ("attack", "needle"),
    [
        (bomb, "解压后的内容过大"),
        (lying_directory, "无法打开该工作簿"),
        (million_blank_rows, "空行也计入"),
        (malformed_workbook_xml, "无法打开该工作簿"),
        (malformed_worksheet, "无法打开该工作簿"),
        (not_a_workbook, "无法打开该工作簿"),
    ],
)
def test_the_reader_refuses_the_attack_quickly_in_chinese(attack, needle) -> None:
    data = attack()
    with pytest.raises(workbooks.WorkbookError) as refused:
        workbooks.read_sheet(data, rules.WORKBOOK)
    assert needle in str(refused.value)


@pytest.mark.parametrize("attack", [bomb, lying_directory, million_blank_rows])
def test_the_reader_gives_up_within_seconds(attack) -> None:
    data = attack()
    started = time.monotonic()
    with pytest.raises(workbooks.WorkbookError):
        workbooks.read_sheet(data, rules.WORKBOOK)
    assert time.monotonic() - started < QUICK


def test_the_declared_sizes_are_checked_without_inflating_anything() -> None:
    limits = ArchiveLimits()
    assert "解压后的内容过大" in (workbooks.archive_problem(bomb(), limits) or "")
    assert workbooks.archive_problem(workbook([]), limits) is None


def test_a_compression_ratio_above_the_limit_is_refused_even_under_the_size_limit() -> None:
    limits = ArchiveLimits(max_uncompressed=10**9, max_ratio=100)
    assert "压缩比异常" in (workbooks.archive_problem(bomb(), limits) or "")


def test_the_limits_come_from_the_settings(settings) -> None:
    settings.SOCORG_XLSX_MAX_UNCOMPRESSED_BYTES = 2048
    settings.SOCORG_XLSX_MAX_RATIO = 7
    limits = ArchiveLimits.configured()
    assert (limits.max_uncompressed, limits.max_ratio) == (2048, 7)
    # The template's parts together inflate to more than 2 KB.
    problem = workbooks.xlsx_problem("职责.xlsx", workbook([]), max_bytes=10**7, limits=limits)
    assert problem is not None and "解压后的内容过大" in problem


# --- through the page: accepted, then refused by the job, never a 500 ----------------------------


@pytest.mark.parametrize(
    ("attack", "needle"),
    [
        (million_blank_rows, "空行也计入"),
        (malformed_workbook_xml, "无法打开该工作簿"),
        (malformed_worksheet, "无法打开该工作簿"),
        (lying_directory, "无法打开该工作簿"),
    ],
)
def test_a_file_the_job_cannot_read_fails_with_a_message_and_imports_nothing(
    client, city_registrar, django_capture_on_commit_callbacks, attack, needle
) -> None:
    client.force_login(city_registrar)
    response, elapsed = timed(lambda: submit(client, django_capture_on_commit_callbacks, attack()))
    assert elapsed < QUICK
    assert response.status_code == 302
    progress = TaskProgress.objects.get(owner=city_registrar)
    assert progress.status == TaskProgress.Status.FAILED
    assert needle in progress.result["problem"] and "未导入任何数据" in progress.message
    assert not Responsibility.objects.exists()


def test_blank_rows_under_the_cap_are_still_skipped() -> None:
    rows = "".join(f'<row r="{n}"/>' for n in range(2, 500))
    data = _with_parts({SHEET: _sheet_xml(rows)})
    sheet = workbooks.read_sheet(data, rules.WORKBOOK)
    assert sheet.rows == () and sheet.headers[0] == TEMPLATE_HEADERS[0]
