"""Filing progress of annual reports (AR-1, AR-2): who had to file for a year and where each
filing stands, computed set-wise — the organizations that had to file, joined to their report
of the year, grouped in the database. A handful of queries whatever the number of
organizations, never one per organization."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access as core_access
from socorg.core.models import Department, Jurisdiction, Role, User
from socorg.core.params import missing_parameter, param_values_for_code
from socorg.registry.models import ManagementMode, Organization, OrgType
from socorg.supervision import access
from socorg.supervision.models import AnnualReportState
from socorg.supervision.rules import progress as rules
from socorg.supervision.rules.annual_reports import FOUNDATION, filing_due

PAGE_SIZE = 50
# ``filing_due``'s dates → the AR-1 parameters that hold them.
DUE_KEYS = {
    "supervisory_unit_due": "AR-1.supervisory_unit_due",
    "authority_due": "AR-1.authority_due",
    "foundation_due": "AR-1.foundation_due",
}
SKIP_KEY = "AR-2.min_months_before_year_end"


def bucket_labels() -> dict[str, str]:
    """Where a filing stands, in the reader's language."""
    return {
        rules.NOT_STARTED: _("未开始填报"),
        rules.DRAFT: _("草稿未报送"),
        rules.SUBMITTED: _("已报送，审查中"),
        rules.CONCLUDED: _("已作出结论"),
        rules.PUBLISHED: _("结论已公布"),
    }


@dataclass(frozen=True)
class FilingRules:
    """The parameters of a year's filing: AR-2's bounds and AR-1's due days."""

    year: int
    window: rules.FilingWindow
    dates: dict[str, str]

    def due_on(self, *, org_type: str, dual_management: bool) -> date:
        return filing_due(
            year=self.year, org_type=org_type, dual_management=dual_management, dates=self.dates
        )


def filing_rules(year: int, *, today: date | None = None) -> FilingRules:
    """AR-1 and AR-2 parameters in force today for the home jurisdiction (one query)."""
    on = today or timezone.localdate()
    keys = [*DUE_KEYS.values(), SKIP_KEY]
    found = param_values_for_code(keys, on=on, code=settings.SOCORG_HOME_JURISDICTION)
    for key in keys:
        if key not in found:
            raise missing_parameter(key, on)
    dates = {name: str(found[key].value) for name, key in DUE_KEYS.items()}
    window = rules.filing_window(year=year, min_months=int(found[SKIP_KEY].value))
    return FilingRules(year, window, dates)


def _bucket() -> Case:
    whens = [When(rep__id__isnull=True, then=Value(rules.NOT_STARTED))]
    for bucket in rules.BUCKETS[1:]:
        states = [s for s, b in rules.STATE_BUCKET.items() if b == bucket]
        whens.append(When(rep__state__in=states, then=Value(bucket)))
    return Case(*whens, default=Value(rules.DRAFT), output_field=CharField())


def _due(filing: FilingRules) -> Case:
    dual = filing.due_on(org_type=OrgType.SOCIAL_GROUP, dual_management=True)
    direct = filing.due_on(org_type=OrgType.SOCIAL_GROUP, dual_management=False)
    foundation = filing.due_on(org_type=FOUNDATION, dual_management=False)
    return Case(
        When(org_type=FOUNDATION, then=Value(foundation)),
        When(management_mode=ManagementMode.DUAL_MANAGEMENT, then=Value(dual)),
        default=Value(direct),
        output_field=DateField(),
    )


