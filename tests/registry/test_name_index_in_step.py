"""The name-check index follows the registry: a record entered or renamed through a service is
found by the next name check (RG-15) in the same authority."""

from __future__ import annotations

from socorg.core.workflow import fire
from socorg.registration.selectors.names import name_check
from socorg.registry.processes import DATA_CORRECTION
from socorg.registry.services.corrections import correction_propose


def test_renamed_organization_blocks_its_new_name_and_keeps_the_old_one_for_review(
    city, city_registrar, division_head
) -> None:
    correction = correction_propose(
        actor=city_registrar,
        organization=city.city_org,
        changes={"name": "日照市现代物流协会", "core_name": "现代物流"},
        reason="名称登记错误，依核准文件更正",
    )
    fire(process=DATA_CORRECTION, key=correction.pk, action="approve", actor=division_head)
    result = name_check(
        name="日照市现代物流协会", org_type="social_group", jurisdiction_code="371100"
    )
    assert result.verdict == "conflict"
    assert any(hit.uscc == city.city_org.uscc for hit in result.hits)
