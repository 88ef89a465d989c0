"""Every read of the registry that a view or the API needs, always through the caller's scope.

- ``organizations``: the list, its filters and export, a profile, record and pages of rows;
- ``corrections``: the worklist and detail of data corrections;
- ``names``: the jurisdictions the name index and the name check parse names with.

The reads of organizations and corrections are re-exported here for callers that import them
from the package."""

from socorg.registry.selectors.corrections import (
    CorrectionDetail,
    CorrectionList,
    DiffRow,
    correction_detail,
    correction_page,
    correction_worklist,
)
from socorg.registry.selectors.organizations import (
    BOOK_CHOICES,
    BOOK_FILED,
    BOOK_REGISTERED,
    COUNT_CAP,
    PAGE_SIZE,
    SORTS,
    FilterChoices,
    OrganizationFilters,
    OrganizationPage,
    OrganizationProfile,
    OrganizationRecord,
    RowPage,
    capped_count,
    entry_references,
    field_display,
    field_label,
    matches_outside_scope,
    organization_export_rows,
    organization_filter_choices,
    organization_list_page,
    organization_page,
    organization_profile,
    organization_profile_export,
    organization_record,
    organization_search,
    page_of,
)

__all__ = [
    "BOOK_CHOICES",
    "BOOK_FILED",
    "BOOK_REGISTERED",
    "COUNT_CAP",
    "PAGE_SIZE",
    "SORTS",
    "CorrectionDetail",
    "CorrectionList",
    "DiffRow",
    "FilterChoices",
    "OrganizationFilters",
    "OrganizationPage",
    "OrganizationProfile",
    "OrganizationRecord",
    "RowPage",
    "capped_count",
    "correction_detail",
    "correction_page",
    "correction_worklist",
    "entry_references",
    "field_display",
    "field_label",
    "organization_export_rows",
    "organization_filter_choices",
    "matches_outside_scope",
    "organization_list_page",
    "organization_page",
    "organization_profile",
    "organization_profile_export",
    "organization_record",
    "organization_search",
    "page_of",
]