def filers(user: User, filing: FilingRules, *, today: date | None = None) -> QuerySet[Any]:
    """The organizations in the user's scope that had to file for the year (AR-2), each
    annotated with its report (``report_id``, ``report_state``, ``submitted_on``), where it
    stands (``bucket``), its due day (``due``, AR-1) and whether it is ``late``."""
    today = today or timezone.localdate()
    window = filing.window
    scope: QuerySet[Any] = access.scope_filers(user)
    return (
        scope.filter(established_on__lte=window.founded_by)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=window.present_from))
        .annotate(
            rep=FilteredRelation("annual_reports", condition=Q(annual_reports__year=filing.year))
        )
        .annotate(
            report_id=F("rep__id"),
            report_state=F("rep__state"),
            submitted_on=F("rep__submitted_on"),
            conclusion=F("rep__conclusion"),
            bucket=_bucket(),
            due=_due(filing),
        )
        .annotate(
            late=Case(
                When(rep__submitted_on__isnull=False, rep__submitted_on__gt=F("due"), then=True),
                When(rep__submitted_on__isnull=True, due__lt=Value(today), then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
    )


# --- the tallies ----------------------------------------------------------------------------


@dataclass
class Tally:
    """How many had to file and where their filings stand."""

    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    concluded: int = 0
    published: int = 0
    late: int = 0
    # Late and still not filed: whom a reminder is for.
    late_unfiled: int = 0

    def add(self, bucket: str, late: bool, n: int) -> None:
        setattr(self, bucket, getattr(self, bucket) + n)
        if late:
            self.late += n
            if bucket not in rules.FILED_BUCKETS:
                self.late_unfiled += n

    @property
    def total(self) -> int:
        return self.not_started + self.draft + self.submitted + self.concluded + self.published

    @property
    def filed(self) -> int:
        return self.submitted + self.concluded + self.published

    @property
    def unfiled(self) -> int:
        return self.not_started + self.draft

    @property
    def finished(self) -> int:
        return self.concluded + self.published

    @property
    def percent(self) -> int:
        """Share filed, in whole percent (rounded down: 100 only when all have filed)."""
        return self.filed * 100 // self.total if self.total else 0


@dataclass
class ProgressRow:
    """One line of a breakdown: a department, a jurisdiction or a type, and its filter."""

    key: str
    name: str
    query: str
    tally: Tally = field(default_factory=Tally)

    # Flat names for the chart (``chart_stack`` reads attributes).
    @property
    def filed(self) -> int:
        return self.tally.finished

    @property
    def in_review(self) -> int:
        return self.tally.submitted

    @property
    def draft(self) -> int:
        return self.tally.draft

    @property
    def not_started(self) -> int:
        return self.tally.not_started


@dataclass
class ProgressReport:
    year: int
    today: date
    due_dates: list[tuple[str, date]]
    total: Tally
    by_department: list[ProgressRow]
    by_jurisdiction: list[ProgressRow]
    by_type: list[ProgressRow]


def progress_report(user: User, year: int, *, today: date | None = None) -> ProgressReport:
    """The year's filing progress in the user's scope, by supervisory unit, jurisdiction and
    type: one grouped query, plus one for the parameters and one each for the names."""
    core_access.require_perm(user, "annual_report.progress")
    today = today or timezone.localdate()
    filing = filing_rules(year, today=today)
    grouped = (
        filers(user, filing, today=today)
        .order_by()
        .values("supervisory_unit_id", "jurisdiction_id", "org_type", "bucket", "late")
        .annotate(n=Count("id"))
    )
    total = Tally()
    by_department: dict[int | None, ProgressRow] = {}
    by_jurisdiction: dict[int, ProgressRow] = {}
    by_type: dict[str, ProgressRow] = {}
    type_labels = dict(OrgType.choices)
    for row in grouped:
        bucket, late, n = row["bucket"], bool(row["late"]), row["n"]
        total.add(bucket, late, n)
        unit = row["supervisory_unit_id"]
        dept = by_department.setdefault(
            unit, ProgressRow(str(unit or 0), "", f"department={unit or 0}")
        )
        dept.tally.add(bucket, late, n)
        place = row["jurisdiction_id"]
        area = by_jurisdiction.setdefault(
            place, ProgressRow(str(place), "", f"jurisdiction={place}")
        )
        area.tally.add(bucket, late, n)
        kind = row["org_type"]
        label = str(type_labels.get(kind, kind))
        by_type.setdefault(kind, ProgressRow(kind, label, f"org_type={kind}")).tally.add(
            bucket, late, n
        )
    units = dict(
        Department.objects.filter(pk__in=[k for k in by_department if k]).values_list("pk", "name")
    )
    for key, row in by_department.items():
        row.name = units.get(key, "") if key else _("无业务主管单位")
    places = Jurisdiction.objects.filter(pk__in=list(by_jurisdiction)).values_list(
        "pk", "name", "code"
    )
    codes = {}
    for pk, name, code in places:
        by_jurisdiction[pk].name = name
        codes[pk] = code
    return ProgressReport(
        year=year,
        today=today,
        due_dates=_due_dates(filing),
        total=total,
        by_department=sorted(
            by_department.values(), key=lambda r: (-r.tally.unfiled, -r.tally.total, r.name)
        ),
        by_jurisdiction=sorted(by_jurisdiction.values(), key=lambda r: codes.get(int(r.key), "")),
        by_type=[by_type[t] for t in rules.FILING_TYPES if t in by_type],
    )


def _due_dates(filing: FilingRules) -> list[tuple[str, date]]:
    return [
        (
            _("双重管理的社会团体、社会服务机构（报业务主管单位）"),
            filing.due_on(org_type=OrgType.SOCIAL_GROUP, dual_management=True),
        ),
        (
            _("直接登记的社会团体、社会服务机构（报登记管理机关）"),
            filing.due_on(org_type=OrgType.SOCIAL_GROUP, dual_management=False),
        ),
        (_("基金会"), filing.due_on(org_type=FOUNDATION, dual_management=False)),
    ]


# --- the list of organizations --------------------------------------------------------------

UNFILED = "unfiled"


@dataclass(frozen=True)
class ProgressFilters:
    """The list's filters; every value comes from the query string, checked by the view."""

    year: int
    state: str = ""  # a bucket, or UNFILED (not started or draft)
    late: bool = False
    org_type: str = ""
    department: int | None = None  # 0: no supervisory unit (directly registered)
    jurisdiction: int | None = None
    q: str = ""


def filing_list(
    user: User, filters: ProgressFilters, *, today: date | None = None
) -> QuerySet[Any]:
    """The organizations that had to file, filtered, most urgent first: late and unfiled,
    then by due day and name."""
    filing = filing_rules(filters.year, today=today)
    qs = filers(user, filing, today=today)
    if filters.state == UNFILED:
        qs = qs.filter(bucket__in=[rules.NOT_STARTED, rules.DRAFT])
    elif filters.state in rules.BUCKETS:
        qs = qs.filter(bucket=filters.state)
    if filters.late:
        qs = qs.filter(late=True)
    if filters.org_type:
        qs = qs.filter(org_type=filters.org_type)
    if filters.department == 0:
        qs = qs.filter(supervisory_unit__isnull=True)
    elif filters.department is not None:
        qs = qs.filter(supervisory_unit_id=filters.department)
    if filters.jurisdiction is not None:
        qs = qs.filter(jurisdiction_id=filters.jurisdiction)
    if filters.q:
        qs = qs.filter(Q(name__contains=filters.q) | Q(uscc=filters.q.upper()))
    return qs.order_by("-late", F("report_id").asc(nulls_first=True), "due", "name", "pk")


@dataclass(frozen=True)
class FilingRow:
    organization: Organization
    bucket: str
    bucket_label: str
    due_on: date
    submitted_on: date | None
    late: bool
    report_state: str

    @property
    def filed(self) -> bool:
        return self.bucket in rules.FILED_BUCKETS


def _row(org: Any, labels: dict[str, str]) -> FilingRow:
    return FilingRow(
        organization=org,
        bucket=org.bucket,
        bucket_label=labels.get(org.bucket, org.bucket),
        due_on=org.due,
        submitted_on=org.submitted_on,
        late=bool(org.late),
        report_state=org.report_state or "",
    )


def filing_page(
    user: User, filters: ProgressFilters, number: int, *, today: date | None = None
) -> tuple[Page, list[FilingRow]]:
    """One page of the filing list (a count and a slice) and its rows."""
    qs = filing_list(user, filters, today=today).select_related("jurisdiction", "supervisory_unit")
    page = Paginator(qs, PAGE_SIZE).get_page(number)
    labels = bucket_labels()
    return page, [_row(org, labels) for org in page.object_list]


def filing_export_rows(user: User, filters: ProgressFilters) -> Iterator[FilingRow]:
    """Every row of the filtered list, read in chunks (one query)."""
    core_access.require_perm(user, "annual_report.progress")
    labels = bucket_labels()
    qs = filing_list(user, filters).select_related("jurisdiction", "supervisory_unit")
    for org in qs.iterator(chunk_size=2000):
        yield _row(org, labels)


# --- one organization's due report ----------------------------------------------------------


@dataclass(frozen=True)
class DueReport:
    """The report an organization account has to file now, for its home page."""

    year: int
    due_on: date
    bucket: str
    bucket_label: str
    late: bool
    state_label: str

    @property
    def filed(self) -> bool:
        return self.bucket in rules.FILED_BUCKETS


def own_due_report(user: User, *, today: date | None = None) -> DueReport | None:
    """The organization's report for last year if it had to file it (AR-2), with its due day
    (AR-1) and where it stands; None when it did not have to file."""
    today = today or timezone.localdate()
    year = rules.default_year(today)
    filing = filing_rules(year, today=today)
    org = filers(user, filing, today=today).first()
    if org is None:
        return None
    states = dict(AnnualReportState.choices)
    return DueReport(
        year=year,
        due_on=org.due,
        bucket=org.bucket,
        bucket_label=bucket_labels()[org.bucket],
        late=bool(org.late),
        state_label=str(states.get(org.report_state, "")) if org.report_state else "",
    )


def unfiled_count(user: User, *, today: date | None = None) -> int:
    """Organizations in the user's scope that have not filed last year's report (one count)."""
    today = today or timezone.localdate()
    filing = filing_rules(rules.default_year(today), today=today)
    return (
        filers(user, filing, today=today)
        .filter(bucket__in=[rules.NOT_STARTED, rules.DRAFT])
        .count()
    )


def unfiled_ids(user: User, filters: ProgressFilters) -> list[int]:
    """Every organization of the filtered list that has not filed (one query): whom
    "remind all" reaches."""
    qs = filing_list(user, filters).filter(bucket__in=[rules.NOT_STARTED, rules.DRAFT])
    return list(qs.values_list("pk", flat=True))


def remindable(
    user: User, year: int, ids: list[int], *, today: date | None = None
) -> QuerySet[Any]:
    """Of ``ids``, the organizations in the user's scope that had to file for ``year`` and
    have not (reminding one that has filed would be wrong)."""
    filing = filing_rules(year, today=today)
    return filers(user, filing, today=today).filter(
        pk__in=ids, bucket__in=[rules.NOT_STARTED, rules.DRAFT]
    )


def organization_accounts(organization_ids: list[int]) -> dict[int, list[int]]:
    """The active accounts of each organization (one query), whom its reminders reach."""
    found: dict[int, list[int]] = {}
    rows = User.objects.filter(
        role=Role.ORGANIZATION, organization_id__in=organization_ids, is_active=True
    ).values_list("organization_id", "pk")
    for org_id, pk in rows:
        found.setdefault(org_id, []).append(pk)
    return found
