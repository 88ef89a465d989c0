"""Shows in the terminal summary how much the access matrices covered (routes, cases, 0
skipped), also under pytest-xdist: each matrix test records its count line as a user property
of its report, the report reaches the controlling process, and its summary prints the lines.

Registered as a plugin by ``tests/conftest.py``."""

from __future__ import annotations

import pytest

PROPERTY = "access_matrix"
_lines: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _lines.extend(str(value) for name, value in report.user_properties if name == PROPERTY)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in dict.fromkeys(_lines):
        terminalreporter.write_line(line)
