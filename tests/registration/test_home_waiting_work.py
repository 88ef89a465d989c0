"""The home page tells each reviewer what registration work is waiting for them."""

from __future__ import annotations

import pytest

from socorg.core.workflow import fire
from socorg.registration.models import Opinion, OpinionState
from socorg.registration.processes import APPLICATION
from tests.registration.conftest import establishment_data
from tests.registration.test_joint_review import _in_review, _ready


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_department_reviewer_sees_the_opinions_waiting_for_their_department_on_home(
    client, city, founder, approval_clerk, edu_liaison, lanshan_registrar
) -> None:
    app = _in_review(founder, approval_clerk, establishment_data())
    waiting = Opinion.objects.filter(
        application=app, department=city.edu, state=OpinionState.PENDING
    ).count()
    assert waiting == 1
    client.force_login(edu_liaison)
    page = client.get("/").content.decode()
    assert "待办事项" in page and "待出具的联合审核意见" in page

    client.force_login(lanshan_registrar)
    assert "待出具的联合审核意见" not in client.get("/").content.decode()


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_only_the_approval_bureau_is_shown_applications_awaiting_acceptance(
    client, city, founder, approval_clerk, division_head
) -> None:
    app = _ready(founder, establishment_data())
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    client.force_login(approval_clerk)
    assert "待受理的登记申请" in client.get("/").content.decode()
    # 受理 is the approval bureau's step: the division head sees no card it cannot act on.
    client.force_login(division_head)
    assert "待受理的登记申请" not in client.get("/").content.decode()
