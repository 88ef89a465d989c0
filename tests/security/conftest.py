"""The security suite's report: how many generated API requests the schema fuzzing sent."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    cases = sum(
        value
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in getattr(report, "user_properties", [])
        if name == "fuzz_cases"
    )
    if cases:
        terminalreporter.write_line(f"schema fuzzing: {cases} generated API requests")
