"""Workbooks that clerks fill in Excel and upload: the one mechanism behind every bulk import.

An import declares its workbook as a ``WorkbookSpec`` (the data sheet and its columns); this
module checks an uploaded file, reads the data sheet's rows, checks its header against the spec,
parses the cells every import shares (dates, text) and builds the blank template to download.
What makes a row valid is the import's own rule (see ``rules.py``); writing the rows is its
service. Pure functions of bytes and plain values: no ORM, no writes.

An .xlsx is a zip of XML, so a small upload can ask for a huge parse. The upload request runs
only :func:`xlsx_problem` (the zip's directory: parts, declared sizes, ratios; no XML); the
background job runs :func:`read_sheet`, which counts the real inflated bytes before parsing and
reads the sheet in streaming mode with blank rows counted toward the row cap. The template is
written by the core writer (``socorg.core.exports``)."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from socorg.core import archives
from socorg.core.archives import ArchiveLimits, ArchiveProblem
from socorg.core.exports import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.text import LONG_TEXT_MAX, UnsafeText, clean_line

logger = logging.getLogger(__name__)

# Sheet names and marks are part of the data format shared with the bureau's spreadsheets:
# fixed Chinese text, not translated.
OPTIONAL_MARK = "（可选）"
WHOLE_ROW = "整行"  # the column of an error about the row as a whole
HELP_SHEET = "填写说明"
TEXT_FORMAT = "@"  # keeps long digit strings (credit codes) from becoming numbers
DATE_FORMAT = "yyyy-mm-dd"
FORMATTED_ROWS = 1000  # template rows that get the columns' cell formats
HEADER_FILL = "DDE6F3"

ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE documents)
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MIN_YEAR, MAX_YEAR = 1949, 2100


@dataclass(frozen=True)
class Column:
    """One column of a data sheet."""

    name: str
    width: int = 16
    required: bool = False  # the column must be present
    optional_mark: bool = False  # the template's header says （可选）
    number_format: str = ""  # TEXT_FORMAT or DATE_FORMAT for the template's cells
    choices: tuple[str, ...] = ()  # a drop-down list in the template

    @property
    def header(self) -> str:
        return self.name + OPTIONAL_MARK if self.optional_mark else self.name


@dataclass(frozen=True)
class ColumnChoice:
    """Columns of which at least one must be present, and the message when none is."""

    names: tuple[str, ...]
    missing_message: str | Promise


@dataclass(frozen=True)
class WorkbookSpec:
    """The shape of one import's workbook."""

    data_sheet: str
    columns: tuple[Column, ...]
    one_of: tuple[ColumnChoice, ...] = ()
    max_rows: int = 20_000  # blank rows count too
    max_columns: int = 64  # cells further right are not read

    @property
    def headers(self) -> tuple[str, ...]:
        """The template's header row."""
        return tuple(c.header for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def known(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns)


@dataclass(frozen=True)
class ListSheet:
    """A sheet of reference values the clerk copies from (e.g. the department list)."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    widths: tuple[int, ...] = ()


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
    # Cells the input seam refused while reading (control characters, over-long text).
    errors: tuple[RowError, ...] = ()

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


RowT = TypeVar("RowT")


@dataclass
class Validation(Generic[RowT]):
    """The valid rows and every error of a sheet; an import writes only when there is no error."""

    rows: list[RowT] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_sheet(
    sheet: Sheet,
    validate_row: Callable[[RawRow], tuple[RowT | None, list[RowError]]],
    *,
    on_progress: Callable[[int], None] | None = None,
    every: int = 100,
) -> Validation[RowT]:
    """Check every row with ``validate_row``; collect every error as (Excel row, column,
    message), reporting progress every ``every`` rows."""
    result: Validation[RowT] = Validation()
    for index, raw in enumerate(sheet.rows, start=1):
        row, errors = validate_row(raw)
        errors = [*raw.errors, *errors]
        result.errors.extend(errors)
        if row is not None and not errors:
            result.rows.append(row)
        if on_progress is not None and index % every == 0:
            on_progress(index)
    return result


# --- the uploaded file ---------------------------------------------------------------------


def xlsx_problem(
    filename: str, data: bytes, *, max_bytes: int, limits: ArchiveLimits | None = None
) -> str | None:
    """Why ``data`` is not an .xlsx workbook we accept, or None. Checks the extension, the size,
    the content (a zip, not an old .xls or a renamed text file) and the zip's directory (the
    workbook's parts, their declared sizes and compression ratios). Parses no XML: that is the
    background job's work (:func:`read_sheet`), never the request's."""
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
    return archive_problem(data, limits or ArchiveLimits())


def archive_problem(data: bytes, limits: ArchiveLimits) -> str | None:
    """The zip's directory (the workbook's parts, declared sizes, ratios), for the clerk."""
    return _archive_message(archives.archive_problem(data, limits, required=WORKBOOK_PARTS), limits)


def _archive_message(problem: ArchiveProblem | None, limits: ArchiveLimits) -> str | None:
    if problem is None:
        return None
    if problem == ArchiveProblem.ENCRYPTED:
        return _("工作簿设置了密码，无法读取；请取消密码保护后再上传。")
    if problem == ArchiveProblem.TOO_BIG:
        return _(
            "工作簿解压后的内容过大（上限 %(mb)s MB）或压缩比异常，不予读取；"
            "请删除多余的工作表、空行和格式，或拆分成多个文件后再上传。"
        ) % {"mb": limits.max_megabytes}
    return _unreadable()


def _unreadable() -> str:
    return _("无法打开该工作簿：文件已损坏或不是 Excel 工作簿（.xlsx）。")


def read_sheet(data: bytes, spec: WorkbookSpec, limits: ArchiveLimits | None = None) -> Sheet:
    """The data sheet (named as in ``spec``, else the first) as header names and non-empty rows.

    The archive's declared and actual inflated sizes are checked first; then the sheet is read
    in streaming (read-only) mode, every row counting toward ``spec.max_rows``, blank or not,
    and at most ``spec.max_columns`` columns. Whatever the parser raises on a malformed file
    becomes a :class:`WorkbookError` for the clerk."""
    limits = limits or ArchiveLimits()
    problem = archive_problem(data, limits) or _archive_message(
        archives.inflation_problem(data, limits), limits
    )
    if problem:
        raise WorkbookError(problem)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # the parser's errors are many and undocumented; all mean "unreadable"
        logger.info("unreadable workbook: %r", exc)
        raise WorkbookError(_unreadable()) from exc
    try:
        name = spec.data_sheet
        sheet = book[name] if name in book.sheetnames else book.worksheets[0]
        cells = sheet.iter_rows(values_only=True, max_col=spec.max_columns)
        return _read_rows(cells, spec.max_rows)
    except WorkbookError:
        raise
    except Exception as exc:
        logger.info("unreadable worksheet: %r", exc)
        raise WorkbookError(_unreadable()) from exc
    finally:
        book.close()


def _read_rows(cells: Iterable[tuple[Any, ...]], max_rows: int) -> Sheet:
    """Header and non-blank rows; a blank row counts toward ``max_rows`` all the same, so a
    sheet of a million empty rows stops after ``max_rows`` + 1 instead of being walked to the
    end."""
    iterator = iter(cells)
    header_cells = next(iterator, None)
    if header_cells is None or all(is_blank(c) for c in header_cells):
        raise WorkbookError(_("工作表第1行应为表头，但它是空的；请使用下载的模板填写。"))
    headers = tuple(normalize_header(c) for c in header_cells)
    rows: list[RawRow] = []
    for number, values in enumerate(iterator, start=2):
        if number > max_rows + 1:
            raise WorkbookError(
                _(
                    "一次最多导入 %(max)s 行（空行也计入），请删除表格末尾多余的空行，"
                    "或拆分成多个文件。"
                )
                % {"max": max_rows}
            )
        if all(is_blank(v) for v in values):
            continue
        named = {h: v for h, v in zip(headers, values, strict=False) if h}
        rows.append(clean_row(number, named))
    return Sheet(headers=headers, rows=tuple(rows))


def clean_row(number: int, values: Mapping[str, Any]) -> RawRow:
    """A row as the input seam accepts it: every text cell a clean single line (a line break
    in a cell becomes a space) of at most ``LONG_TEXT_MAX`` characters; a refused cell is a
    row error and reads as blank."""
    cleaned: dict[str, Any] = {}
    errors: list[RowError] = []
    for column, value in values.items():
        if not isinstance(value, str):
            cleaned[column] = value
            continue
        try:
            cleaned[column] = clean_line(value)
        except UnsafeText as exc:
            errors.append(RowError(number, column, str(exc)))
            cleaned[column] = ""
            continue
        if len(cleaned[column]) > LONG_TEXT_MAX:
            message = _("内容过长（最多 %(n)s 个字符）。") % {"n": LONG_TEXT_MAX}
            errors.append(RowError(number, column, message))
            cleaned[column] = ""
    return RawRow(number=number, values=cleaned, errors=tuple(errors))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalize_header(value: Any) -> str:
    """``' 终止日期（可选） '`` → ``'终止日期'``."""
    text = "" if value is None else re.sub(r"\s+", "", str(value))
    for mark in (OPTIONAL_MARK, "(可选)", "*"):
        text = text.replace(mark, "")
    return text


def header_problem(headers: Sequence[str], spec: WorkbookSpec) -> str | None:
    """One message naming the missing, unexpected and repeated columns, or None."""
    present = [h for h in headers if h]
    problems = []
    missing = [c for c in spec.required if c not in present]
    if missing:
        problems.append(_("缺少列：%(cols)s") % {"cols": _quoted(missing)})
    for choice in spec.one_of:
        if not any(c in present for c in choice.names):
            problems.append(str(choice.missing_message))
    unexpected = [h for h in present if h not in spec.known]
    if unexpected:
        problems.append(_("无法识别的列：%(cols)s") % {"cols": _quoted(unexpected)})
    repeated = sorted({h for h in present if present.count(h) > 1})
    if repeated:
        problems.append(_("重复的列：%(cols)s") % {"cols": _quoted(repeated)})
    if not problems:
        return None
    return _("表头与模板不符（%(problems)s）。模板的列为：%(cols)s。") % {
        "problems": "；".join(problems),
        "cols": _quoted(spec.headers),
    }


def _quoted(names: Iterable[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


# --- cells ---------------------------------------------------------------------------------


def cell_date(raw: RawRow, column: str, errors: list[RowError], *, required: bool) -> date | None:
    """The row's date in ``column``; a missing required date or a bad one adds an error."""
    value = raw.values.get(column)
    if is_blank(value):
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


