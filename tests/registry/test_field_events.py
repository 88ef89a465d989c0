"""One field → event map (``registry.rules.changes``): a data correction and an approved change
registration of the same field record the same public event, only their reasons differ."""

from __future__ import annotations

import pytest

from socorg.core.workflow import fire, get_process
from socorg.registry.models import EventKind, EventReason, OrganizationEvent
from socorg.registry.rules.changes import CORRECTABLE_FIELDS, FIELD_EVENTS
from socorg.registry.services.corrections import correction_propose
from socorg.registry.services.organizations import organization_change_apply

NEW_VALUES = {
    "purpose": "促进本市现代物流业规范发展",
    "business_scope": "行业调研、培训、咨询服务",
    "domicile": "日照市东港区海曲中路1号",
    "legal_representative": "王新",
}


@pytest.mark.parametrize("field", sorted(NEW_VALUES))
def test_corrections_and_approved_changes_record_the_same_event_for_a_field(
    field, city, city_registrar, division_head
) -> None:
    org = city.city_org
    correction = correction_propose(
        actor=city_registrar,
        organization=org,
        changes={field: NEW_VALUES[field]},
        reason="依登记档案更正",
    )
    fire(
        process=get_process("data_correction"),
        key=correction.pk,
        action="approve",
        actor=division_head,
    )
    organization_change_apply(
        actor=division_head,
        organization=org,
        changes={field: NEW_VALUES[field] + "（变更）"},
        application_id=1,
    )
    events = OrganizationEvent.objects.filter(organization=org).exclude(
        kind=EventKind.HISTORICAL_ENTRY
    )
    assert sorted(events.values_list("reason", "kind")) == [
        (EventReason.APPLICATION, FIELD_EVENTS[field]),
        (EventReason.DATA_CORRECTION, FIELD_EVENTS[field]),
    ]


def test_a_change_of_purpose_is_a_change_of_scope() -> None:
    assert FIELD_EVENTS["purpose"] == FIELD_EVENTS["business_scope"] == EventKind.SCOPE_CHANGED


def test_every_correctable_field_records_an_event() -> None:
    assert set(CORRECTABLE_FIELDS) <= set(FIELD_EVENTS)
