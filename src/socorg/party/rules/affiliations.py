"""Rules of party affiliation (党组织隶属关系): the re-affiliation workbook and what makes a row
valid, and who is on the 应建未建 list (PB-1).

Pure functions of plain values. The workbook is read, checked and templated by the shared
``workbooks`` mechanism; the organization column is checked exactly as in the responsibility
import (``rules.organization_of``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.party.rules import COL_NAME, COL_USCC, OrgRef, organization_of
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
from socorg.registry.rules.organizations import normalize_uscc

# Fixed Chinese headers: a data format shared with the bureau's spreadsheets.
COL_BODY_CODE = "隶属机构编码"
COL_BODY_NAME = "隶属机构名称"
COL_FROM = "生效日期"
COL_NOTE = "备注"
DATA_SHEET = "隶属关系调整"
BODY_SHEET = "党建工作机构列表"
MAX_ROWS = 20_000

WORKBOOK = WorkbookSpec(
    data_sheet=DATA_SHEET,
    columns=(
        Column(COL_USCC, width=24, required=True, number_format=TEXT_FORMAT),
        Column(COL_NAME, width=36, required=True),
        Column(COL_BODY_CODE, width=16, number_format=TEXT_FORMAT),
        Column(COL_BODY_NAME, width=32),
        Column(COL_FROM, width=14, required=True, number_format=DATE_FORMAT),
        Column(COL_NOTE, width=30, optional_mark=True),
    ),
    one_of=(
        ColumnChoice(
            (COL_BODY_CODE, COL_BODY_NAME),
            gettext_lazy("缺少“隶属机构编码”或“隶属机构名称”列（至少要有其一）"),
        ),
    ),
    max_rows=MAX_ROWS,
)


@dataclass(frozen=True)
class BodyRef:
    id: int
    code: str
    name: str
    short_name: str = ""


@dataclass(frozen=True)
class Current:
    """An organization's affiliation in force: its body and since when."""

    body_id: int
    since: date


@dataclass(frozen=True)
class AffiliationLookups:
    organizations: Mapping[str, OrgRef]
    bodies: Mapping[str, BodyRef]  # by code, by name and by short name
    current: Mapping[int, Current]  # organization id -> affiliation in force


@dataclass(frozen=True)
class AffiliationRow:
    row: int
    organization_id: int
    body_id: int
    changed_on: date
    note: str


def references(sheet: Sheet) -> frozenset[str]:
    """The credit codes the rows mention."""
    return frozenset(c for raw in sheet.rows if (c := normalize_uscc(raw.text(COL_USCC))))


def validate_rows(
    sheet: Sheet,
    lookups: AffiliationLookups,
    *,
    today: date,
    on_progress: Callable[[int], None] | None = None,
    every: int = 100,
) -> Validation[AffiliationRow]:
    """Every row: a known organization in scope, a known body, a date not after today nor
    before its current affiliation began, a body other than its current one, and each
    organization once in the workbook."""
    seen: dict[int, int] = {}

    def check(raw: RawRow) -> tuple[AffiliationRow | None, list[RowError]]:
        errors: list[RowError] = []
        org = organization_of(raw, lookups.organizations, errors)
        body = _body(raw, lookups, errors)
        changed_on = cell_date(raw, COL_FROM, errors, required=True)
        if changed_on and changed_on > today:
            errors.append(RowError(raw.number, COL_FROM, _("生效日期不能晚于今天。")))
        if errors or org is None or body is None or changed_on is None:
            return None, errors
        problem = _change_problem(org.id, body, changed_on, lookups.current)
        if problem:
            return None, [RowError(raw.number, WHOLE_ROW, problem)]
        if org.id in seen:
            message = _("与第 %(row)s 行是同一社会组织：每个社会组织在一个工作簿中只能调整一次。")
            return None, [RowError(raw.number, COL_USCC, message % {"row": seen[org.id]})]
        seen[org.id] = raw.number
        row = AffiliationRow(raw.number, org.id, body.id, changed_on, raw.text(COL_NOTE)[:200])
        return row, []

    return validate_sheet(sheet, check, on_progress=on_progress, every=every)


