"""Every write to the registry. Keyword-only, one transaction each, audit row inside it.

- ``organizations``: historical entries, registration outcomes, people (find or create);
- ``corrections``: data corrections, proposed and applied;
- ``principals``: principals filed in the current term;
- ``branches``: branches and representative offices;
- ``names``: the name index the name check reads;
- ``exports``: the record of each export.

The services are re-exported here for callers that import them from the package."""

from socorg.registry.services.branches import branch_register, branch_update
from socorg.registry.services.corrections import correction_apply, correction_propose
from socorg.registry.services.exports import (
    organization_export_record,
    organization_profile_export_record,
)
from socorg.registry.services.organizations import (
    organization_change_apply,
    organization_create,
    organization_deregister,
    organization_register,
    person_find_or_create,
)
from socorg.registry.services.principals import principals_file

__all__ = [
    "branch_register",
    "branch_update",
    "correction_apply",
    "correction_propose",
    "organization_change_apply",
    "organization_create",
    "organization_deregister",
    "organization_export_record",
    "organization_profile_export_record",
    "organization_register",
    "person_find_or_create",
    "principals_file",
]
