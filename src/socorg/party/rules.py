"""The department responsibility workbook: template, file check, parsing and row validation.

Pure functions of bytes and plain values: no ORM, no writes. The caller fetches the referenced
organizations and departments once (``Lookups``) and writes the validated rows in one
transaction; any error means nothing is written."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from socorg.registry.models import ResponsibilityKind
from socorg.registry.rules import normalize_uscc, uscc_problem

# The workbook's columns are a data format shared with the bureau's spreadsheets: fixed Chinese
# headers, not translated.
COL_USCC = "统一社会信用代码"
COL_NAME = "社会组织名称"
COL_DEPT_CODE = "部门编码"
COL_DEPT_NAME = "部门名称"
COL_KIND = "职责类别"
COL_FROM = "生效日期"
COL_TO = "终止日期"
WHOLE_ROW = "整行"
OPTIONAL_MARK = "（可选）"

TEMPLATE_HEADERS = (
    COL_USCC,
    COL_NAME,
    COL_DEPT_CODE,
    COL_DEPT_NAME,
    COL_KIND,
    COL_FROM,
    COL_TO + OPTIONAL_MARK,
)
REQUIRED_COLUMNS = (COL_USCC, COL_NAME, COL_KIND, COL_FROM)
DEPARTMENT_COLUMNS = (COL_DEPT_CODE, COL_DEPT_NAME)
KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS + DEPARTMENT_COLUMNS + (COL_TO,))
DATA_SHEET = "职责导入"
DEPARTMENT_SHEET = "部门列表"
HELP_SHEET = "填写说明"

KIND_BY_LABEL: dict[str, str] = {
    "党建管理": ResponsibilityKind.PARTY_BUILDING_MANAGEMENT.value,
    "综合监管": ResponsibilityKind.COMPREHENSIVE_SUPERVISION.value,
    "前置审查": ResponsibilityKind.PRE_REVIEW.value,
}
MAX_ROWS = 20_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE documents)
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MIN_YEAR, MAX_YEAR = 1949, 2100
FAR_FUTURE = date.max


class WorkbookError(ValueError):
    """The workbook as a whole cannot be read; the message is for the clerk."""


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in Excel; 1 is the header row
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class RawRow:
    number: int
    values: Mapping[str, Any]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]


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


@dataclass
class Validation:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- the uploaded file ---------------------------------------------------------------------


def xlsx_problem(filename: str, data: bytes, *, max_bytes: int) -> str | None:
    """Why ``data`` is not an .xlsx workbook we accept, or None. Checks the extension, the size,
    the content (a zip, not an old .xls or a renamed text file) and that openpyxl opens it."""
    if not filename.lower().endswith(".xlsx"):
        return _(
            "只接受 Excel 工作簿（.xlsx）文件；.xls、.csv 等其他格式请在 Excel 中“另存为”.xlsx 后再上传。"
        )
    if not data:
        return _("上传的文件是空的。")
    if len(data) > max_bytes:
        return _("文件大小超过上限（%(mb)s MB）。") % {"mb": max_bytes // (1024 * 1024)}
    if data.startswith(OLE_MAGIC):
        return _(
            "该文件是旧版 Excel（.xls）格式，只是扩展名改成了 .xlsx；请在 Excel 中“另存为”.xlsx 后再上传。"
        )
    if not data.startswith(ZIP_MAGIC):
        return _(
            "该文件不是真正的 Excel 工作簿（.xlsx），可能是改了扩展名的文本或 CSV 文件；请使用下载的模板填写。"
        )
    try:
        load_workbook(io.BytesIO(data), read_only=True).close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        return _("无法打开该工作簿：文件已损坏或不是 Excel 工作簿（.xlsx）。")
    return None


def read_sheet(data: bytes) -> Sheet:
    """The data sheet (named 职责导入, else the first) as header names and non-empty rows."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise WorkbookError(
            _("无法打开该工作簿：文件已损坏或不是 Excel 工作簿（.xlsx）。")
        ) from exc
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        return _read_rows(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _read_rows(cells: Iterable[tuple[Any, ...]]) -> Sheet:
    iterator = iter(cells)
    header_cells = next(iterator, None)
    if header_cells is None or all(_blank(c) for c in header_cells):
        raise WorkbookError(_("工作表第1行应为表头，但它是空的；请使用下载的模板填写。"))
    headers = tuple(normalize_header(c) for c in header_cells)
    rows: list[RawRow] = []
    for number, values in enumerate(iterator, start=2):
        if all(_blank(v) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise WorkbookError(
                _("一次最多导入 %(max)s 行，请拆分成多个文件。") % {"max": MAX_ROWS}
            )
        named = {h: v for h, v in zip(headers, values, strict=False) if h}
        rows.append(RawRow(number=number, values=named))
    return Sheet(headers=headers, rows=tuple(rows))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalize_header(value: Any) -> str:
    """``' 终止日期（可选） '`` → ``'终止日期'``."""
    text = "" if value is None else re.sub(r"\s+", "", str(value))
    for mark in (OPTIONAL_MARK, "(可选)", "*"):
        text = text.replace(mark, "")
    return text


def header_problem(headers: Sequence[str]) -> str | None:
    """One message naming the missing, unexpected and repeated columns, or None."""
    present = [h for h in headers if h]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        problems.append(_("缺少列：%(cols)s") % {"cols": _quoted(missing)})
    if not any(c in present for c in DEPARTMENT_COLUMNS):
        problems.append(_("缺少“部门编码”或“部门名称”列（至少要有其一）"))
    unexpected = [h for h in present if h not in KNOWN_COLUMNS]
    if unexpected:
        problems.append(_("无法识别的列：%(cols)s") % {"cols": _quoted(unexpected)})
    repeated = sorted({h for h in present if present.count(h) > 1})
    if repeated:
        problems.append(_("重复的列：%(cols)s") % {"cols": _quoted(repeated)})
    if not problems:
        return None
    return _("表头与模板不符（%(problems)s）。模板的列为：%(cols)s。") % {
        "problems": "；".join(problems),
        "cols": _quoted(TEMPLATE_HEADERS),
    }


def _quoted(names: Iterable[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


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
) -> Validation:
    """Check every row; collect every error as (Excel row, column, message)."""
    result = Validation()
    seen: dict[tuple[int, int, str], list[tuple[Period, int]]] = {}
    for index, raw in enumerate(sheet.rows, start=1):
        row, errors = _validate_row(raw, lookups)
        if row is not None:
            errors = _overlap_errors(row, lookups, seen)
        result.errors.extend(errors)
        if row is not None and not errors:
            result.rows.append(row)
        if on_progress is not None and index % every == 0:
            on_progress(index)
    return result


def _validate_row(raw: RawRow, lookups: Lookups) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []
    org = _organization(raw, lookups, errors)
    dept = _department(raw, lookups, errors)
    kind = _kind(raw, errors)
    start = _date(raw, COL_FROM, errors, required=True)
    end = _date(raw, COL_TO, errors, required=False)
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


def _date(raw: RawRow, column: str, errors: list[RowError], *, required: bool) -> date | None:
    value = raw.values.get(column)
    if _blank(value):
        if required:
            errors.append(
                RowError(raw.number, column, _("请填写%(column)s。") % {"column": column})
            )
        return None
    parsed, problem = parse_date(value)
    if problem:
        errors.append(RowError(raw.number, column, problem))
    return parsed


def parse_date(value: Any) -> tuple[date | None, str | None]:
    """An Excel date, an Excel serial number, or text YYYY-MM-DD / YYYY/M/D / YYYY年M月D日."""
    bad_format = _("日期“%(value)s”格式不正确，应为 Excel 日期或 YYYY-MM-DD（如 2022-07-01）。")
    if isinstance(value, datetime):
        parsed: date = value.date()
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            serial = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None, bad_format % {"value": value}
        parsed = serial.date() if isinstance(serial, datetime) else date.min
    else:
        match = DATE_TEXT.match(str(value).strip())
        if not match:
            return None, bad_format % {"value": str(value).strip()}
        try:
            parsed = date(*(int(g) for g in match.groups()))
        except ValueError:
            return None, _("日期“%(value)s”不存在。") % {"value": str(value).strip()}
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None, _("日期“%(value)s”超出合理范围（%(lo)s—%(hi)s年）。") % {
            "value": value if not isinstance(value, date) else value.isoformat()[:10],
            "lo": MIN_YEAR,
            "hi": MAX_YEAR,
        }
    return parsed, None


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
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    sheet.append(list(TEMPLATE_HEADERS))
    header_fill = PatternFill("solid", fgColor="DDE6F3")
    for cell, width in zip(sheet[1], (24, 36, 14, 28, 12, 14, 16), strict=True):
        cell.font = Font(bold=True)
        cell.fill = header_fill
        sheet.column_dimensions[cell.column_letter].width = width
    for letter, number_format in (("A", "@"), ("C", "@"), ("F", "yyyy-mm-dd"), ("G", "yyyy-mm-dd")):
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = number_format
    kinds = DataValidation(
        type="list", formula1='"' + ",".join(KIND_BY_LABEL) + '"', allow_blank=False
    )
    kinds.add(f"E2:E{MAX_ROWS + 1}")
    sheet.add_data_validation(kinds)
    sheet.freeze_panes = "A2"
    _department_sheet(book, departments)
    _help_sheet(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _department_sheet(book: Workbook, departments: Iterable[DeptRef]) -> None:
    sheet = book.create_sheet(DEPARTMENT_SHEET)
    sheet.append([COL_DEPT_CODE, COL_DEPT_NAME])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for dept in departments:
        sheet.append([dept.code, dept.name])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 36


def _help_sheet(book: Workbook) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    lines = [
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
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 100
