"""Rules of the department responsibility workbook: its columns and what makes a row valid.

Pure functions of plain values: no ORM, no writes. The workbook itself (file check, reading,
header check, template) is the shared mechanism of ``workbooks``; here is what this import asks of
it. The caller fetches the referenced organizations and departments once (``Lookups``) and writes
the validated rows in one transaction; any error means nothing is written."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.party.workbooks import (
    DATE_FORMAT,
    TEXT_FORMAT,
    WHOLE_ROW,
    Column,
    ColumnChoice,
    ListSheet,
    RawRow,
    RowError,
    Sheet,
    Validation,
    WorkbookSpec,
    cell_date,
    template,
    validate_sheet,
)
from socorg.registry.models import ResponsibilityKind
from socorg.registry.rules.organizations import normalize_uscc, uscc_problem

# The workbook's columns are a data format shared with the bureau's spreadsheets: fixed Chinese
# headers, not translated.
COL_USCC = "统一社会信用代码"
COL_NAME = "社会组织名称"
COL_DEPT_CODE = "部门编码"
COL_DEPT_NAME = "部门名称"
COL_KIND = "职责类别"
COL_FROM = "生效日期"
COL_TO = "终止日期"
DATA_SHEET = "职责导入"
DEPARTMENT_SHEET = "部门列表"

KIND_BY_LABEL: dict[str, str] = {
    "党建管理": ResponsibilityKind.PARTY_BUILDING_MANAGEMENT.value,
    "综合监管": ResponsibilityKind.COMPREHENSIVE_SUPERVISION.value,
    "前置审查": ResponsibilityKind.PRE_REVIEW.value,
}
MAX_ROWS = 20_000
FAR_FUTURE = date.max

WORKBOOK = WorkbookSpec(
    data_sheet=DATA_SHEET,
    columns=(
        Column(COL_USCC, width=24, required=True, number_format=TEXT_FORMAT),
        Column(COL_NAME, width=36, required=True),
        Column(COL_DEPT_CODE, width=14, number_format=TEXT_FORMAT),
        Column(COL_DEPT_NAME, width=28),
        Column(COL_KIND, width=12, required=True, choices=tuple(KIND_BY_LABEL)),
        Column(COL_FROM, width=14, required=True, number_format=DATE_FORMAT),
        Column(COL_TO, width=16, optional_mark=True, number_format=DATE_FORMAT),
    ),
    one_of=(
        ColumnChoice(
            (COL_DEPT_CODE, COL_DEPT_NAME),
            gettext_lazy("缺少“部门编码”或“部门名称”列（至少要有其一）"),
        ),
    ),
    max_rows=MAX_ROWS,
)
TEMPLATE_HEADERS = WORKBOOK.headers


@dataclass(frozen=True)
class OrgRef:
    id: int
    name: str
    in_scope: bool
    removed_status: str = ""  # the status label when deregistered or revoked


@dataclass(frozen=True)
class DeptRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class References:
    usccs: frozenset[str]
    department_codes: frozenset[str]
    department_names: frozenset[str]


Period = tuple[date, date | None]


@dataclass(frozen=True)
class Lookups:
    organizations: Mapping[str, OrgRef]  # by credit code
    departments_by_code: Mapping[str, DeptRef]
    departments_by_name: Mapping[str, DeptRef | None]  # None: the name is not unique
    existing: Mapping[tuple[int, int, str], Sequence[Period]]  # (org, dept, kind) -> periods


@dataclass(frozen=True)
class ImportRow:
    row: int
    organization_id: int
    department_id: int
    kind: str
    effective_from: date
    effective_to: date | None


# --- validation ----------------------------------------------------------------------------


def references(sheet: Sheet) -> References:
    """The credit codes and department keys the rows mention, to fetch them in one go."""
    usccs, codes, names = set(), set(), set()
    for raw in sheet.rows:
        if code := normalize_uscc(raw.text(COL_USCC)):
            usccs.add(code)
        if dept_code := raw.text(COL_DEPT_CODE):
            codes.add(dept_code)
        if dept_name := raw.text(COL_DEPT_NAME):
            names.add(dept_name)
    return References(frozenset(usccs), frozenset(codes), frozenset(names))


def validate_rows(
    sheet: Sheet,
    lookups: Lookups,
    *,
    on_progress: Callable[[int], None] | None = None,
    every: int = 100,
) -> Validation[ImportRow]:
    """Check every row; collect every error as (Excel row, column, message)."""
    seen: dict[tuple[int, int, str], list[tuple[Period, int]]] = {}

    def check(raw: RawRow) -> tuple[ImportRow | None, list[RowError]]:
        row, errors = _validate_row(raw, lookups)
        if row is not None:
            errors = _overlap_errors(row, lookups, seen)
        return row, errors

    return validate_sheet(sheet, check, on_progress=on_progress, every=every)


def _validate_row(raw: RawRow, lookups: Lookups) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []
    org = _organization(raw, lookups, errors)
    dept = _department(raw, lookups, errors)
    kind = _kind(raw, errors)
    start = cell_date(raw, COL_FROM, errors, required=True)
    end = cell_date(raw, COL_TO, errors, required=False)
    if start and end and end < start:
        errors.append(RowError(raw.number, COL_TO, _("终止日期不能早于生效日期。")))
    if errors or org is None or dept is None or kind is None or start is None:
        return None, errors
    return ImportRow(raw.number, org.id, dept.id, kind, start, end), []


def _organization(raw: RawRow, lookups: Lookups, errors: list[RowError]) -> OrgRef | None:
    """The row's organization: a valid credit code (ID-1..ID-4), on the registry, in the
    importer's scope, not removed, and named as registered."""

    def fail(message: str) -> None:
        errors.append(RowError(raw.number, COL_USCC, message))

    value = raw.values.get(COL_USCC)
    if isinstance(value, float):
        fail(
            _("统一社会信用代码被 Excel 存成了数字，后几位已丢失；请把该列设为文本格式后重新填写。")
        )
        return None
    code = normalize_uscc(raw.text(COL_USCC))
    if not code:
        fail(_("请填写统一社会信用代码。"))
        return None
    problem = uscc_problem(code)
    org = lookups.organizations.get(code)
    if problem:
        fail(_("“%(code)s”有误：%(problem)s") % {"code": code, "problem": problem})
    elif org is None:
        fail(_("登记库中没有统一社会信用代码为 %(code)s 的社会组织。") % {"code": code})
    elif not org.in_scope:
        fail(_("该社会组织不在您的管辖范围内，不能为其导入职责。"))
    elif org.removed_status:
        fail(_("该社会组织状态为“%(status)s”，不能为其设置职责。") % {"status": org.removed_status})
    else:
        return org if _name_matches(raw, org, errors) else None
    return None


