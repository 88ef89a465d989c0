"""RG-5: social groups may not set up regional branches (社团 §17), judged on the branch's
name; social service agencies may not set up branches at all (民非 §13)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from socorg.core.workflow import ActionRefused, fire
from socorg.registration.processes import APPLICATION
from socorg.registration.selectors import applications as registration_selectors
from socorg.registration.services import applications as registration_services
from socorg.registry.models import Branch
from socorg.registry.rules.organizations import branch_problem, branch_region

PARENT = "日照市物流协会"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def problem(name: str, *, parent_type: str = "social_group", kind: str = "branch", **kw) -> str:
    return branch_problem(parent_type=parent_type, kind=kind, name=name, parent_name=PARENT, **kw)


def test_rg5_regional_branch_of_a_social_group_is_refused_on_its_name() -> None:
    message = problem("日照市物流协会东港区分会")
    assert message is not None and "地域性分支机构" in message and "东港区" in message
    assert "分支机构应按业务范围或会员组成设立" in message and "RG-5" not in message


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("日照市物流协会岚山区分会", "岚山区"),
        ("日照市物流协会莒县分会", "莒县"),
        ("日照市物流协会青岛市分会", "青岛市"),
        ("日照市物流协会石臼街道分会", "石臼街道"),
        ("东港区物流分会", "东港区"),  # not even named after its parent
    ],
)
def test_rg5_regions_are_recognised_by_their_suffix(name: str, region: str) -> None:
    assert branch_region(name, parent_name=PARENT) == region


def test_rg5_known_regions_are_recognised_without_their_suffix() -> None:
    regions = {"山东省", "日照市", "东港区", "岚山区", "五莲县", "莒县"}
    assert branch_region("日照市物流协会东港分会", parent_name=PARENT, regions=regions) == "东港区"
    assert branch_region("日照市物流协会五莲分会", parent_name=PARENT, regions=regions) == "五莲县"
    assert problem("日照市物流协会东港分会", regions=regions)


@pytest.mark.parametrize(
    "name",
    [
        "日照市物流协会冷链专业委员会",
        "日照市物流协会青年工作委员会",
        "日照市物流协会社区配送分会",
        "日照市物流协会城乡配送分会",
        "日照市物流协会市场营销专业委员会",
        "日照市物流协会区块链应用分会",
        "日照市物流协会上市公司分会",
        "日照市物流协会县级物流园区分会",
    ],
)
def test_rg5_branches_named_by_their_business_are_accepted(name: str) -> None:
    assert problem(name, regions={"日照市", "东港区", "莒县"}) is None


def test_rg5_representative_offices_and_foundation_branches_are_not_regional_branches() -> None:
    assert problem("日照市物流协会东港代表处", kind="representative_office") is None
    assert problem("日照市慈善基金会东港区分会", parent_type="foundation") is None


def test_rg5_social_service_agencies_may_not_set_up_branches() -> None:
    assert "不得设立分支机构" in (problem("分中心", parent_type="social_service_agency") or "")


def test_rg5_the_branch_record_refuses_a_regional_name(city) -> None:
    branch = Branch(
        parent=city.city_org,
        kind="branch",
        name="日照市物流协会东港区分会",
        established_on=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        branch.full_clean()
    assert "地域性分支机构" in exc.value.message_dict["kind"][0]


def test_rg5_a_branch_application_named_after_a_district_cannot_be_submitted(
    city, org_account, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    data = {
        "branch_kind": "branch",
        "name": "日照市物流协会东港区分会",
        "principal_name": "赵六",
        "domicile": "日照市东港区",
        "business_scope": "物流交流",
    }
    app = registration_services.application_create(
        actor=org_account, kind="branch_establishment", data=data
    )
    for row in registration_selectors.material_rows(app):
        upload = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
        registration_services.material_upload(
            actor=org_account, application=app, key=row.material.key, upload=upload
        )
    with pytest.raises(ActionRefused, match="地域性分支机构"):
        fire(process=APPLICATION, key=app.pk, action="submit", actor=org_account)
