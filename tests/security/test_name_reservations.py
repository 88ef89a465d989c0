"""Attack: a name given up keeps its reservation (RG-15) and blocks everyone else.

A pending application holds the name it was submitted with. When the name changes — in a
correction before acceptance or during the review, in a change of name of a registered
organization — or the application is withdrawn or refused, the name it held is released:
nothing is left behind in the name index for a name nobody applies for any more."""

from __future__ import annotations

from typing import Any

import pytest

from socorg.core.models import Role
from socorg.core.workflow import fire
from socorg.registration.models import Application
from socorg.registration.processes import APPLICATION
from socorg.registration.services import applications as services
from socorg.registry.models import NameKey, NameKeyKind, Organization
from tests import factories as f
from tests.registration.conftest import establishment_data, upload_required_materials
from tests.registration.test_joint_review import _ready
from tests.security.review import give, in_review

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")

OLD = "日照市青少年科技教育促进会"
NEW = "日照市青少年创新教育促进会"


def _reserved() -> set[str]:
    return set(NameKey.objects.filter(kind=NameKeyKind.RESERVED).values_list("name", flat=True))


def _rename(app: Application, applicant: Any, **data: Any) -> None:
    app = Application.objects.get(pk=app.pk)
    services.application_update(actor=applicant, application=app, data={**app.data, **data})


def _act(app: Application, action: str, actor: Any, comment: str = "") -> None:
    fire(process=APPLICATION, key=app.pk, action=action, actor=actor, comment=comment)


def test_name_given_up_in_a_review_correction_is_released(
    api, city, founder, approval_clerk, division_head
) -> None:
    app = in_review(founder, approval_clerk, establishment_data(name=OLD))
    assert _reserved() == {OLD}
    _act(app, "request_review_correction", division_head, "名称与业务范围不符")
    _rename(app, founder, name=NEW)
    _act(app, "resubmit_review", founder)

    assert _reserved() == {NEW}
    assert Application.objects.get(pk=app.pk).reserved_name == NEW
    other = f.user("founder2", Role.ORGANIZATION)
    second = _ready(other, establishment_data(name=OLD))
    assert api(other).fire("application", second.pk, "submit").status_code == 200
    assert _reserved() == {OLD, NEW}


def test_withdrawal_after_a_renaming_correction_releases_the_name_held(
    city, founder, approval_clerk
) -> None:
    app = _ready(founder, establishment_data(name=OLD))
    _act(app, "submit", founder)
    _act(app, "request_correction", approval_clerk, "请补充会员名册")
    _rename(app, founder, name=NEW)
    _act(app, "withdraw", founder)
    assert _reserved() == set()


def test_refusal_after_a_renaming_correction_releases_every_name(
    city, founder, approval_clerk, division_head
) -> None:
    app = in_review(founder, approval_clerk, establishment_data(name=OLD))
    _act(app, "request_review_correction", division_head, "请更正名称")
    _rename(app, founder, name=NEW)
    _act(app, "resubmit_review", founder)
    _act(app, "refuse", division_head, "不符合登记条件")
    assert _reserved() == set()


def test_registry_change_of_name_leaves_no_reservation(
    city, org_account, approval_clerk, city_registrar, party_reviewer, division_head
) -> None:
    first, second = "日照市现代物流行业协会", "日照市智慧物流行业协会"
    app = services.application_create(
        actor=org_account, kind="change", data={"name": first, "reason": "会员大会决议"}
    )
    upload_required_materials(app, org_account, "m.pdf")
    _act(app, "submit", org_account)
    _act(app, "accept", approval_clerk)
    assert _reserved() == {first}
    _act(app, "request_review_correction", division_head, "名称请与章程一致")
    _rename(app, org_account, name=second)
    _act(app, "resubmit_review", org_account)
    assert _reserved() == {second}

    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    _act(app, "approve", division_head, "准予变更")
    org = Organization.objects.get(pk=city.city_org.pk)
    assert org.name == second
    assert _reserved() == set()
    keys = NameKey.objects.filter(organization=org)
    assert set(keys.values_list("kind", "name")) == {
        (NameKeyKind.CURRENT, second),
        (NameKeyKind.FORMER, "日照市物流协会"),
    }
