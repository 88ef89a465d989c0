"""A state looks the same wherever it is shown: one tag colours it by what it means (draft
grey, in review blue, waiting for the applicant amber, approved green, refused red); and the
navigation's 统计分析 does not open the coverage report."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.template import Context, Template
from django.urls import reverse

from socorg.core.templatetags.state_ui import MEANINGS, state_meaning
from socorg.core.workflow import all_processes
from socorg.registration.models import ApplicationState
from socorg.registry.models import CorrectionState, OrgStatus

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "socorg"


def _badge(state: str, label: str = "x") -> str:
    return Template("{% load state_ui %}{% state_badge s l %}").render(
        Context({"s": state, "l": label})
    )


def test_state_badge_colour_says_what_the_state_means() -> None:
    assert "text-bg-secondary" in _badge(ApplicationState.DRAFT)
    for in_review in (ApplicationState.SUBMITTED, ApplicationState.JOINT_REVIEW):
        assert "text-bg-primary" in _badge(in_review)
    for waiting in (ApplicationState.CORRECTION_REQUESTED, ApplicationState.REVIEW_CORRECTION):
        assert "text-bg-warning" in _badge(waiting)
    for approved in (ApplicationState.APPROVED, CorrectionState.APPROVED, OrgStatus.REGISTERED):
        assert "text-bg-success" in _badge(approved)
    for refused in (ApplicationState.REFUSED, CorrectionState.REJECTED, OrgStatus.REVOKED):
        assert "text-bg-danger" in _badge(refused)
    assert state_meaning("no_such_state") == "draft"
    assert ">准予登记</span>" in _badge(ApplicationState.APPROVED, "准予登记")


def test_every_state_of_every_process_has_a_meaning() -> None:
    for process in all_processes().values():
        for state in process.states:
            assert str(state) in MEANINGS, f"{process.name}: {state}"


def test_states_are_shown_through_the_one_badge_tag() -> None:
    """No template colours a state by hand."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if ("get_state_display" in line or "get_status_display" in line) and (
                'class="badge' in line and "state_badge" not in line
            ):
                offenders.append(f"{path.name}: {line.strip()[:80]}")
    allowed = {"application_edit.html"}  # the applicant's form, reworked separately
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []


def test_insights_face_does_not_open_the_coverage_report(client, city, city_registrar) -> None:
    client.force_login(city_registrar)
    faces = {f.key: f for f in client.get(reverse("home")).context["nav_faces"]}
    assert faces["insights"].url != reverse("party:coverage_report")
    assert faces["insights"].url is None, "shown as 建设中 until insights has its own page"
    departments = client.get(reverse("party:department_list")).content.decode()
    assert reverse("party:coverage_report") in departments, "coverage stays reachable"


def test_home_status_chart_reads_its_figures_from_a_json_block(
    client, city, city_registrar
) -> None:
    """The chart is drawn by app.js from a json_script block (no inline script) and the status
    cards beside it carry the same figures in words."""
    client.force_login(city_registrar)
    page = client.get(reverse("home")).content.decode()
    block = re.search(
        r'<script id="status-chart-data" type="application/json">(.*?)</script>', page
    )
    assert block, "the chart's data block"
    points = {p["name"]: p for p in json.loads(block.group(1))}
    assert points["正常"]["value"] == 4 and points["正常"]["meaning"] == "approved"
    assert points["已撤销"]["meaning"] == "refused"
    assert 'data-chart="bar" data-chart-source="status-chart-data"' in page
    assert 'role="img" aria-label="各状态社会组织数量图' in page
    assert "echarts.min.js" in page, "ECharts is loaded only where a chart is"
    assert (
        "echarts.min.js" not in client.get(reverse("registry:organization_list")).content.decode()
    )
