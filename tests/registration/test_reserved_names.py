"""RG-15: the name of a pending application is reserved — another application with the same
or a confusable name is refused at submission, naming the pending application; the name is
free again once the first application is withdrawn."""

from __future__ import annotations

import pytest

from socorg.core.models import Role
from socorg.core.workflow import fire
from socorg.registration.processes import APPLICATION
from socorg.registry.models import NameKey, NameKeyKind
from tests import factories as f
from tests.registration.conftest import establishment_data
from tests.registration.test_joint_review import _ready

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")
NAME = "日照市青少年科技教育促进会"


def test_rg15_pending_application_reserves_its_name(api, city, founder) -> None:
    first = _ready(founder, establishment_data(name=NAME))
    fire(process=APPLICATION, key=first.pk, action="submit", actor=founder)
    assert NameKey.objects.filter(kind=NameKeyKind.RESERVED, name=NAME).count() == 1

    other = f.user("founder2", Role.ORGANIZATION)
    second = _ready(other, establishment_data(name=NAME))
    response = api(other).fire("application", second.pk, "submit")
    assert response.status_code == 422
    message = response.json()["errors"]["__all__"][0]
    assert "正在办理的登记申请预留" in message and f"#{first.pk}" in message
    second.refresh_from_db()
    assert second.state == "draft"

    fire(process=APPLICATION, key=first.pk, action="withdraw", actor=founder)
    assert not NameKey.objects.filter(kind=NameKeyKind.RESERVED, name=NAME).exists()
    assert api(other).fire("application", second.pk, "submit").status_code == 200


def test_rg15_own_reservation_does_not_block_resubmission(
    api, city, founder, approval_clerk
) -> None:
    app = _ready(founder, establishment_data(name=NAME))
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    fire(
        process=APPLICATION,
        key=app.pk,
        action="request_correction",
        actor=approval_clerk,
        comment="请补充会员名册",
    )
    assert api(founder).fire("application", app.pk, "resubmit").status_code == 200
    assert NameKey.objects.filter(kind=NameKeyKind.RESERVED, name=NAME).count() == 1


def test_rg15_refusal_releases_the_name(city, founder, approval_clerk) -> None:
    app = _ready(founder, establishment_data(name=NAME))
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    fire(
        process=APPLICATION,
        key=app.pk,
        action="refuse_acceptance",
        actor=approval_clerk,
        comment="不符合受理条件",
    )
    assert not NameKey.objects.filter(kind=NameKeyKind.RESERVED).exists()
