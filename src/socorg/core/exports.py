"""The one spreadsheet writer: every workbook socorg produces (list exports, import templates)
is written through :class:`ExportWorkbook`, and nothing else in the source tree builds an
openpyxl workbook (``tests/security/test_formula_injection.py`` checks that).

Why one writer: a value typed by an applicant or a clerk (an organization's name, a domicile, a
contact) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break is a live formula
once a spreadsheet program reads it or a clerk edits the cell (``=HYPERLINK(…)`` sends the
clerk's data elsewhere; ``@SUM(…)`` and ``+1+1`` run when the cell is re-entered). The writer
stores every such value as text with Excel's quote-prefix style, so the clerk sees the same
characters and nothing runs. Characters that XML cannot carry are dropped instead of failing the
export. No CSV export exists; one added later belongs here and prefixes such values with ``'``.

Sheets are written in streaming (write-only) mode: memory stays flat whatever the row count."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# First characters that make a spreadsheet program read a cell as a formula (or a command);
# the full-width forms are included because some East Asian input methods produce them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Values Excel reads as error codes rather than text.
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
# Control characters XML 1.0 cannot carry (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WRAP = Alignment(wrap_text=True, vertical="top")


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet program would read ``value`` as a formula or an error code."""
    return value.startswith(FORMULA_TRIGGERS) or value.strip() in _ERROR_CODES


@dataclass(frozen=True)
class SheetColumn:
    """One column of a written sheet: its header, width, whether its text wraps, and for
    templates the number format of its blank rows and the drop-down list of its values."""

    header: str
    width: int = 16
    number_format: str = ""
    choices: tuple[str, ...] = ()
    wrap: bool = False  # long text (宗旨, 业务范围) wraps within the column, read from the top


class ExportSheet:
    """A sheet being written row by row; every value passes through :meth:`cell`."""

    def __init__(self, sheet: Any, columns: Sequence[SheetColumn]) -> None:
        self._sheet = sheet
        self._columns = tuple(columns)
        self.rows = 0

    def append(self, values: Iterable[Any], *, formats: Sequence[str] = ()) -> None:
        """A data row: numbers and dates take their column's number format, or the row's own
        (``formats``, by position) where a sheet of label/value rows mixes them in one column."""
        columns = self._columns
        cells = []
        for index, value in enumerate(values):
            cell = self.cell(value)
            fmt = formats[index] if index < len(formats) else ""
            if not fmt and index < len(columns):
                fmt = columns[index].number_format
            if fmt and value is not None and not isinstance(value, str):
                cell.number_format = fmt
            if index < len(columns) and columns[index].wrap:
                cell.alignment = _WRAP
            cells.append(cell)
        self._sheet.append(cells)
        self.rows += 1

    def append_header(self, values: Iterable[Any], *, size: float | None = None) -> None:
        font = Font(bold=True, size=size) if size else Font(bold=True)
        self._sheet.append([self.cell(v, font=font) for v in values])
        self.rows += 1

    def formatted_rows(self, count: int) -> None:
        """``count`` empty rows whose cells carry their column's number format (a template's
        text columns keep long digit strings as typed)."""
        formats = [c.number_format for c in self._columns]
        for _index in range(count):
            self._sheet.append([self._blank(f) if f else None for f in formats])

    def cell(self, value: Any, *, font: Font | None = None, fill: PatternFill | None = None) -> Any:
        """The write-only cell for ``value``: text that would run as a formula is stored as
        text with the quote prefix; other values keep their type."""
        if isinstance(value, str):
            value = _ILLEGAL.sub("", value)
        cell = WriteOnlyCell(self._sheet, value=value)
        if isinstance(value, str) and is_formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell

    def _blank(self, number_format: str) -> Any:
        cell = WriteOnlyCell(self._sheet)
        cell.number_format = number_format
        return cell


class ExportWorkbook:
    """A workbook written in streaming mode, sheet after sheet."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)
        self._filtered: list[tuple[Any, ExportSheet, int]] = []

    def sheet(
        self,
        title: str,
        columns: Sequence[SheetColumn],
        *,
        header: bool = True,
        header_fill: str = "",
        freeze: bool = True,
        choices_rows: int = 0,
        autofilter: bool = False,
    ) -> ExportSheet:
        """A new sheet with its column widths, drop-down lists (``choices_rows`` rows below the
        header) and, unless ``header`` is False, a bold header row of the columns' headers;
        ``autofilter`` puts Excel's filter buttons on that header over all written rows."""
        raw = self._book.create_sheet(_sheet_title(title))
        for index, column in enumerate(columns, start=1):
            raw.column_dimensions[get_column_letter(index)].width = column.width
            if column.choices and choices_rows:
                _add_choices(raw, index, column.choices, choices_rows)
        if freeze:
            raw.freeze_panes = "A2"
        sheet = ExportSheet(raw, columns)
        if header:
            fill = PatternFill("solid", fgColor=header_fill) if header_fill else None
            font = Font(bold=True)
            raw.append([sheet.cell(c.header, font=font, fill=fill) for c in columns])
            sheet.rows += 1
            if autofilter:
                self._filtered.append((raw, sheet, len(columns)))
        return sheet

    def save(self, handle: IO[bytes]) -> None:
        for raw, sheet, width in self._filtered:
            raw.auto_filter.ref = f"A1:{get_column_letter(width)}{max(sheet.rows, 1)}"
        self._book.save(handle)

    def to_tempfile(self) -> IO[bytes]:
        """The workbook in an anonymous temporary file, positioned at its start."""
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the caller
        self.save(handle)
        handle.seek(0)
        return handle

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet"


def _add_choices(raw: Any, index: int, choices: Sequence[str], rows: int) -> None:
    letter = get_column_letter(index)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False
    )
    validation.add(f"{letter}2:{letter}{rows + 1}")
    raw.data_validations.append(validation)