def change_problem(
    body_id: int, changed_on: date, current: Current | None, body_name: str = ""
) -> str | None:
    """Why an organization cannot move to ``body_id`` on ``changed_on``, or None."""
    if current is None:
        return None
    if current.body_id == body_id:
        return _("该社会组织目前已隶属于%(body)s，无需调整。") % {"body": body_name or _("该机构")}
    if changed_on < current.since:
        return _("生效日期早于其现隶属关系的生效日期（%(since)s）。") % {
            "since": current.since.isoformat()
        }
    return None


def _change_problem(
    org_id: int, body: BodyRef, changed_on: date, current: Mapping[int, Current]
) -> str | None:
    return change_problem(body.id, changed_on, current.get(org_id), body.name)


def _body(raw: RawRow, lookups: AffiliationLookups, errors: list[RowError]) -> BodyRef | None:
    code = raw.text(COL_BODY_CODE)
    name = re.sub(r"\s+", "", raw.text(COL_BODY_NAME))
    if not code and not name:
        column = COL_BODY_CODE if COL_BODY_CODE in raw.values else COL_BODY_NAME
        errors.append(RowError(raw.number, column, _("请填写隶属机构编码或隶属机构名称。")))
        return None
    by_code = lookups.bodies.get(code) if code else None
    if code and by_code is None:
        message = _("隶属机构编码“%(code)s”不存在，请按模板“党建工作机构列表”工作表填写。")
        errors.append(RowError(raw.number, COL_BODY_CODE, message % {"code": code}))
        return None
    by_name = lookups.bodies.get(name) if name else None
    if name and by_name is None:
        message = _("隶属机构名称“%(name)s”不存在，请按模板“党建工作机构列表”工作表填写。")
        errors.append(RowError(raw.number, COL_BODY_NAME, message % {"name": name}))
        return None
    if by_code and by_name and by_code != by_name:
        message = _("隶属机构编码“%(code)s”对应“%(body)s”，与所填名称不一致。")
        errors.append(
            RowError(raw.number, COL_BODY_NAME, message % {"code": code, "body": by_code.name})
        )
        return None
    return by_code or by_name


def template_workbook(bodies: Iterable[BodyRef]) -> bytes:
    """The blank workbook: the data sheet, the list of bodies, the help."""
    listing = ListSheet(
        title=BODY_SHEET,
        headers=(COL_BODY_CODE, COL_BODY_NAME),
        rows=[(b.code, b.name) for b in bodies],
        widths=(16, 40),
    )
    return template(WORKBOOK, lists=[listing], help_lines=_help_lines())


def _help_lines() -> list[str]:
    return [
        _("党组织隶属关系批量调整：填写说明"),
        _("1. 在“隶属关系调整”工作表中每行填写一个社会组织，第1行表头不要修改。"),
        _("2. 统一社会信用代码：18位，须为登记库中您管辖范围内的社会组织；请保持文本格式。"),
        _("3. 社会组织名称：须与登记库中的名称一致。"),
        _("4. 隶属机构编码或名称：至少填写其一，见“党建工作机构列表”工作表。"),
        _("5. 生效日期：不能晚于今天，也不能早于该组织现隶属关系的生效日期。"),
        _("6. 上传时须选择或填写调整依据文件；每一行的调整都记录该文件。"),
        _(
            "7. 全部行校验通过才会导入；只要有一处错误，所有行都不会导入，请按错误清单修改后重新上传。"
        ),
    ]


# --- 应建未建 (PB-1) -----------------------------------------------------------------------------


def should_build(full_time_party_members: int | None, has_branch: bool, minimum: int) -> bool:
    """PB-1: an organization with at least ``minimum`` full-time party members and no branch."""
    return not has_branch and (full_time_party_members or 0) >= minimum
