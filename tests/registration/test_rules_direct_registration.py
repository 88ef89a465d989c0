"""RG-14: the direct-registration categories come from the rule parameter; 城乡社区服务类 is
registered directly only by a county-level authority; the declared organization category
agrees with the direct-registration category."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socorg.core.models import Role, RuleParameter, User
from socorg.registration.kinds import EstablishmentForm
from socorg.registration.rules import applications as rules
from socorg.registration.services import applications as services
from socorg.registry.models import Category
from tests import factories as f

LABELS = {c.value: str(c.label) for c in Category}
PARAMS = rules.DirectRegistration(
    categories=("行业协会商会", "科技类", "公益慈善类", "城乡社区服务类"),
    category_fields={"科技类": ("science",), "城乡社区服务类": ("social_services", "other")},
    county_only=("城乡社区服务类",),
)


def problems(direct: str, category: str, level: str = "city") -> list[str]:
    return rules.direct_registration_problems(
        direct_category=direct, category=category, authority_level=level, p=PARAMS, labels=LABELS
    )


def test_rg14_dual_management_is_not_concerned() -> None:
    assert problems("", "education") == []


def test_rg14_community_service_only_at_county_authorities() -> None:
    assert problems("城乡社区服务类", "other", level="county") == []
    (city,) = problems("城乡社区服务类", "other", level="city")
    assert "县级登记管理机关" in city and "RG-14" not in city


def test_rg14_declared_category_agrees_with_the_direct_category() -> None:
    assert problems("科技类", "science") == []
    (message,) = problems("科技类", "education")
    assert "行业分类“教育”与直接登记类别“科技类”不符" in message and "科技与研究" in message


def test_rg14_unknown_direct_category_is_refused() -> None:
    (message,) = problems("文化类", "culture")
    assert "不是直接登记类别" in message


def data(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "日照市东港区邻里互助协会",
        "category": "other",
        "direct_category": "城乡社区服务类",
        "industry_regulator": "EDU",
        "purpose": "邻里互助",
        "business_scope": "社区服务",
        "domicile": "日照市东港区海曲中路1号",
        "registered_funds": "50000",
        "individual_members": 60,
        "legal_representative": "王海",
        "legal_representative_id": "110101198001010010",
        "principals": [{"name": "王海", "id_number": "110101198001010010", "post": "chair"}],
    }
    values.update(over)
    return values


def conditions(where: str, values: dict[str, Any]) -> list[str]:
    founder = User.objects.filter(username="founder").first() or f.user(
        "founder", Role.ORGANIZATION
    )
    app = services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code=where,
        data=values,
    )
    form = EstablishmentForm(data=values)
    assert form.is_valid(), form.errors
    return [p.message for p in services.condition_problems(app, form.cleaned_data)]


def test_rg14_community_service_applied_to_the_city_is_refused(city) -> None:
    assert any("县级登记管理机关" in p for p in conditions("371100", data()))
    assert conditions("371102", data()) == []


def test_rg14_mismatched_category_is_refused_where_conditions_are_checked(city) -> None:
    found = conditions("371100", data(direct_category="科技类", category="education"))
    assert any("与直接登记类别“科技类”不符" in p for p in found)


def test_rg14_categories_come_from_the_parameter(city) -> None:
    RuleParameter.objects.create(
        rule_id="RG-14",
        key="RG-14.direct_registration_categories",
        value=["行业协会商会", "科技类", "公益慈善类", "城乡社区服务类", "文化类"],
        effective_from=date(2025, 1, 1),
        source="本地直接登记类别（测试值）",
    )
    choices = [value for value, _label in EstablishmentForm().fields["direct_category"].choices]
    assert choices == ["", "行业协会商会", "科技类", "公益慈善类", "城乡社区服务类", "文化类"]
    found = conditions("371100", data(direct_category="文化类", category="culture"))
    assert not any("不是直接登记类别" in p for p in found)


@pytest.mark.parametrize("value", ["", "科技类"])
def test_rg14_the_form_offers_the_parameters_categories(db, value) -> None:
    form = EstablishmentForm(data=data(direct_category=value, category="science"))
    assert "direct_category" not in form.errors
