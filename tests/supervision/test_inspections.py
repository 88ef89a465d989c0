"""Random inspections (RI-1 … RI-6) through the services: a plan committed with both pools frozen
and its commitment published before the seed exists anywhere but its file; the draw reveals it
and anyone recomputes the result from the public bundle; refusals write nothing."""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client

from socorg.core.audit import verify_chain
from socorg.core.models import Notice, Role
from socorg.core.workflow import StaleState
from socorg.registry.models import Organization
from socorg.supervision import draw
from socorg.supervision.models import (
    CreditList,
    CreditListing,
    DeclaredRelationship,
    FindingResult,
    InspectionFinding,
    InspectionPlan,
    ListingGround,
    ListingState,
    PlanAssignment,
    PlanConflict,
    PlanOrganization,
    PlanState,
)
from socorg.supervision.rules import inspections as rules
from socorg.supervision.selectors import inspections as selectors
from socorg.supervision.selectors.inspections import risk_facts
from socorg.supervision.services import inspections as services
from tests import factories as f
from tests.supervision.inspection_fixtures import *  # noqa: F403


def test_ri3_commit_freezes_pools_and_publishes_commitment_before_the_draw(
    plan, city, division_head, inspectors, settings
) -> None:
    CreditListing.objects.create(
        organization=city.city_org,
        list=CreditList.ABNORMAL,
        ground=ListingGround.UNREACHABLE,
        rule_id="CR-2",
        state=ListingState.LISTED,
        source="manual",
    )
    DeclaredRelationship.objects.create(
        user=inspectors[0],
        organization=city.city_org,
        relation="亲属任秘书长",
        declared_on=date(2026, 1, 1),
    )
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.state == PlanState.COMMITTED
    assert plan.seed == ""
    files = list(settings.SOCORG_INSPECTION_SEED_DIR.iterdir())
    assert len(files) == 1
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    seed = files[0].read_text()
    assert hashlib.sha256(seed.encode()).hexdigest() == plan.commitment
    bundle = selectors.plan_bundle(plan)
    assert bundle["seed"] is None and bundle["selected"] == []
    listed = next(p for p in bundle["pool"] if p["uscc"] == city.city_org.uscc)
    assert listed["weight"] == "2.000" and set(listed) == {"uscc", "stratum", "weight"}
    reasons = {(c["inspector"], c["uscc"], c["reason"]) for c in bundle["conflicts"]}
    assert (inspectors[0].pk, city.city_org.uscc, "declared") in reasons
    # RI-5: the 教育局 liaison recuses from the 教育学会 it sponsors.
    assert (inspectors[3].pk, city.edu_org.uscc, "department") in reasons


def test_ri2_draw_reveals_the_seed_and_the_public_bundle_verifies(
    plan, division_head, settings, django_capture_on_commit_callbacks
) -> None:
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_draw(actor=division_head, plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN and len(plan.seed) == 64
    response = Client().get(f"/api/v1/inspection-plans/{plan.pk}")
    assert response.status_code == 200
    bundle = response.json()
    assert set(bundle) == {
        "id",
        "year",
        "authority",
        "state",
        "commitment",
        "pool_hash",
        "seed",
        "strata",
        "pool",
        "inspectors",
        "conflicts",
        "selected",
        "algorithm",
    }
    assert bundle["algorithm"] == "efraimidis-spirakis-sha256-v1"
    assert draw.verify_bundle(bundle) == []
    strata = {s["stratum"]: s for s in bundle["strata"]}
    assert strata["social_group:city"]["k"] == math.ceil(0.04 * strata["social_group:city"]["size"])
    assert all(len(s["inspectors"]) == 2 for s in bundle["selected"])
    assert list(settings.SOCORG_INSPECTION_SEED_DIR.iterdir()) == []
    listing = Client().get("/api/v1/inspection-plans").json()
    assert [p["id"] for p in listing] == [plan.pk]
    call_command("draw", "verify", "--plan", str(plan.pk))
    assert verify_chain().ok


def test_ri5_stored_pairs_keep_the_draws_order_whatever_join_the_database_picks(
    plan, division_head, django_capture_on_commit_callbacks
) -> None:
    """The two inspectors of each organization are stored, and published, in the order the
    draw took them, even when PostgreSQL joins by hash (which returns rows in any order)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the join plans are PostgreSQL's")
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_draw(actor=division_head, plan_id=plan.pk)
    plan.refresh_from_db()
    bundle = Client().get(f"/api/v1/inspection-plans/{plan.pk}").json()
    recomputed = draw.result_from_bundle(bundle)
    assert [(s["uscc"], tuple(str(i) for i in s["inspectors"])) for s in bundle["selected"]] == [
        (s.uscc, s.inspectors) for s in recomputed.selected
    ]


def test_ri2_marking_the_selection_rewrites_rows_in_place_on_postgresql(
    plan, division_head
) -> None:
    """The pool table keeps room in its pages and no index holds ``selected`` (migration
    0005), so marking the drawn organizations is a HOT update: no index entry per row."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: HOT updates are PostgreSQL's")
    services.plan_commit(actor=division_head, plan_id=plan.pk)

    def updates() -> tuple[int, int]:
        # This transaction's counts so far (it may hold other tests' rolled-back work).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'supervision_planorganization'"
            )
            return cursor.fetchone()

    before = updates()
    services.plan_draw(actor=division_head, plan_id=plan.pk)
    after = updates()
    selected = PlanOrganization.objects.filter(plan=plan, selected=True).count()
    assert selected > 0
    assert after[0] - before[0] == after[1] - before[1] == selected


