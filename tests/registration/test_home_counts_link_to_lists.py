"""Every count on the home page leads to the list it counts, and a role that cannot open that
list is not shown the count; the division's decision list shows the opinions received, the
statutory deadline and, on a button that cannot succeed yet, the reason."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from socorg.core.models import Deadline, Role
from socorg.core.workflow import fire
from socorg.core.worklist import waiting_work
from socorg.registration.models import ApplicationState
from socorg.registration.processes import APPLICATION, OPINION
from tests import factories as f
from tests.registration.conftest import establishment_data
from tests.registration.test_joint_review import _in_review, _ready


def _science_data(name: str) -> dict:
    return establishment_data(
        name=name,
        category="science",
        direct_category="科技类",
        supervisory_unit="",
        industry_regulator="EDU",
    )


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_home_counts_link_to_lists_the_role_can_open(
    client, city, founder, approval_clerk, division_head, edu_liaison, city_registrar
) -> None:
    waiting = _ready(founder, establishment_data(name="日照市待受理协会"))
    fire(process=APPLICATION, key=waiting.pk, action="submit", actor=founder)
    _in_review(founder, approval_clerk, _science_data("日照市审核中科技协会"))
    auditor = f.user("auditor", Role.AUDITOR, jurisdiction=city.city)
    director = f.user("director", Role.DIRECTOR, jurisdiction=city.city)
    cast = [founder, approval_clerk, division_head, edu_liaison, city_registrar, auditor, director]
    seen: dict[str, set[str]] = {}
    for user in cast:
        client.force_login(user)
        for count in waiting_work(user):
            assert count.url, f"{count.label} of {user.username} leads nowhere"
            path, _, anchor = count.url.partition("#")
            page = client.get(path)
            assert page.status_code == 200, f"{user.username} cannot open {count.label}"
            assert f'id="{anchor}"' in page.content.decode(), f"{count.label}: no list #{anchor}"
            home = client.get("/").content.decode()
            assert re.search(rf'href="{re.escape(count.url)}"', home), count.label
            seen.setdefault(str(count.label), set()).add(user.username)
    assert seen["待受理的登记申请"] == {"approval_clerk"}
    assert seen["待决定的登记申请"] == {"division_head"}
    assert seen["待出具的联合审核意见"] == {"edu_liaison", "city_registrar"}
    for user in (auditor, director, founder, division_head):
        client.force_login(user)
        assert "待受理的登记申请" not in client.get("/").content.decode(), user.username


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_decision_list_shows_opinions_received_and_the_legal_deadline(
    client, city, founder, approval_clerk, division_head, party_reviewer
) -> None:
    app = _in_review(founder, approval_clerk, _science_data("日照市意见计数科技协会"))
    asked = app.opinions.exclude(state="withdrawn").count()
    party = app.opinions.get(role="party_building")
    fire(process=OPINION, key=party.pk, action="consent", actor=party_reviewer)
    client.force_login(division_head)
    page = client.get("/registration/").content.decode()
    decide = page[page.index('id="to-decide"') :]
    assert "日照市意见计数科技协会" in decide
    assert f"1/{asked}" in decide
    assert re.search(r"\d{4}-\d{2}-\d{2} <span[^>]*>剩余 \d+ (天|个工作日)</span>", decide), (
        "deadline"
    )


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_decision_button_is_disabled_with_its_reason_until_approval_can_succeed(
    client,
    city,
    founder,
    approval_clerk,
    division_head,
    party_reviewer,
    edu_liaison,
    city_registrar,
) -> None:
    app = _in_review(founder, approval_clerk, _science_data("日照市待决定科技协会"))
    client.force_login(division_head)
    page = client.get("/registration/").content.decode()
    row = page[page.index('id="to-decide"') :]
    assert re.search(r"<button[^>]*disabled[^>]*>准予登记</button>", row)
    assert "暂不能准予：" in row
    assert f'action="/registration/applications/{app.pk}/transition/"' not in row

    actors = {
        "party_building": party_reviewer,
        "opinion_request": edu_liaison,
        "registration_division": city_registrar,
    }
    for opinion in app.opinions.exclude(state="withdrawn"):
        fire(process=OPINION, key=opinion.pk, action="consent", actor=actors[opinion.role])
    row = client.get("/registration/").content.decode()
    row = row[row.index('id="to-decide"') :]
    assert "暂不能准予：" not in row
    assert f'action="/registration/applications/{app.pk}/transition/"' in row
    client.post(
        f"/registration/applications/{app.pk}/transition/",
        {"action": "approve", "expected_state": ApplicationState.JOINT_REVIEW},
    )
    app.refresh_from_db()
    assert app.state == ApplicationState.APPROVED


def _panel(page: str) -> str:
    """The 办理 card of the application detail page."""
    return page[page.index(">办理</div>") :]


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_detail_page_disables_approval_with_its_reason_while_opinions_are_outstanding(
    client, city, founder, approval_clerk, division_head, edu_liaison, city_registrar
) -> None:
    app = _in_review(founder, approval_clerk, _science_data("日照市详情待决定科技协会"))
    client.force_login(division_head)
    panel = _panel(client.get(f"/registration/applications/{app.pk}/").content.decode())
    button = re.search(r"<button[^>]*>准予登记</button>", panel)
    assert (
        button
        and "disabled" in button.group()
        and 'aria-describedby="why-approve"' in button.group()
    )
    reason = panel[panel.index('id="why-approve"') :]
    assert "暂不能准予登记：尚有部门未出具意见" in reason.split("</div>")[0]
    assert re.search(r'<button type="submit" name="action" value="refuse"', panel)


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_a_liaisons_opinion_buttons_sit_in_the_one_panel_to_act(
    client, city, founder, approval_clerk, edu_liaison
) -> None:
    app = _in_review(founder, approval_clerk, _science_data("日照市联络员办理科技协会"))
    client.force_login(edu_liaison)
    page = client.get(f"/registration/applications/{app.pk}/").content.decode()
    panel = _panel(page)
    assert "当前无需您操作" not in page
    assert 'data-own-opinion="opinion_request"' in panel
    assert 'value="consent"' in panel and 'value="refuse"' in panel
    assert 'value="consent"' not in page[: page.index(">办理</div>")]


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_monitor_charts_overdue_and_due_soon_per_department(
    client, city, founder, approval_clerk, division_head
) -> None:
    """电子监察 draws the per-department counts (overdue red, soon amber) from a json block; the
    list below names the items."""
    app = _in_review(founder, approval_clerk, establishment_data())
    opinion = app.opinions.get()
    Deadline.objects.filter(process="opinion", object_id=str(opinion.pk)).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    client.force_login(division_head)
    page = client.get("/registration/monitor/").content.decode()
    block = re.search(
        r'<script id="monitor-department-chart-data" type="application/json">(.*?)</script>', page
    )
    assert block
    chart = json.loads(block.group(1))
    assert chart["categories"] == ["日照市教育局"]
    series = {s["name"]: s for s in chart["series"]}
    assert series["已逾期"]["data"] == [1] and series["已逾期"]["meaning"] == "refused"
    assert series["即将到期"]["data"] == [0]
    assert "明细见下方列表" in page
