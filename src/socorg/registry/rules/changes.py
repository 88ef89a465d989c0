"""What a change of registry data records: the fields a data correction may change, and the
public event a change of each field records, whether it comes from a correction or from an
approved change registration (one map, so both record the same event for the same field)."""

from __future__ import annotations

from socorg.registry.models import EventKind

# Field -> the event its change records. 宗旨 and 业务范围 are registered as one item and there
# is no event of the purpose alone: a change of the purpose records a change of scope.
FIELD_EVENTS: dict[str, EventKind] = {
    "name": EventKind.RENAMED,
    "domicile": EventKind.DOMICILE_CHANGED,
    "legal_representative": EventKind.LEGAL_REPRESENTATIVE_CHANGED,
    "business_scope": EventKind.SCOPE_CHANGED,
    "purpose": EventKind.SCOPE_CHANGED,
    "registered_funds": EventKind.FUNDS_CHANGED,
    "supervisory_unit": EventKind.SUPERVISORY_UNIT_CHANGED,
    # Fields that no change registration covers: changing them is a correction of the record.
    "contact_person": EventKind.CORRECTED,
    "contact_phone": EventKind.CORRECTED,
    "category": EventKind.CORRECTED,
    "established_on": EventKind.CORRECTED,
    "core_name": EventKind.CORRECTED,
    "org_form": EventKind.CORRECTED,
    "region_name": EventKind.CORRECTED,
}

# Fields a data correction may change, in the order the correction form offers them.
CORRECTABLE_FIELDS: tuple[str, ...] = (
    "name",
    "domicile",
    "legal_representative",
    "business_scope",
    "registered_funds",
    "purpose",
    "contact_person",
    "contact_phone",
    "category",
    "established_on",
    "core_name",
    "org_form",
    "region_name",
)


def events_of(fields: list[str]) -> dict[EventKind, list[str]]:
    """The events a change of ``fields`` records, each with its fields (in the given order),
    events sorted by kind."""
    grouped: dict[EventKind, list[str]] = {}
    for field in fields:
        grouped.setdefault(FIELD_EVENTS[field], []).append(field)
    return dict(sorted(grouped.items()))
