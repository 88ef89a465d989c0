"""The home page tells each reviewer what registration work is waiting for them."""

from __future__ import annotations

import pytest

from socorg.registration.models import Opinion
from tests.registration.conftest import establishment_data
from tests.registration.test_joint_review import _in_review


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_department_reviewer_sees_the_opinions_waiting_for_their_department_on_home(
    client, city, founder, approval_clerk, edu_liaison, lanshan_registrar
) -> None:
    app = _in_review(founder, approval_clerk, establishment_data())
    waiting = Opinion.objects.filter(application=app, department=city.edu, state="pending").count()
    assert waiting == 1
    client.force_login(edu_liaison)
    page = client.get("/").content.decode()
    assert "待办事项" in page and "待出具的联合审核意见" in page

    client.force_login(lanshan_registrar)
    assert "待出具的联合审核意见" not in client.get("/").content.decode()


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_approval_clerk_sees_applications_awaiting_acceptance_on_home(
    client, city, founder, approval_clerk
) -> None:
    from socorg.core.workflow import fire
    from socorg.registration.processes import APPLICATION
    from tests.registration.test_joint_review import _ready

    app = _ready(founder, establishment_data())
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    client.force_login(approval_clerk)
    assert "待受理的登记申请" in client.get("/").content.decode()
