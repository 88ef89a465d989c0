"""The public bundle of a drawn random-inspection plan (RI-2), stored once after the draw: the
API serves the stored bundle byte for byte as it would build it, compressed to a client that
accepts gzip; ``socorg draw verify`` reads it, recomputes the draw from it alone, and catches a
stored bundle that was tampered with."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from socorg.core.audit import verify_chain
from socorg.core.models import AuditLog
from socorg.supervision import draw, tasks
from socorg.supervision.models import InspectionPlan, PlanBundle
from socorg.supervision.services import inspections as services
from tests.supervision.inspection_fixtures import *  # noqa: F403


@pytest.fixture
def drawn(plan, division_head, django_capture_on_commit_callbacks) -> InspectionPlan:
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_draw(actor=division_head, plan_id=plan.pk)
    return InspectionPlan.objects.get(pk=plan.pk)


def _url(plan: InspectionPlan) -> str:
    return f"/api/v1/inspection-plans/{plan.pk}"


def _tamper(plan: InspectionPlan, change, *, keep_digest: bool = True) -> None:
    stored = PlanBundle.objects.get(plan=plan)
    bundle = json.loads(gzip.decompress(stored.body))
    change(bundle)
    body = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode()
    stored.body = gzip.compress(body)
    if keep_digest:
        stored.sha256 = hashlib.sha256(body).hexdigest()
    stored.save()


def test_ri2_stored_bundle_is_the_built_bundle_byte_for_byte(drawn) -> None:
    built = Client().get(_url(drawn))
    assert built.status_code == 200 and not PlanBundle.objects.exists()
    stored = services.plan_bundle_store(plan_id=drawn.pk)
    assert stored is not None
    served = Client().get(_url(drawn))
    assert served.status_code == 200
    assert served.content == built.content
    assert stored.sha256 == hashlib.sha256(built.content).hexdigest()
    assert stored.size == len(built.content)
    assert draw.verify_bundle(served.json()) == []
    assert served["ETag"] == f'"{stored.sha256}"'
    assert "Accept-Encoding" in served["Vary"]


def test_ri2_stored_bundle_goes_compressed_to_a_client_that_accepts_gzip(drawn) -> None:
    services.plan_bundle_store(plan_id=drawn.pk)
    plain = Client().get(_url(drawn)).content
    response = Client().get(_url(drawn), headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    refused = Client().get(_url(drawn), headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in refused and refused.content == plain
    again = Client().get(
        _url(drawn), headers={"Accept-Encoding": "gzip", "If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


def test_ri2_the_draw_queues_the_bundle_and_it_is_stored_once(drawn) -> None:
    assert tasks.plan_bundle_task.call(plan_id=drawn.pk) == {"plan": drawn.pk, "stored": True}
    assert tasks.plan_bundle_task.call(plan_id=drawn.pk) == {"plan": drawn.pk, "stored": False}
    assert PlanBundle.objects.filter(plan=drawn).count() == 1
    row = AuditLog.objects.get(action="inspection.bundle_store")
    assert row.after["sha256"] == PlanBundle.objects.get(plan=drawn).sha256
    assert verify_chain().ok


def test_ri2_a_plan_not_drawn_has_no_stored_bundle(plan, division_head) -> None:
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    assert services.plan_bundle_store(plan_id=plan.pk) is None
    bundle = Client().get(_url(plan)).json()
    assert bundle["seed"] is None and bundle["selected"] == []


def test_draw_verify_reads_the_stored_bundle(drawn, capsys) -> None:
    services.plan_bundle_store(plan_id=drawn.pk)
    call_command("draw", "verify", "--plan", str(drawn.pk))
    assert "核对一致" in capsys.readouterr().out


def test_draw_verify_detects_a_stored_selection_changed_with_its_digest(drawn) -> None:
    services.plan_bundle_store(plan_id=drawn.pk)

    def swap(bundle):
        first = bundle["selected"][0]
        first["inspectors"] = list(reversed(first["inspectors"]))

    _tamper(drawn, swap)
    with pytest.raises(CommandError) as refused:
        call_command("draw", "verify", "--plan", str(drawn.pk))
    assert "selections differ from those stored by the draw" in str(refused.value)


def test_draw_verify_detects_a_stored_pool_changed_with_its_digest(drawn) -> None:
    services.plan_bundle_store(plan_id=drawn.pk)

    def heavier(bundle):
        bundle["pool"][0]["weight"] = "9.000"

    _tamper(drawn, heavier)
    with pytest.raises(CommandError) as refused:
        call_command("draw", "verify", "--plan", str(drawn.pk))
    assert "pool hash does not match the published pool" in str(refused.value)


def test_draw_verify_detects_a_stored_bundle_that_no_longer_matches_its_digest(drawn) -> None:
    services.plan_bundle_store(plan_id=drawn.pk)
    _tamper(drawn, lambda bundle: bundle.update(authority="别处"), keep_digest=False)
    with pytest.raises(CommandError) as refused:
        call_command("draw", "verify", "--plan", str(drawn.pk))
    assert "does not match its recorded SHA-256" in str(refused.value)


def test_draw_verify_detects_a_stored_seed_that_is_not_the_plans(drawn) -> None:
    services.plan_bundle_store(plan_id=drawn.pk)
    _tamper(drawn, lambda bundle: bundle.update(seed="1f" * 32))
    with pytest.raises(CommandError) as refused:
        call_command("draw", "verify", "--plan", str(drawn.pk))
    message = str(refused.value)
    assert "differs from the plan's published commitment, pool hash or seed" in message
    assert "commitment does not match sha256(seed)" in message
