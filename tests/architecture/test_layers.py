"""Architecture rules a tool enforces: views and API modules never query models directly, and
SQL is never built with string formatting."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "socorg"
VIEW_MODULES = [
    p for p in SRC.rglob("*.py") if p.name in {"views.py", "api.py"} or p.name.endswith("_views.py")
]


def _code_lines(path: Path) -> list[tuple[int, str]]:
    return [
        (n, line)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if not line.lstrip().startswith("#")
    ]


def test_view_and_api_modules_never_use_objects_manager() -> None:
    offenders = [
        f"{p.relative_to(SRC)}:{n}: {line.strip()}"
        for p in VIEW_MODULES
        for n, line in _code_lines(p)
        if ".objects." in line
    ]
    assert VIEW_MODULES, "no view modules found"
    assert offenders == [], "protected reads must go through selectors/access functions"


RAW_SQL_FORMATTING = re.compile(r"\.(execute|raw|extra)\(\s*f[\"']|\.(execute|raw)\([^)]*%\s*\(")


def test_no_raw_sql_built_with_string_formatting() -> None:
    offenders = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
        for n, line in _code_lines(p)
        if RAW_SQL_FORMATTING.search(line)
    ]
    assert offenders == []
