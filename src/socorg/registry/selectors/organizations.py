"""Reads of organizations that a view or the API needs, always through the caller's scope."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Generic, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.core import access
from socorg.core.db import bounded_ordered, count_up_to, name_contains
from socorg.core.models import AuditLog, Department, Jurisdiction, Role, User
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Branch,
    DataCorrection,
    FormerName,
    Organization,
    OrganizationEvent,
    OrgStatus,
    Post,
    Principal,
    Responsibility,
    Term,
)
from socorg.registry.rules.organizations import normalize_uscc

T = TypeVar("T")
COUNT_CAP = 10_000


@dataclass(frozen=True)
class OrganizationFilters:
    q: str = ""
    uscc: str = ""
    org_type: str = ""
    level: str = ""
    jurisdiction: str = ""  # GB/T 2260 code; includes its subtree
    status: str = ""
    category: str = ""
    supervisory_unit: str = ""  # department code
    removed_from: date | None = None  # deregistered or revoked on or after this day
    removed_to: date | None = None  # … on or before this day
    sort: str = "name"
    book: str = ""  # "" all; the list page passes BOOK_REGISTERED or BOOK_FILED

    @property
    def effective_book(self) -> str:
        """The filed book when the status asked for is 已备案, else the book chosen."""
        return BOOK_FILED if self.status == OrgStatus.FILED else self.book


# The list's two books: organizations registered with a civil-affairs bureau first; community
# organizations filed with a street office (已备案) apart, so that they do not bury the rest.
BOOK_REGISTERED = "registered"
BOOK_FILED = "filed"
BOOK_CHOICES = [
    (BOOK_REGISTERED, gettext_lazy("登记的社会组织")),
    (BOOK_FILED, gettext_lazy("备案的社区社会组织")),
]
REGISTERED_STATUSES = [value for value in OrgStatus.values if value != OrgStatus.FILED]


SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "established_on": ("established_on", "id"),
    "-established_on": ("-established_on", "-id"),
    "uscc": ("uscc",),
    "-uscc": ("-uscc",),
}


def organization_search(user: User, filters: OrganizationFilters) -> QuerySet[Organization]:
    """Organizations in the user's scope matching the filters, sorted. A removal-date bound
    (``removed_from``/``removed_to``, inclusive) keeps deregistered and revoked organizations
    removed within it.

    Codes are resolved to ids first, so that the query filters only columns of its own table,
    which its indexes hold; on PostgreSQL the result is then made cheap to page and count at
    any scale (``socorg.core.db.bounded_ordered``, which reads a district's jurisdictions or a
    supervisory unit's organizations along their own btrees; measured by benchmarks/). Roles
    without ``registry.view`` are refused, not given an empty list."""
    access.require_perm(user, "registry.view")
    qs = registry_access.scope_organizations(user)
    if filters.uscc:
        qs = qs.filter(uscc=normalize_uscc(filters.uscc))
    if filters.q.strip():
        qs = name_contains(qs, "name", filters.q.strip())
    for field, value in (
        ("org_type", filters.org_type),
        ("level", filters.level),
        ("status", filters.status),
        ("category", filters.category),
    ):
        if value:
            qs = qs.filter(**{field: value})
    if filters.effective_book == BOOK_FILED:
        qs = qs.filter(status=OrgStatus.FILED)
    elif filters.book == BOOK_REGISTERED and not filters.status:
        qs = qs.filter(status__in=REGISTERED_STATUSES)
    if filters.supervisory_unit:
        qs = qs.filter(supervisory_unit_id__in=_department_ids(filters.supervisory_unit))
    if filters.removed_from:
        qs = qs.filter(removed_on__gte=filters.removed_from)
    if filters.removed_to:
        qs = qs.filter(removed_on__lte=filters.removed_to)
    areas = _subtree_ids(filters.jurisdiction) if filters.jurisdiction else None
    if areas is not None:
        qs = qs.filter(jurisdiction_id__in=areas)
    order = SORTS.get(filters.sort, SORTS["name"])
    return bounded_ordered(qs.order_by(*order), cap=COUNT_CAP)


def matches_outside_scope(user: User, filters: OrganizationFilters) -> int:
    """How many organizations outside the staff member's scope match the name or credit code
    searched for: a count only, never a name, so that an empty search can say the organization
    exists elsewhere. Zero for organization accounts and searches without a name or code."""
    access.require_perm(user, "registry.view")
    if user.role == Role.ORGANIZATION or not (filters.q.strip() or filters.uscc):
        return 0
    qs = Organization.objects.exclude(pk__in=registry_access.scope_organizations(user).values("pk"))
    if filters.uscc:
        qs = qs.filter(uscc=normalize_uscc(filters.uscc))
    if filters.q.strip():
        qs = name_contains(qs, "name", filters.q.strip())
    return qs.count()


def _department_ids(code: str) -> list[int]:
    return list(Department.objects.filter(code=code).values_list("id", flat=True))


def _subtree_ids(code: str) -> list[int]:
    """The jurisdiction with this code and everything under it."""
    return list(
        Jurisdiction.objects.filter(path__contains=f"/{code}/").values_list("id", flat=True)
    )


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, exact). Counts above ``cap`` are reported as ``cap`` with exact=False."""
    n = count_up_to(qs, cap + 1)
    return (cap, False) if n > cap else (n, True)


@dataclass(frozen=True)
class OrganizationPage:
    items: list[Organization]
    count: int
    count_exact: bool


def organization_page(
    user: User, filters: OrganizationFilters, *, page: int, page_size: int
) -> OrganizationPage:
    """One page of :func:`organization_search` with what a list row shows; a fixed number of
    queries whatever the page size."""
    qs = organization_search(user, filters)
    count, exact = capped_count(qs)
    start = (page - 1) * page_size
    rows = qs.select_related("jurisdiction", "supervisory_unit").only(*LIST_ROW_FIELDS)
    return OrganizationPage(
        items=list(rows[start : start + page_size]), count=count, count_exact=exact
    )


# What a row of the list shows: a page reads these columns only.
LIST_ROW_FIELDS = (
    "uscc",
    "name",
    "org_type",
    "level",
    "status",
    "category",
    "legal_representative",
    "established_on",
    "removed_on",
    "jurisdiction__code",
    "jurisdiction__name",
    "supervisory_unit__code",
    "supervisory_unit__name",
)


# Principals are listed by rank of post (会长 first), as on the certificate.
# Principals in order of post (chair first), then by start.
PRINCIPAL_RANK = (
    Case(
        *(When(post=post, then=rank) for rank, post in enumerate(Post.values)),
        default=len(Post.values),
    ),
    "starts_on",
    "pk",
)


@dataclass(frozen=True)
class OrganizationProfile:
    organization: Organization
    former_names: list[FormerName]
    principals: list[Principal]
    current_term: Term | None
    branches: list[Branch]
    responsibilities: list[Responsibility]
    events: list[OrganizationEvent]


def organization_profile(user: User, key: str | int) -> OrganizationProfile:
    """An organization in the user's scope (404 otherwise) with its people, current term,
    branches, current responsibilities and public events."""
    org = registry_access.access_organization(user, key)
    org = Organization.objects.select_related(
        "jurisdiction", "supervisory_unit", "industry_regulator"
    ).get(pk=org.pk)
    today = timezone.localdate()
    return OrganizationProfile(
        organization=org,
        former_names=list(org.former_names.all()),
        principals=list(
            org.principals.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .select_related("person", "term")
            .order_by(*PRINCIPAL_RANK)
        ),
        current_term=org.terms.filter(starts_on__lte=today).order_by("-number").first(),
        branches=list(org.branches.order_by("name", "id")),
        responsibilities=list(
            Responsibility.objects.current(today)
            .filter(organization=org)
            .select_related("department", "source_document")
            .order_by("kind", "department__code")
        ),
        events=list(org.events.filter(is_public=True).order_by("-occurred_on", "-id")),
    )


def entry_references(
    *, jurisdiction: str, supervisory_unit: str | None, industry_regulator: str | None
) -> dict[str, Jurisdiction | Department | None]:
    """Resolve the codes of a historical record's jurisdiction and departments; unknown codes
    raise a ValidationError naming each field."""
    refs: dict[str, Jurisdiction | Department | None] = {
        "jurisdiction": Jurisdiction.objects.filter(code=jurisdiction).first(),
        "supervisory_unit": None,
        "industry_regulator": None,
    }
    errors: dict[str, list[str]] = {}
    if refs["jurisdiction"] is None:
        errors["jurisdiction"] = [_("未知的区划代码“%(code)s”。") % {"code": jurisdiction}]
    for field, code, flag, label in (
        ("supervisory_unit", supervisory_unit, "is_supervisory_unit", _("业务主管单位")),
        ("industry_regulator", industry_regulator, "is_industry_regulator", _("行业管理部门")),
    ):
        if code:
            refs[field] = Department.objects.filter(code=code, **{flag: True}).first()
            if refs[field] is None:
                errors[field] = [
                    _("未知的%(label)s编码“%(code)s”。") % {"label": label, "code": code}
                ]
    if errors:
        raise ValidationError(errors)
    return refs


# --- Pages of rows ------------------------------------------------------------------------------

PAGE_SIZE = 20


@dataclass(frozen=True)
class RowPage(Generic[T]):
    """One page of a list whose total is counted up to ``COUNT_CAP`` (see ``capped_count``)."""

    rows: list[T]
    number: int
    has_next: bool
    total: int
    exact: bool
    size: int = PAGE_SIZE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def num_pages(self) -> int | None:
        return max(1, math.ceil(self.total / self.size)) if self.exact else None

    @property
    def total_display(self) -> str:
        return f"{self.total:,}" if self.exact else f"{self.total:,}+"

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: first, last and two either side of the current; None marks a
        gap. Without an exact total the list stops at the next page."""
        last = self.num_pages or self.number + int(self.has_next)
        near = range(max(1, self.number - 2), min(last, self.number + 2) + 1)
        out: list[int | None] = []
        previous = 0
        for number in sorted({1, last, *near}):
            if number - previous > 1:
                out.append(None)
            out.append(number)
            previous = number
        return out


def page_of(qs: QuerySet[Any], number: int, size: int = PAGE_SIZE) -> RowPage[Any]:
    """The ``number``-th page of ``qs`` in two queries (capped count, one slice); a page past
    the end becomes the last page."""
    total, exact = capped_count(qs)
    number = max(1, number)
    if exact:
        number = min(number, max(1, math.ceil(total / size)))
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    return RowPage(rows[:size], number, len(rows) > size, total, exact, size)


# --- Organization list and export ---------------------------------------------------------------


@dataclass(frozen=True)
class FilterChoices:
    jurisdictions: list[tuple[str, str]]
    supervisory_units: list[tuple[str, str]]


def organization_filter_choices(user: User) -> FilterChoices:
    """Jurisdictions of the user's scope (indented by depth) and the supervisory units the
    user can see, as (code, label) pairs for the filter form."""
    rows = list(access.scope_jurisdictions(user).values_list("code", "name", "path"))
    top = min((path.count("/") for _, _, path in rows), default=0)
    jurisdictions = [(code, "\u3000" * (path.count("/") - top) + name) for code, name, path in rows]
    units = (
        access.scope_departments(user).filter(is_supervisory_unit=True).values_list("code", "name")
    )
    return FilterChoices(jurisdictions, list(units))


def organization_list_page(
    user: User, filters: OrganizationFilters, number: int
) -> RowPage[Organization]:
    qs = organization_search(user, filters).select_related("jurisdiction", "supervisory_unit")
    return page_of(qs, number)


def organization_export_rows(
    user: User, filters: OrganizationFilters, fields: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """Plain value tuples of the filtered list: one query, read in chunks, no per-row queries."""
    access.require_perm(user, "registry.export")
    return organization_search(user, filters).values_list(*fields).iterator(chunk_size=2000)


# --- Organization profile -----------------------------------------------------------------------

PROFILE_AUDIT_ROWS = 100


# Principals by rank of post (会长 first), as on the certificate, then by start of office.
class OrganizationRecord:
    """Everything the profile page shows about one organization. The parts that only change
    with the organization's version are read when first used, so a page whose cached fragments
    are current (keyed by ``organization.version``) does not read them at all."""

    def __init__(
        self,
        organization: Organization,
        corrections: list[DataCorrection] | None,  # None: the user may not see corrections
        audit_rows: list[AuditLog] | None,  # None: the user may not see the audit log
    ) -> None:
        self.organization = organization
        self.corrections = corrections
        self.audit_rows = audit_rows

    @cached_property
    def former_names(self) -> list[FormerName]:
        return list(self.organization.former_names.all())

    @cached_property
    def _principals(self) -> QuerySet[Principal]:
        return (
            Principal.objects.filter(organization=self.organization)
            .select_related("person")
            .order_by(*PRINCIPAL_RANK)
        )

    @cached_property
    def terms(self) -> list[Term]:
        return list(
            self.organization.terms.prefetch_related(
                Prefetch("principals", queryset=self._principals)
            )
        )

    @cached_property
    def principals_without_term(self) -> list[Principal]:
        return list(self._principals.filter(term__isnull=True))

    @cached_property
    def branches(self) -> list[Branch]:
        return list(self.organization.branches.order_by("kind", "name"))

    @cached_property
    def responsibilities(self) -> list[Responsibility]:
        return list(
            self.organization.responsibilities.select_related(
                "department", "source_document"
            ).order_by("kind", "-effective_from")
        )

    @cached_property
    def events(self) -> list[OrganizationEvent]:
        return list(self.organization.events.all())


def organization_record(user: User, key: str) -> OrganizationRecord:
    """Everything the profile page shows about one organization in the user's scope (404
    otherwise). A fixed number of queries, whatever the size of the record."""
    org = registry_access.access_organization(user, key)
    return OrganizationRecord(
        organization=org,
        corrections=_organization_corrections(user, org),
        audit_rows=_organization_audit_rows(user, org),
    )


def organization_profile_export(user: User, key: str) -> OrganizationRecord:
    """The profile of an organization in the user's scope (404 otherwise) for its workbook:
    those who may export the list may export a profile they may read; its jurisdiction and
    departments are read with it."""
    access.require_perm(user, "registry.export")
    org = registry_access.access_organization(user, key)
    org = Organization.objects.select_related(
        "jurisdiction", "supervisory_unit", "industry_regulator"
    ).get(pk=org.pk)
    return OrganizationRecord(organization=org, corrections=None, audit_rows=None)


def _organization_corrections(user: User, org: Organization) -> list[DataCorrection] | None:
    if not access.has_perm(user, "registry.view_corrections"):
        return None
    return list(
        registry_access.scope_corrections(user)
        .filter(organization=org)
        .select_related("proposed_by")
    )


def _organization_audit_rows(user: User, org: Organization) -> list[AuditLog] | None:
    """Audit rows of the organization and of its corrections, newest first."""
    if not access.has_perm(user, "registry.view_audit"):
        return None
    correction_ids = [str(pk) for pk in org.corrections.values_list("pk", flat=True)]
    rows = AuditLog.objects.filter(
        Q(object_type="registry.organization", object_id=str(org.pk))
        | Q(object_type="registry.datacorrection", object_id__in=correction_ids)
    )
    return list(rows.order_by("-seq")[:PROFILE_AUDIT_ROWS])


def _organization_field(name: str) -> models.Field[Any, Any] | None:
    try:
        field = Organization._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(name: str) -> str:
    field = _organization_field(name)
    return str(field.verbose_name) if field is not None else name


def field_display(name: str, value: Any) -> str:
    """A registry value as a clerk reads it: choice labels, '—' for empty."""
    if value is None or value == "":
        return "—"
    field = _organization_field(name)
    if field is None:
        return str(value)
    choices = dict(field.flatchoices or ())
    return str(choices.get(value, value))
