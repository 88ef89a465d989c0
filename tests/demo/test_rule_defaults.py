"""Every number in RULES.md has a dated national default, loaded idempotently: by every
migration (missing rows only) and by ``socorg demo load`` (rows brought up to date)."""

from __future__ import annotations

from datetime import date

from django.core.management import call_command

from socorg.core.models import RuleParameter
from socorg.core.params import param, param_value
from socorg.core.rule_defaults import REQUIRED, RULE_DEFAULTS, load_rule_defaults


def test_defaults_load_once_and_a_second_run_changes_nothing(db) -> None:
    RuleParameter.objects.all().delete()
    first = load_rule_defaults()
    assert first.created == len(RULE_DEFAULTS)
    again = load_rule_defaults()
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(RULE_DEFAULTS))
    assert RuleParameter.objects.count() == len(RULE_DEFAULTS)


def test_a_migrated_database_holds_every_default(db) -> None:
    keys = set(RuleParameter.objects.filter(jurisdiction=None).values_list("key", flat=True))
    assert keys == {d["key"] for d in RULE_DEFAULTS}


def test_migrate_adds_missing_defaults_and_keeps_the_bureaus_edits(db) -> None:
    RuleParameter.objects.filter(key="RG-3.decision_days").delete()
    RuleParameter.objects.filter(key="CR-4.fine_threshold").update(value=1)
    call_command("migrate", verbosity=0)
    assert param("RG-3.decision_days") == 60
    assert param("CR-4.fine_threshold") == 1


def test_a_changed_default_is_updated_in_place(db) -> None:
    load_rule_defaults()
    RuleParameter.objects.filter(key="CR-4.fine_threshold").update(value=1)
    assert load_rule_defaults().updated == 1
    assert param("CR-4.fine_threshold") == 50_000


def test_keys_are_unique_and_carry_their_rule_id() -> None:
    keys = [(d["key"], d["effective_from"]) for d in RULE_DEFAULTS]
    assert len(keys) == len(set(keys))
    assert all(d["key"].startswith(d["rule_id"] + ".") for d in RULE_DEFAULTS)
    assert all(d["source"] for d in RULE_DEFAULTS)


def test_every_required_parameter_has_a_national_default() -> None:
    assert REQUIRED <= {d["key"] for d in RULE_DEFAULTS}


def test_the_numbers_of_rules_md_are_there(db) -> None:
    load_rule_defaults()
    on = date(2026, 6, 1)
    assert param("RG-1.min_individual_members", on=on) == 50
    assert param("RG-1.min_funds.local", on=on) == 30_000
    assert param("RG-3.decision_days", on=on) == 60
    assert param("RG-10.min_original_funds.non_public", on=on) == 2_000_000
    assert param("CR-4.fine_threshold", on=on) == 50_000
    assert param("RI-3.ratio.city", on=on) == 0.04
    assert param("RI-3.ratio.county", on=on) == 0.03
    assert param("GA-1.valid_years", on=on) == 5
    assert param("TT-2.age_limit", on=on) == 70
    assert param("AR-1.authority_due", on=on) == "05-31"


def test_the_2026_grade_measure_applies_from_its_effective_date(db) -> None:
    """GA-1: the 2026 assessment measure took effect on 2026-03-01."""
    load_rule_defaults()
    value = param_value("GA-1.valid_years", on=date(2026, 3, 1))
    assert value.rule_id == "GA-1"
    assert "评估管理办法" in value.source