def organization_of(
    raw: RawRow, organizations: Mapping[str, OrgRef], errors: list[RowError]
) -> OrgRef | None:
    """The row's organization as every import of the face checks it (see ``_organization``)."""
    lookups = Lookups(organizations, {}, {}, {})
    return _organization(raw, lookups, errors)


def _name_matches(raw: RawRow, org: OrgRef, errors: list[RowError]) -> bool:
    name = raw.text(COL_NAME)
    if not name:
        errors.append(RowError(raw.number, COL_NAME, _("请填写社会组织名称。")))
        return False
    if _comparable(name) != _comparable(org.name):
        message = _("名称与登记库不一致：该统一社会信用代码登记的名称为“%(name)s”。") % {
            "name": org.name
        }
        errors.append(RowError(raw.number, COL_NAME, message))
        return False
    return True


def _comparable(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def _department(raw: RawRow, lookups: Lookups, errors: list[RowError]) -> DeptRef | None:
    code, name = raw.text(COL_DEPT_CODE), raw.text(COL_DEPT_NAME)
    if not code and not name:
        column = COL_DEPT_CODE if COL_DEPT_CODE in raw.values else COL_DEPT_NAME
        errors.append(RowError(raw.number, column, _("请填写部门编码或部门名称。")))
        return None
    by_code = lookups.departments_by_code.get(code) if code else None
    if code and by_code is None:
        message = _("部门编码“%(code)s”不存在，请按模板“部门列表”工作表填写。") % {"code": code}
        errors.append(RowError(raw.number, COL_DEPT_CODE, message))
        return None
    if not name:
        return by_code
    return _department_by_name(raw, name, by_code, lookups, errors)


def _department_by_name(
    raw: RawRow, name: str, by_code: DeptRef | None, lookups: Lookups, errors: list[RowError]
) -> DeptRef | None:
    def fail(message: str) -> None:
        errors.append(RowError(raw.number, COL_DEPT_NAME, message))

    if by_code is not None:
        if name in (by_code.name, by_code.code) or lookups.departments_by_name.get(name) == by_code:
            return by_code
        fail(
            _("部门编码“%(code)s”对应“%(dept)s”，与所填部门名称不一致。")
            % {"code": by_code.code, "dept": by_code.name}
        )
        return None
    if name not in lookups.departments_by_name:
        fail(_("部门名称“%(name)s”不存在，请按模板“部门列表”工作表填写。") % {"name": name})
        return None
    dept = lookups.departments_by_name[name]
    if dept is None:
        fail(_("部门名称“%(name)s”对应多个部门，请填写部门编码。") % {"name": name})
    return dept


def _kind(raw: RawRow, errors: list[RowError]) -> str | None:
    label = re.sub(r"\s+", "", raw.text(COL_KIND))
    if label in KIND_BY_LABEL:
        return KIND_BY_LABEL[label]
    if not label:
        message = _("请填写职责类别（党建管理、综合监管或前置审查）。")
    else:
        message = _("职责类别应为“党建管理”“综合监管”“前置审查”之一，而不是“%(value)s”。") % {
            "value": label
        }
    errors.append(RowError(raw.number, COL_KIND, message))
    return None


def _overlap_errors(
    row: ImportRow, lookups: Lookups, seen: dict[tuple[int, int, str], list[tuple[Period, int]]]
) -> list[RowError]:
    """A row may not repeat an earlier row, nor an existing responsibility, for an overlapping
    period (same organization, department and kind)."""
    key = (row.organization_id, row.department_id, row.kind)
    period: Period = (row.effective_from, row.effective_to)
    for other, number in seen.get(key, []):
        if _overlaps(period, other):
            message = _("与第 %(row)s 行重复：同一组织、部门和职责类别，期间重叠。") % {
                "row": number
            }
            return [RowError(row.row, WHOLE_ROW, message)]
    for other in lookups.existing.get(key, ()):
        if _overlaps(period, other):
            message = _(
                "登记库中已有该组织的同一部门、同一类别职责（自 %(start)s 起），期间重叠。"
            ) % {"start": other[0].isoformat()}
            return [RowError(row.row, WHOLE_ROW, message)]
    seen.setdefault(key, []).append((period, row.row))
    return []


def _overlaps(a: Period, b: Period) -> bool:
    return a[0] <= (b[1] or FAR_FUTURE) and b[0] <= (a[1] or FAR_FUTURE)


# --- the template ----------------------------------------------------------------------------


def template_workbook(departments: Iterable[DeptRef]) -> bytes:
    """The blank workbook a registrar fills: the data sheet, the department list, the help."""
    listing = ListSheet(
        title=DEPARTMENT_SHEET,
        headers=(COL_DEPT_CODE, COL_DEPT_NAME),
        rows=[(d.code, d.name) for d in departments],
        widths=(16, 36),
    )
    return template(WORKBOOK, lists=[listing], help_lines=_help_lines())


def _help_lines() -> list[str]:
    return [
        _("部门职责批量导入：填写说明"),
        _("1. 在“职责导入”工作表中每行填写一条职责，第1行表头不要修改。"),
        _("2. 统一社会信用代码：18位，须为登记库中您管辖范围内的社会组织；请保持文本格式。"),
        _("3. 社会组织名称：须与登记库中的名称一致。"),
        _("4. 部门编码或部门名称：至少填写其一，见“部门列表”工作表。"),
        _("5. 职责类别：党建管理、综合监管或前置审查。"),
        _(
            "6. 生效日期、终止日期：Excel 日期或 YYYY-MM-DD 文本；终止日期可不填，不能早于生效日期。"
        ),
        _(
            "7. 全部行校验通过才会导入；只要有一处错误，所有行都不会导入，请按错误清单修改后重新上传。"
        ),
        _("8. 一次最多导入 %(max)s 行。") % {"max": MAX_ROWS},
    ]
