"""The workbook's pure rules: file check, header, dates (the shared ``workbooks`` mechanism) and
the responsibility rows' validation (``rules``), with no database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from socorg.party import rules, workbooks
from socorg.party.rules import (
    COL_DEPT_CODE,
    COL_DEPT_NAME,
    COL_FROM,
    COL_KIND,
    COL_NAME,
    COL_TO,
    COL_USCC,
    WORKBOOK,
    DeptRef,
    Lookups,
    OrgRef,
)
from socorg.party.workbooks import WHOLE_ROW
from socorg.registry.rules.organizations import make_uscc
from tests.party.helpers import workbook

MAX = 20 * 1024 * 1024
CODE = make_uscc(org_type="social_group", area_code="371100", serial="WB000001")
OTHER_CODE = make_uscc(org_type="social_group", area_code="371103", serial="WB000002")
EDU = DeptRef(id=7, code="EDU", name="日照市教育局")


def lookups(**changes: object) -> Lookups:
    values: dict[str, object] = {
        "organizations": {
            CODE: OrgRef(id=1, name="日照市物流协会", in_scope=True),
            OTHER_CODE: OrgRef(id=2, name="日照市岚山区渔业协会", in_scope=False),
        },
        "departments_by_code": {"EDU": EDU},
        "departments_by_name": {"日照市教育局": EDU, "教育局": EDU},
        "existing": {},
    }
    values.update(changes)
    return Lookups(**values)  # type: ignore[arg-type]


def sheet(*rows: dict[str, object]) -> workbooks.Sheet:
    base = {
        COL_USCC: CODE,
        COL_NAME: "日照市物流协会",
        COL_DEPT_CODE: "EDU",
        COL_KIND: "党建管理",
        COL_FROM: "2022-07-01",
    }
    raw = tuple(
        workbooks.RawRow(number=i, values={**base, **r}) for i, r in enumerate(rows, start=2)
    )
    return workbooks.Sheet(headers=tuple(base) + (COL_DEPT_NAME, COL_TO), rows=raw)


def errors_of(*rows: dict[str, object], **lookup_changes: object) -> list[tuple[int, str]]:
    result = rules.validate_rows(sheet(*rows), lookups(**lookup_changes))
    return [(e.row, e.column) for e in result.errors]


# --- the file -------------------------------------------------------------------------------


def test_a_real_xlsx_passes_the_file_check() -> None:
    assert workbooks.xlsx_problem("职责.xlsx", workbook([]), max_bytes=MAX) is None


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("职责.csv", "统一社会信用代码,社会组织名称\n".encode(), ".csv"),
        ("职责.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        ("职责.xlsx", "统一社会信用代码,社会组织名称\n".encode(), "改了扩展名"),
        ("职责.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
        ("职责.xlsx", b"PK\x03\x04 not really a zip", "无法打开"),
        ("职责.xlsx", b"", "空"),
    ],
)
def test_anything_but_a_real_xlsx_is_refused_in_chinese(
    name: str, data: bytes, needle: str
) -> None:
    problem = workbooks.xlsx_problem(name, data, max_bytes=MAX)
    assert problem is not None and needle in problem


def test_an_oversized_file_is_refused() -> None:
    assert "上限" in (workbooks.xlsx_problem("a.xlsx", workbook([]), max_bytes=100) or "")


# --- the header -----------------------------------------------------------------------------


def test_the_template_header_is_accepted_including_the_optional_mark() -> None:
    headers = [workbooks.normalize_header(h) for h in rules.TEMPLATE_HEADERS]
    assert workbooks.header_problem(headers, WORKBOOK) is None


def test_a_header_with_only_the_department_name_is_accepted() -> None:
    assert (
        workbooks.header_problem([COL_USCC, COL_NAME, COL_DEPT_NAME, COL_KIND, COL_FROM], WORKBOOK)
        is None
    )


def test_wrong_columns_give_one_message_naming_missing_and_unexpected_columns() -> None:
    problem = workbooks.header_problem(
        ["信用代码", COL_NAME, COL_DEPT_CODE, COL_KIND, "开始日期"], WORKBOOK
    )
    assert problem is not None
    assert "缺少列：“统一社会信用代码”、“生效日期”" in problem
    assert "无法识别的列：“信用代码”、“开始日期”" in problem


def test_a_header_without_any_department_column_is_refused() -> None:
    problem = workbooks.header_problem([COL_USCC, COL_NAME, COL_KIND, COL_FROM], WORKBOOK)
    assert problem is not None and "部门编码" in problem


def test_a_repeated_column_is_refused() -> None:
    problem = workbooks.header_problem(
        [COL_USCC, COL_NAME, COL_DEPT_CODE, COL_KIND, COL_FROM, COL_KIND], WORKBOOK
    )
    assert problem is not None and "重复的列：“职责类别”" in problem


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        datetime(2022, 7, 1),
        date(2022, 7, 1),
        "2022-07-01",
        "2022/7/1",
        "2022.7.1",
        "2022年7月1日",
        " 2022-7-1 ",
        44743,
    ],
)
def test_excel_and_text_dates_are_read(value: object) -> None:
    assert workbooks.parse_date(value) == (date(2022, 7, 1), None)


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("2022-02-30", "不存在"),
        ("7/1/2022", "格式不正确"),
        ("1800-01-01", "合理范围"),
        ("明年", "格式不正确"),
    ],
)
def test_bad_dates_are_explained(value: object, needle: str) -> None:
    parsed, problem = workbooks.parse_date(value)
    assert parsed is None and problem is not None and needle in problem


# --- rows -----------------------------------------------------------------------------------


def test_a_clean_row_validates_to_an_import_row() -> None:
    result = rules.validate_rows(sheet({COL_TO: date(2027, 6, 30)}), lookups())
    assert result.ok
    assert result.rows == [
        rules.ImportRow(2, 1, 7, "party_building_management", date(2022, 7, 1), date(2027, 6, 30))
    ]


def test_an_invalid_credit_code_is_reported_on_its_row_and_column() -> None:
    result = rules.validate_rows(
        sheet({}, {COL_USCC: CODE[:-1] + "0" if CODE[-1] != "0" else CODE[:-1] + "1"}), lookups()
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, COL_USCC)]
    assert "校验位" in result.errors[0].message


def test_an_unknown_credit_code_is_reported() -> None:
    unknown = make_uscc(org_type="social_group", area_code="371100", serial="WB999999")
    assert errors_of({COL_USCC: unknown}) == [(2, COL_USCC)]


def test_a_credit_code_stored_as_a_number_is_explained() -> None:
    result = rules.validate_rows(sheet({COL_USCC: 5.13711e17}), lookups())
    assert "文本格式" in result.errors[0].message


def test_an_organization_outside_the_scope_is_a_row_error() -> None:
    result = rules.validate_rows(
        sheet({COL_USCC: OTHER_CODE, COL_NAME: "日照市岚山区渔业协会"}), lookups()
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, COL_USCC)]
    assert "管辖范围" in result.errors[0].message


def test_a_deregistered_organization_gets_no_responsibility() -> None:
    removed = {CODE: OrgRef(id=1, name="日照市物流协会", in_scope=True, removed_status="已注销")}
    assert errors_of({}, organizations=removed) == [(2, COL_USCC)]


def test_a_name_different_from_the_registry_is_an_error_citing_the_registered_name() -> None:
    result = rules.validate_rows(sheet({COL_NAME: "日照物流协会"}), lookups())
    assert [(e.row, e.column) for e in result.errors] == [(2, COL_NAME)]
    assert "日照市物流协会" in result.errors[0].message


def test_names_differing_only_in_spaces_or_bracket_width_match() -> None:
    with_brackets = {CODE: OrgRef(id=1, name="日照市物流协会（筹）", in_scope=True)}
    assert errors_of({COL_NAME: " 日照市物流协会(筹) "}, organizations=with_brackets) == []


def test_departments_are_found_by_code_or_by_name_or_short_name() -> None:
    by_name = {COL_DEPT_CODE: None, COL_DEPT_NAME: "日照市教育局", COL_TO: "2022-12-31"}
    by_short_name = {
        COL_DEPT_CODE: None,
        COL_DEPT_NAME: "教育局",
        COL_FROM: "2023-01-01",
        COL_TO: "2023-12-31",
    }
    by_both = {COL_DEPT_NAME: "日照市教育局", COL_FROM: "2024-01-01"}
    result = rules.validate_rows(sheet(by_name, by_short_name, by_both), lookups())
    assert result.ok and {r.department_id for r in result.rows} == {EDU.id}


def test_unknown_or_contradicting_departments_are_errors() -> None:
    assert errors_of(
        {COL_DEPT_CODE: "NOPE"},
        {COL_DEPT_CODE: None, COL_DEPT_NAME: "日照市不存在局"},
        {COL_DEPT_CODE: "EDU", COL_DEPT_NAME: "日照市民政局"},
        {COL_DEPT_CODE: None},
    ) == [(2, COL_DEPT_CODE), (3, COL_DEPT_NAME), (4, COL_DEPT_NAME), (5, COL_DEPT_CODE)]


def test_an_ambiguous_department_name_asks_for_the_code() -> None:
    result = rules.validate_rows(
        sheet({COL_DEPT_CODE: None, COL_DEPT_NAME: "教育局"}),
        lookups(departments_by_name={"教育局": None}),
    )
    assert "部门编码" in result.errors[0].message


def test_the_kind_must_be_one_of_the_three_labels() -> None:
    result = rules.validate_rows(sheet({COL_KIND: "党建指导"}), lookups())
    assert [(e.row, e.column) for e in result.errors] == [(2, COL_KIND)]
    assert "党建管理" in result.errors[0].message


def test_the_end_may_not_precede_the_start() -> None:
    assert errors_of({COL_TO: "2022-06-30"}) == [(2, COL_TO)]


def test_every_error_of_a_row_is_reported() -> None:
    assert errors_of({COL_NAME: "别的名字", COL_KIND: "", COL_FROM: "昨天"}) == [
        (2, COL_NAME),
        (2, COL_KIND),
        (2, COL_FROM),
    ]


def test_a_duplicate_row_names_the_first_one() -> None:
    result = rules.validate_rows(sheet({}, {COL_FROM: "2023-01-01"}), lookups())
    assert [(e.row, e.column) for e in result.errors] == [(3, WHOLE_ROW)]
    assert "第 2 行" in result.errors[0].message


def test_consecutive_periods_are_not_duplicates() -> None:
    assert errors_of({COL_TO: "2022-12-31"}, {COL_FROM: "2023-01-01"}) == []


def test_the_code_column_may_hold_a_number() -> None:
    numeric = DeptRef(id=8, code="1001", name="日照市财政局")
    assert errors_of({COL_DEPT_CODE: 1001}, departments_by_code={"1001": numeric}) == []


def test_a_row_overlapping_an_existing_responsibility_is_an_error() -> None:
    existing = {(1, 7, "party_building_management"): [(date(2020, 1, 1), None)]}
    assert errors_of({}, existing=existing) == [(2, WHOLE_ROW)]


def test_progress_is_reported_every_n_rows() -> None:
    seen: list[int] = []
    rows = [{COL_FROM: f"{2000 + i}-01-01", COL_TO: f"{2000 + i}-12-31"} for i in range(10)]
    rules.validate_rows(sheet(*rows), lookups(), on_progress=seen.append, every=4)
    assert seen == [4, 8]


def test_the_template_has_the_expected_header_and_department_list() -> None:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(rules.template_workbook([EDU])))
    assert [c.value for c in book["职责导入"][1]] == list(rules.TEMPLATE_HEADERS)
    assert [c.value for c in book["部门列表"][2]] == ["EDU", "日照市教育局"]
    read = workbooks.read_sheet(rules.template_workbook([EDU]), WORKBOOK)
    assert workbooks.header_problem(read.headers, WORKBOOK) is None and read.rows == ()