# --- the template ----------------------------------------------------------------------------


def template(
    spec: WorkbookSpec, *, lists: Sequence[ListSheet] = (), help_lines: Sequence[str] = ()
) -> bytes:
    """The blank workbook a clerk fills: the data sheet, the reference lists, the help. Written
    by the core writer, so reference values (department names) are stored as text."""
    book = ExportWorkbook()
    columns = [
        SheetColumn(c.header, width=c.width, number_format=c.number_format, choices=c.choices)
        for c in spec.columns
    ]
    data = book.sheet(spec.data_sheet, columns, header_fill=HEADER_FILL, choices_rows=spec.max_rows)
    data.formatted_rows(FORMATTED_ROWS)
    for listing in lists:
        widths = (*listing.widths, *(16,) * (len(listing.headers) - len(listing.widths)))
        sheet = book.sheet(
            listing.title,
            [SheetColumn(h, width=w) for h, w in zip(listing.headers, widths, strict=False)],
            freeze=False,
        )
        for row in listing.rows:
            sheet.append(list(row))
    if help_lines:
        help_sheet = book.sheet(
            HELP_SHEET, [SheetColumn("", width=100)], header=False, freeze=False
        )
        help_sheet.append_header([help_lines[0]], size=13)
        for line in help_lines[1:]:
            help_sheet.append([line])
    return book.to_bytes()
