"""Pure rules of the registry: no ORM, no request; plain values in, plain values out.

- ``organizations``: credit codes (ID-*), resident identity numbers, branches (RG-5);
- ``names``: the shape of a name and the comparison keys of the name index (RG-2, RG-13, RG-15);
- ``changes``: which fields a data correction may change and the event each change records.

The organization rules are re-exported here for callers that import them from the package."""

from socorg.registry.rules.organizations import (
    CIVIL_AFFAIRS_AUTHORITY,
    TYPE_CODES,
    USCC_ALPHABET,
    birth_date_from_id,
    branch_problem,
    id_number_problem,
    make_uscc,
    normalize_uscc,
    org_code_check_char,
    sex_from_id,
    uscc_check_char,
    uscc_problem,
    uscc_record_mismatch,
)

__all__ = [
    "CIVIL_AFFAIRS_AUTHORITY",
    "TYPE_CODES",
    "USCC_ALPHABET",
    "birth_date_from_id",
    "branch_problem",
    "id_number_problem",
    "make_uscc",
    "normalize_uscc",
    "org_code_check_char",
    "sex_from_id",
    "uscc_check_char",
    "uscc_problem",
    "uscc_record_mismatch",
]