def test_ri2_refuses_a_draw_before_commitment_and_a_second_draw(plan, division_head) -> None:
    with pytest.raises(StaleState, match="不能执行"):
        services.plan_draw(actor=division_head, plan_id=plan.pk)
    assert PlanAssignment.objects.count() == 0
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    services.plan_draw(actor=division_head, plan_id=plan.pk)
    seed = InspectionPlan.objects.get(pk=plan.pk).seed
    count = PlanAssignment.objects.count()
    with pytest.raises(StaleState, match="不能执行"):
        services.plan_draw(actor=division_head, plan_id=plan.pk)
    assert InspectionPlan.objects.get(pk=plan.pk).seed == seed
    assert PlanAssignment.objects.count() == count


def test_draft_plan_bundle_is_not_public(plan) -> None:
    assert Client().get(f"/api/v1/inspection-plans/{plan.pk}").status_code == 404
    assert Client().get("/api/v1/inspection-plans").json() == []


def test_ri5_refuses_a_conflicted_inspector_by_hand(plan, city, division_head, inspectors) -> None:
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    services.plan_draw(actor=division_head, plan_id=plan.pk)
    chosen = selectors.plan_bundle(InspectionPlan.objects.get(pk=plan.pk))["selected"][0]["uscc"]
    PlanConflict.objects.create(
        plan=plan,
        inspector=plan.inspectors.get(user=inspectors[2]),
        uscc=chosen,
        reason="declared",
    )
    before = PlanAssignment.objects.count()
    with pytest.raises(ValidationError, match="回避"):
        services.assignment_add(
            actor=division_head, plan_id=plan.pk, uscc=chosen, inspector_user_id=inspectors[2].pk
        )
    assert PlanAssignment.objects.count() == before


def test_ri6_finding_goes_to_the_organization_with_a_publication_date(
    plan, city, division_head, django_capture_on_commit_callbacks
) -> None:
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    services.plan_draw(actor=division_head, plan_id=plan.pk)
    assignment = PlanAssignment.objects.select_related("inspector__user", "subject").first()
    inspector = assignment.inspector.user
    account = f.user("org_account", Role.ORGANIZATION, organization=assignment.subject.organization)
    matter = plan.matter_list.matters.get(code="finances")
    with pytest.raises(ValidationError):
        services.finding_record(
            actor=inspector,
            subject_id=assignment.subject_id,
            matter_id=matter.pk,
            result=FindingResult.ISSUES,
            description="",
        )
    with django_capture_on_commit_callbacks(execute=True):
        finding = services.finding_record(
            actor=inspector,
            subject_id=assignment.subject_id,
            matter_id=matter.pk,
            result=FindingResult.ISSUES,
            description="未按规定建立财务台账",
        )
    assert finding.publish_by > finding.recorded_on
    assert Notice.objects.filter(recipient=account).exists()
    other = f.user("stranger", Role.INSPECTOR, jurisdiction=city.city)
    with pytest.raises(Exception):  # noqa: B017 - 404 for a task that is not theirs
        services.finding_record(
            actor=other,
            subject_id=assignment.subject_id,
            matter_id=matter.pk,
            result=FindingResult.COMPLIANT,
            description="",
        )
    assert InspectionFinding.objects.count() == 1
    assert json.dumps(selectors.plan_bundle(plan)).find("未按规定") == -1


def test_ri3_a_verified_complaint_raises_the_weight_through_the_risk_facts(plan, city) -> None:
    in_scope = Organization.objects.filter(pk=city.city_org.pk).values("pk")
    facts = risk_facts(in_scope, on=date(2026, 6, 1), complaint_verified={city.city_org.pk})
    causes = facts.causes(city.city_org.pk)
    assert causes == ["complaint_verified"]
    assert rules.risk_weight(causes, plan.weights) == Decimal("2.000")
    assert rules.risk_weight(["complaint_verified", "credit_listing"], plan.weights) == Decimal(
        "4.000"
    )
    # Without complaint records the factor reads as an empty set.
    assert risk_facts(in_scope, on=date(2026, 6, 1)).causes(city.city_org.pk) == []
