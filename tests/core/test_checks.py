"""One lookup for the rule parameters, one behaviour when one is missing: ``socorg run`` refuses
to start (a system check), never a fallback in code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from socorg.core.checks import TAG
from socorg.core.models import RuleParameter
from socorg.core.rule_defaults import REQUIRED

SRC = Path(__file__).resolve().parents[2] / "src" / "socorg"
KEY_LITERAL = re.compile(r"\"([A-Z]{2}-\d+\.[a-z_.]+)\"")
DEFINITIONS = {SRC / "core" / "rule_defaults.py", SRC / "core" / "params.py"}


def startup_errors() -> list[str]:
    messages = run_checks(tags=[TAG], include_deployment_checks=True, databases=["default"])
    return [m.msg for m in messages if m.is_serious()]


def test_the_check_passes_on_a_migrated_database(db) -> None:
    assert startup_errors() == []


def test_the_check_names_a_missing_parameter(db) -> None:
    RuleParameter.objects.filter(key="RG-14.opinion_working_days").delete()
    errors = startup_errors()
    assert len(errors) == 1 and "RG-14.opinion_working_days" in errors[0]


def test_the_check_is_not_run_without_a_database() -> None:
    assert run_checks(tags=[TAG], include_deployment_checks=True) == []


def test_run_refuses_to_start_without_a_needed_parameter(db) -> None:
    RuleParameter.objects.filter(key="TT-1.term_years").delete()
    with pytest.raises(SystemCheckError, match="TT-1.term_years"):
        call_command("run", "--port", "8999")


def test_every_parameter_the_code_reads_is_declared_required() -> None:
    used = {
        key
        for path in SRC.rglob("*.py")
        if path not in DEFINITIONS and "migrations" not in path.parts
        for key in KEY_LITERAL.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no parameter keys"
    assert used <= REQUIRED, sorted(used - REQUIRED)


def test_no_code_falls_back_when_a_parameter_is_missing() -> None:
    catching = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if "except MissingParameter" in path.read_text(encoding="utf-8")
        and path != SRC / "core" / "checks.py"  # which reports it
    ]
    assert catching == []
