"""The compliance sweep (``socorg sweep run``, nightly as a background task): every credit-list
rule the system can evaluate by itself, for every organization, set-wise.

Each rule is a handful of queries over all organizations, never one query per organization:

- CR-2 annual report not filed on time: for each report year of the last
  ``CR-2.report_lookback_years`` whose filing date (AR-1: the supervisory unit's date under dual
  management, the foundations' date, the authority's date for direct registration) has passed,
  the organizations that must file (AR-2: active, of a type that files, founded early enough in
  the year) and have no report submitted as of the day; the evidence names the year(s) and their
  due dates;
- CR-2 unreachable: two registered letters ``CR-2.letter_gap_days_min``–``max`` days apart,
  both returned, with no successful contact since;
- CR-4 on the abnormal list for ``CR-4.abnormal_years`` full years → the serious list (the
  abnormal listings leave with the reason "moved to the serious list" when it takes effect);
- CR-4 registration revoked → the serious list.

Then, in this order, each step in its own transaction (each step is idempotent, so a run that
stops half-way is completed by the next one):

1. notices whose ground was cured in the window are cancelled (e.g. the report was filed);
2. notices whose window (``respond_by``) has passed take effect (noticed → listed), which
   restarts the clock of the organization's other open listings on that list (CR-3);
3. a new missing year while a listing for missing reports is open is added to its evidence;
   a listed one restarts its clock (CR-3), a noticed one gets a full response window again;
4. new grounds get a notice (``CreditListing`` noticed, ``respond_by`` counted in working days,
   ``CR-2.notice_response_working_days``), an event and an in-app notice to the organization's
   accounts; never twice for the same facts (a year or a pair of letters already in the evidence
   of any listing of the organization, whatever became of it, is not a new ground);
5. automatic delistings: deregistered organizations; CR-3 after ``CR-3.auto_delisting_months``
   for the grounds with nothing to rectify; CR-5 after ``CR-5.clean_years`` clean years (see
   ``rules.credit`` for which grounds).

Every state change goes through the workflow engine set-wise (``core.workflow.fire_set``),
with its transition and audit rows; the sweep acts as the system (no actor) unless a person
started it. A second run with the same date changes nothing. ``dry_run`` does everything inside
one transaction and rolls it back, so it shows exactly what the date would produce (a past or a
future date) without writing. ``incremental`` evaluates the per-organization rules only for the
organizations whose data changed since the last successful run (reports, contact attempts,
listings, the organization itself), plus those whose response window ended or whose delisting
date is reached; it falls back to a full sweep when a filing date passed since then, the checked years
moved, or there was no earlier run."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.audit import AuditEntry, audit_record, audit_record_many
from socorg.core.db.copy import bulk_insert
from socorg.core.models import Role, TaskProgress, User
from socorg.core.notices import notice_send
from socorg.core.params import param
from socorg.core.progress import progress_update
from socorg.core.workflow import fire_set, get_process
from socorg.core.worklist import reverse_or_none
from socorg.registry.models import EventKind, ManagementMode, Organization, OrgStatus
from socorg.registry.services.organizations import organization_events_record_many
from socorg.supervision.models import (
    AnnualReport,
    Case,
    ContactAttempt,
    ContactKind,
    ContactResult,
    CreditList,
    CreditListing,
    DelistReason,
    ListingGround,
    ListingSource,
    ListingState,
    SweepRun,
)
from socorg.supervision.models.credit import OPEN_LISTING_STATES
from socorg.supervision.rules import annual_reports as ar_rules
from socorg.supervision.rules import credit as rules

logger = logging.getLogger(__name__)
Status = TaskProgress.Status
G = ListingGround
ACTIVE_STATUSES = (OrgStatus.REGISTERED, OrgStatus.SUSPENDED)
# The grounds other than missing reports whose earlier listings the sweep compares with.
OTHER_GROUNDS = (G.UNREACHABLE, G.ABNORMAL_TWO_YEARS, G.REVOKED, *sorted(rules.PENALTY_GROUNDS))
# Penalties that can give a CR-4 ground.
PENALTY_KINDS = ("suspension", "fine", "warning")
# Above this many changed organizations an incremental run evaluates everyone instead.
INCREMENTAL_MAX = 50_000
STEPS = 7

NOTICED = "noticed"
EVIDENCE_ADDED = "evidence_added"
CANCELLED = "cancelled"
LISTED = "listed"
DELISTED = "delisted"


@dataclass
class SweepResult:
    as_of: date
    dry_run: bool
    incremental: bool
    # "<rule>.<ground>.<what happened>" → how many listings.
    counts: dict[str, int] = field(default_factory=dict)
    # What happened to whom (at most ``detail_limit`` rows), for ``--dry-run`` to print.
    items: list[dict[str, Any]] = field(default_factory=list)
    full: bool = True
    evaluated: int | None = None  # organizations evaluated by an incremental run
    run_id: int | None = None
    seconds: float = 0.0

    def by_rule(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for key, n in self.counts.items():
            totals[key.split(".", 1)[0]] += n
        return dict(sorted(totals.items()))

    @property
    def changes(self) -> int:
        return sum(self.counts.values())


@dataclass
class _Params:
    lookback: int
    window: int
    gap_min: int
    gap_max: int
    abnormal_years: int
    auto_months: int
    clean_years: int
    min_months: int
    fine_threshold: Decimal
    warning_count: int
    warning_window_years: int
    due: dict[str, str]

    @classmethod
    def on(cls, day: date) -> _Params:
        return cls(
            lookback=int(param("CR-2.report_lookback_years", on=day)),
            window=int(param("CR-2.notice_response_working_days", on=day)),
            gap_min=int(param("CR-2.letter_gap_days_min", on=day)),
            gap_max=int(param("CR-2.letter_gap_days_max", on=day)),
            abnormal_years=int(param("CR-4.abnormal_years", on=day)),
            auto_months=int(param("CR-3.auto_delisting_months", on=day)),
            clean_years=int(param("CR-5.clean_years", on=day)),
            min_months=int(param("AR-2.min_months_before_year_end", on=day)),
            fine_threshold=Decimal(str(param("CR-4.fine_threshold", on=day))),
            warning_count=int(param("CR-4.warning_count", on=day)),
            warning_window_years=int(param("CR-4.warning_window_years", on=day)),
            due={
                "supervisory_unit_due": str(param("AR-1.supervisory_unit_due", on=day)),
                "authority_due": str(param("AR-1.authority_due", on=day)),
                "foundation_due": str(param("AR-1.foundation_due", on=day)),
            },
        )

    def filing_due(self, year: int, org_type: str, mode: str) -> date:
        return ar_rules.filing_due(
            year=year,
            org_type=org_type,
            dual_management=mode == ManagementMode.DUAL_MANAGEMENT,
            dates=self.due,
        )

    def due_dates(self, year: int) -> set[date]:
        return {
            self.filing_due(year, org_type, mode)
            for org_type in ar_rules.ALL_TYPES
            for mode in ManagementMode.values
        }


def sweep_run(
    *,
    as_of: date | None = None,
    dry_run: bool = False,
    incremental: bool = False,
    actor: User | None = None,
    progress_id: int | None = None,
    record: bool = True,
    detail_limit: int = 200,
) -> SweepResult:
    """Run the compliance sweep for ``as_of`` (today by default). ``record``: keep a
    ``SweepRun`` row with the counts per rule (a dry run from the command line keeps none, so it
    writes nothing at all). Raises what a failing step raises, after marking the run failed."""
    started = time.monotonic()
    day = as_of or timezone.localdate()
    run = (
        SweepRun.objects.create(
            as_of=day,
            dry_run=dry_run,
            incremental=incremental,
            triggered_by=actor,
            progress_id=progress_id,
        )
        if record
        else None
    )
    result = SweepResult(as_of=day, dry_run=dry_run, incremental=incremental)
    result.run_id = run.pk if run else None
    try:
        with transaction.atomic() if dry_run else nullcontext():
            _Sweep(day, actor, run, result, progress_id, detail_limit).execute(incremental)
            if dry_run:
                transaction.set_rollback(True)
    except Exception:
        if run is not None:
            SweepRun.objects.filter(pk=run.pk).update(
                status=SweepRun.Status.FAILED, finished_at=timezone.now()
            )
        raise
    result.seconds = time.monotonic() - started
    if run is not None:
        counts = {"rules": result.by_rule(), "detail": result.counts, "full": result.full}
        if result.evaluated is not None:
            counts["evaluated"] = result.evaluated
        with transaction.atomic():
            SweepRun.objects.filter(pk=run.pk).update(
                status=SweepRun.Status.SUCCEEDED, finished_at=timezone.now(), counts=counts
            )
            audit_record(
                actor=actor,
                action="sweep.run",
                object_type="supervision.sweeprun",
                object_id=run.pk,
                after={"as_of": day, "dry_run": dry_run, "incremental": incremental, **counts},
            )
    return result


class _Sweep:
    def __init__(
        self,
        as_of: date,
        actor: User | None,
        run: SweepRun | None,
        result: SweepResult,
        progress_id: int | None,
        detail_limit: int,
    ) -> None:
        self.as_of = as_of
        self.actor = actor
        self.run = run
        self.result = result
        self.progress_id = progress_id
        self.detail_limit = detail_limit
        self.p = _Params.on(as_of)
        self.process = get_process("credit_listing")
        self.scope: set[int] | None = None  # None: every organization
        self.step = 0
        # What holds on ``as_of``, per organization.
        self.missing: dict[int, dict[int, date]] = {}
        self.unreachable: dict[int, tuple[date, date]] = {}
        self.abnormal_since: dict[int, date] = {}
        self.revoked: dict[int, date | None] = {}
        # CR-4 grounds of penalty decisions: (organization, ground) → evidence.
        self.penalties: dict[tuple[int, str], dict[str, Any]] = {}

    # --- bookkeeping -----------------------------------------------------------------------

    def _progress(self, message: str) -> None:
        self.step += 1
        if self.progress_id is not None:
            progress_update(self.progress_id, done=self.step, total=STEPS, message=message)

    def _count(self, ground: str, what: str, rows: Iterable[Mapping[str, Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        key = f"{rules.rule_of(ground)}.{ground}.{what}"
        self.result.counts[key] = self.result.counts.get(key, 0) + len(rows)
        room = self.detail_limit - len(self.result.items)
        for row in rows[: max(room, 0)]:
            self.result.items.append({"what": what, "ground": ground, **row})

    def _open_sweep_listings(self) -> QuerySet[CreditListing]:
        qs = CreditListing.objects.filter(state__in=OPEN_LISTING_STATES)
        if self.scope is not None:
            qs = qs.filter(organization_id__in=self.scope)
        return qs

    def _in_scope(self, qs: QuerySet[Any], field_name: str = "organization_id") -> QuerySet[Any]:
        if self.scope is None:
            return qs
        return qs.filter(**{f"{field_name}__in": self.scope})

    # --- the run ---------------------------------------------------------------------------

    def execute(self, incremental: bool) -> None:
        if incremental:
            self.scope = self._incremental_scope()
        self.result.full = self.scope is None
        self.result.evaluated = None if self.scope is None else len(self.scope)
        self._progress(_("正在核查年度报告报送情况……"))
        self.missing = self._annual_reports_missing()
        self._progress(_("正在核查无法联系的组织……"))
        self.unreachable = self._unreachable()
        self.abnormal_since = self._abnormal_years_reached()
        self.revoked = self._revoked()
        self.penalties = self._penalty_grounds()
        self._progress(_("正在撤回已纠正的告知……"))
        with transaction.atomic():
            self._cancel_cured()
        self._progress(_("正在使期满的告知生效……"))
        with transaction.atomic():
            self._take_effect()
        self._progress(_("正在补充新的事实依据……"))
        with transaction.atomic():
            self._add_evidence()
        self._progress(_("正在发出预先告知……"))
        with transaction.atomic():
            self._notify_new_grounds()
        self._progress(_("正在办理自动移出……"))
        with transaction.atomic():
            self._delist()

    # --- incremental scope -----------------------------------------------------------------

    def _incremental_scope(self) -> set[int] | None:
        """The organizations to evaluate, or None for all of them (see the module docstring)."""
        runs = SweepRun.objects.filter(status=SweepRun.Status.SUCCEEDED, dry_run=False)
        if self.run is not None:
            runs = runs.exclude(pk=self.run.pk)
        last = runs.order_by("-started_at", "-id").first()
        if last is None or last.as_of > self.as_of:
            return None
        years_now = rules.report_years_checked(self.as_of, self.p.lookback)
        if years_now != rules.report_years_checked(last.as_of, self.p.lookback):
            return None
        for year in years_now:
            if any(last.as_of <= due < self.as_of for due in self.p.due_dates(year)):
                return None
        return self._changed_since(last.started_at)

    def _changed_since(self, since: datetime) -> set[int] | None:
        scope: set[int] = set()
        sources: list[QuerySet[Any]] = [
            AnnualReport.objects.filter(updated_at__gte=since)
            .order_by()
            .values_list("organization_id", flat=True),
            ContactAttempt.objects.filter(created_at__gte=since)
            .order_by()
            .values_list("organization_id", flat=True),
            CreditListing.objects.filter(updated_at__gte=since)
            .order_by()
            .values_list("organization_id", flat=True),
            Organization.objects.filter(updated_at__gte=since)
            .order_by()
            .values_list("id", flat=True),
            Case.objects.filter(updated_at__gte=since, decided_on__isnull=False)
            .order_by()
            .values_list("organization_id", flat=True),
            # Ended response windows and reached delisting dates depend on the day, not on a
            # change (a cure inside the window is a change of the organization's data).
            CreditListing.objects.filter(state=ListingState.NOTICED, respond_by__lt=self.as_of)
            .order_by()
            .values_list("organization_id", flat=True),
            CreditListing.objects.filter(state=ListingState.LISTED, delist_earliest__lte=self.as_of)
            .order_by()
            .values_list("organization_id", flat=True),
        ]
        for source in sources:
            scope.update(source)
            if len(scope) > INCREMENTAL_MAX:
                return None
        return scope

    # --- what holds (reads) ----------------------------------------------------------------

    def _active_filers(self) -> QuerySet[Organization]:
        return self._in_scope(
            Organization.objects.filter(
                status__in=ACTIVE_STATUSES, org_type__in=sorted(ar_rules.ALL_TYPES)
            ),
            "id",
        )

    def _annual_reports_missing(self) -> dict[int, dict[int, date]]:
        """CR-2 with AR-1 and AR-2: organization → {report year: due date} of the reports
        due before ``as_of`` and not submitted as of it. One query per report year."""
        missing: dict[int, dict[int, date]] = defaultdict(dict)
        for year in rules.report_years_checked(self.as_of, self.p.lookback):
            due_q, any_due = Q(), False
            for org_type in sorted(ar_rules.ALL_TYPES):
                for mode in ManagementMode.values:
                    if self.p.filing_due(year, org_type, mode) < self.as_of:
                        mode_q = (
                            Q(management_mode=mode)
                            if mode == ManagementMode.DUAL_MANAGEMENT
                            else ~Q(management_mode=ManagementMode.DUAL_MANAGEMENT)
                        )
                        due_q |= Q(org_type=org_type) & mode_q
                        any_due = True
            if not any_due:
                continue
            filed = AnnualReport.objects.filter(
                organization_id=OuterRef("pk"), year=year, submitted_on__lte=self.as_of
            )
            rows = (
                self._active_filers()
                .filter(
                    due_q, established_on__lte=rules.founded_by_for_year(year, self.p.min_months)
                )
                .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=date(year, 12, 31)))
                .filter(~Exists(filed))
                .order_by()
                .values_list("id", "org_type", "management_mode")
            )
            for org_id, org_type, mode in rows:
                missing[org_id][year] = self.p.filing_due(year, org_type, mode or "")
        return dict(missing)

    def _unreachable(self) -> dict[int, tuple[date, date]]:
        """CR-2: organization → the latest pair of returned registered letters
        ``gap_min``–``gap_max`` days apart, unless it was reached after the second letter."""
        returned = self._in_scope(
            ContactAttempt.objects.filter(
                kind=ContactKind.REGISTERED_LETTER,
                result=ContactResult.RETURNED,
                made_on__lte=self.as_of,
                organization__status__in=ACTIVE_STATUSES,
            )
        )
        letters: dict[int, list[date]] = defaultdict(list)
        for org_id, made_on in returned.order_by().values_list("organization_id", "made_on"):
            letters[org_id].append(made_on)
        if not letters:
            return {}
        reached: dict[int, date] = dict(
            ContactAttempt.objects.filter(
                result__in=(ContactResult.SIGNED, ContactResult.REACHED),
                made_on__lte=self.as_of,
                organization_id__in=sorted(letters),
            )
            .order_by()
            .values("organization_id")
            .annotate(last=Max("made_on"))
            .values_list("organization_id", "last")
        )
        found: dict[int, tuple[date, date]] = {}
        for org_id, days in letters.items():
            pair = self._latest_pair(sorted(days))
            if pair is None:
                continue
            if org_id in reached and reached[org_id] > pair[1]:
                continue
            found[org_id] = pair
        return found

    def _latest_pair(self, days: list[date]) -> tuple[date, date] | None:
        for j in range(len(days) - 1, 0, -1):
            for i in range(j - 1, -1, -1):
                if rules.letters_unsigned(
                    days[i], days[j], gap_min=self.p.gap_min, gap_max=self.p.gap_max
                ):
                    return days[i], days[j]
        return None

    def _abnormal_years_reached(self) -> dict[int, date]:
        """CR-4: organization → the day it has been on the abnormal list since, for those on it
        for ``CR-4.abnormal_years`` full years (its earliest listing still in force)."""
        bound = rules.add_full_years(self.as_of, -self.p.abnormal_years) + timedelta(days=1)
        rows = (
            CreditListing.objects.filter(
                list=CreditList.ABNORMAL,
                state__in=(ListingState.LISTED, ListingState.DELISTING_REQUESTED),
                listed_on__lte=bound,
            )
            .order_by()
            .values("organization_id")
            .annotate(since=Min("listed_on"))
            .values_list("organization_id", "since")
        )
        return {
            org_id: since
            for org_id, since in rows
            if rules.abnormal_full_years_reached(
                listed_since=since, as_of=self.as_of, years=self.p.abnormal_years
            )
        }

    def _revoked(self) -> dict[int, date | None]:
        """CR-4: organizations whose registration was revoked."""
        qs = self._in_scope(Organization.objects.filter(status=OrgStatus.REVOKED), "id")
        return dict(qs.order_by().values_list("id", "removed_on"))

    def _penalty_grounds(self) -> dict[tuple[int, str], dict[str, Any]]:
        """CR-4: the grounds the penalty decisions give (an order to suspend activities, a fine
        of at least ``CR-4.fine_threshold``, ``CR-4.warning_count`` warnings or smaller fines
        within ``CR-4.warning_window_years``), read in one query over the decisions of the
        longest of those periods, with the evidence naming the decisions."""
        years = max(self.p.warning_window_years, self.p.clean_years)
        since = rules.add_full_years(self.as_of, -years)
        qs = self._in_scope(
            Case.objects.filter(
                decided_on__gt=since, decided_on__lte=self.as_of, penalty__in=PENALTY_KINDS
            ).exclude(decision_number="")
        )
        decisions: dict[int, list[rules.PenaltyDecision]] = defaultdict(list)
        for row in qs.order_by().values_list(
            "organization_id", "pk", "decision_number", "decided_on", "penalty", "fine_amount"
        ):
            decisions[row[0]].append(rules.PenaltyDecision(*row[1:]))
        found: dict[tuple[int, str], dict[str, Any]] = {}
        for org_id, rows in decisions.items():
            grounds = rules.penalty_grounds(
                rows,
                as_of=self.as_of,
                fine_threshold=self.p.fine_threshold,
                warning_count=self.p.warning_count,
                window_years=self.p.warning_window_years,
                recent_years=self.p.clean_years,
            )
            for ground, evidence in grounds.items():
                found[(org_id, ground)] = evidence
        return found

    def _holds(self, org_id: int, ground: str, evidence: dict[str, Any]) -> bool:
        """Whether the ground of a sweep listing still holds on ``as_of``."""
        if ground == G.ANNUAL_REPORT_NOT_FILED:
            years = {int(y) for y in evidence.get("years", [])}
            return bool(years & set(self.missing.get(org_id, {})))
        if ground == G.UNREACHABLE:
            return org_id in self.unreachable
        if ground == G.ABNORMAL_TWO_YEARS:
            return org_id in self.abnormal_since
        if ground == G.REVOKED:
            return org_id in self.revoked
        return True

    # --- writes ----------------------------------------------------------------------------

    def _pending_notices(self) -> list[Mapping[str, Any]]:
        return list(
            self._open_sweep_listings()
            .filter(
                state=ListingState.NOTICED,
                source=ListingSource.SWEEP,
                ground__in=sorted(rules.SWEEP_GROUNDS),
            )
            .order_by()
            .values("id", "organization_id", "ground", "evidence", "respond_by")
        )

    def _cancel_cured(self) -> None:
        """1. A notice whose ground no longer holds is withdrawn (cured in the window)."""
        cured = [
            row
            for row in self._pending_notices()
            if not self._holds(row["organization_id"], row["ground"], row["evidence"])
        ]
        for ground in sorted({row["ground"] for row in cured}):
            rows = [row for row in cured if row["ground"] == ground]
            fire_set(
                process=self.process,
                ids=[row["id"] for row in rows],
                action="cancel",
                actor=self.actor,
                comment=_("核查时该情形已消除，不予列入。"),
                on=self.as_of,
            )
            self._count(ground, CANCELLED, (self._detail(row) for row in rows))

    def _take_effect(self) -> None:
        """2. A notice whose window passed with the ground still holding takes effect."""
        due = [
            row
            for row in self._pending_notices()
            if row["respond_by"] is not None
            and rules.window_passed(row["respond_by"], self.as_of)
            and self._holds(row["organization_id"], row["ground"], row["evidence"])
        ]
        # The abnormal list first: a move to the serious list then sees today's listings.
        for ground in sorted({row["ground"] for row in due}, key=rules.rule_of):
            rows = [row for row in due if row["ground"] == ground]
            if ground == G.ABNORMAL_TWO_YEARS:  # CR-4: the abnormal listings move with it
                moved = (
                    CreditListing.objects.filter(
                        organization_id__in=sorted({row["organization_id"] for row in rows}),
                        list=CreditList.ABNORMAL,
                        state=ListingState.LISTED,
                    )
                    .order_by()
                    .values("id", "organization_id", "ground", "evidence")
                )
                for row in moved:
                    self._count(
                        row["ground"],
                        DELISTED,
                        [{**self._detail(row), "reason": DelistReason.MOVED_TO_SERIOUS}],
                    )
            fire_set(
                process=self.process,
                ids=[row["id"] for row in rows],
                action="take_effect",
                actor=self.actor,
                on=self.as_of,
            )
            self._count(ground, LISTED, (self._detail(row) for row in rows))

    def _annual_listings(self) -> dict[int, list[dict[str, Any]]]:
        """Every listing for missing reports of the organizations concerned, whatever its state."""
        by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
        qs = self._in_scope(CreditListing.objects.filter(ground=G.ANNUAL_REPORT_NOT_FILED))
        for row in qs.order_by().values(
            "id", "organization_id", "state", "evidence", "respond_by", "clock_started_on"
        ):
            by_org[row["organization_id"]].append(row)
        return by_org

    @staticmethod
    def _covered_years(rows: list[dict[str, Any]]) -> set[int]:
        return {int(y) for row in rows for y in row["evidence"].get("years", [])}

    def _years_evidence(self, org_id: int, years: Iterable[int]) -> dict[str, Any]:
        due = self.missing.get(org_id, {})
        ordered = sorted(set(years))
        return {
            "years": ordered,
            "due": {str(y): due[y].isoformat() for y in ordered if y in due},
        }

    def _add_evidence(self) -> None:
        """3. A new missing year while a listing for missing reports is open: the year joins its
        evidence; a listed one restarts its clock (CR-3), a noticed one gets a new window."""
        listings = self._annual_listings()
        respond_by = rules.respond_by(self.as_of, self.p.window)
        changed: list[CreditListing] = []
        restarted: set[int] = set()
        details: list[dict[str, Any]] = []
        for org_id, years in self.missing.items():
            rows = listings.get(org_id, [])
            open_rows = [r for r in rows if r["state"] in OPEN_LISTING_STATES]
            new_years = set(years) - self._covered_years(rows)
            if not open_rows or not new_years:
                continue
            row = open_rows[0]
            old = row["evidence"]
            evidence = self._years_evidence(
                org_id, [*(int(y) for y in old.get("years", [])), *new_years]
            )
            evidence["due"] = {**old.get("due", {}), **evidence["due"]}
            listing = CreditListing(pk=row["id"], evidence=evidence, updated_at=timezone.now())
            listing.respond_by = row["respond_by"]
            if row["state"] == ListingState.NOTICED:
                listing.respond_by = max(row["respond_by"] or respond_by, respond_by)
            else:
                restarted.add(org_id)
            changed.append(listing)
            details.append(
                {
                    "id": row["id"],
                    "organization_id": org_id,
                    "evidence": evidence,
                    "new_years": sorted(new_years),
                    "state": row["state"],
                }
            )
        if not changed:
            return
        CreditListing.objects.bulk_update(
            changed, ["evidence", "respond_by", "updated_at"], batch_size=2000
        )
        self._restart_clocks(CreditList.ABNORMAL, restarted)
        audit_record_many(
            actor=self.actor,
            entries=(
                AuditEntry(
                    action="credit_listing.evidence_added",
                    object_type="supervision.creditlisting",
                    object_id=d["id"],
                    after={"evidence": d["evidence"], "new_years": d["new_years"]},
                )
                for d in details
            ),
        )
        organization_events_record_many(
            events=[
                {
                    "organization_id": d["organization_id"],
                    "kind": EventKind.LISTING_NOTICED,
                    "reason": G.ANNUAL_REPORT_NOT_FILED,
                    "on": self.as_of,
                    "details": {"rule": "CR-2", "evidence": d["evidence"], "added": d["new_years"]},
                    "is_public": d["state"] != ListingState.NOTICED,
                }
                for d in details
            ]
        )
        self._send(
            G.ANNUAL_REPORT_NOT_FILED,
            [d["organization_id"] for d in details],
            title=_("未按规定报送年度工作报告的情形有新增年度"),
            body=_(
                "经核查，贵组织又有年度工作报告未按时报送，已补充到信用名录记录的事实依据中，请尽快报送。"
            ),
        )
        self._count(
            G.ANNUAL_REPORT_NOT_FILED,
            EVIDENCE_ADDED,
            ({"organization_id": d["organization_id"], "evidence": d["evidence"]} for d in details),
        )

    def _restart_clocks(self, list_code: str, orgs: set[int]) -> None:
        """CR-3: a new ground while listed restarts the clock of the organization's open
        listings on the list."""
        if not orgs:
            return
        listed = CreditListing.objects.filter(
            organization_id__in=sorted(orgs),
            list=list_code,
            state__in=(ListingState.LISTED, ListingState.DELISTING_REQUESTED),
            clock_started_on__lt=self.as_of,
        )
        for ground in set(listed.order_by().values_list("ground", flat=True)):
            listed.filter(ground=ground).update(
                clock_started_on=self.as_of,
                delist_earliest=self._earliest(ground, self.as_of),
                updated_at=timezone.now(),
            )

    def _earliest(self, ground: str, start: date) -> date | None:
        return rules.delist_earliest(
            ground=ground,
            clock_started_on=start,
            auto_months=self.p.auto_months,
            clean_years=self.p.clean_years,
        )

    def _new_grounds(self) -> list[tuple[int, str, dict[str, Any]]]:
        """(organization, ground, evidence) of the grounds that have no listing yet."""
        found: list[tuple[int, str, dict[str, Any]]] = []
        listings = self._annual_listings()
        for org_id, years in sorted(self.missing.items()):
            rows = listings.get(org_id, [])
            if any(r["state"] in OPEN_LISTING_STATES for r in rows):
                continue
            new_years = set(years) - self._covered_years(rows)
            if new_years:
                found.append(
                    (org_id, G.ANNUAL_REPORT_NOT_FILED, self._years_evidence(org_id, new_years))
                )
        others = self._other_listings()
        for org_id, (first, second) in sorted(self.unreachable.items()):
            seen = others.get((org_id, G.UNREACHABLE), [])
            if any(
                r["state"] in OPEN_LISTING_STATES
                or str(second) <= max(r["evidence"].get("letters") or [""])
                for r in seen
            ):
                continue
            found.append(
                (org_id, G.UNREACHABLE, {"letters": [first.isoformat(), second.isoformat()]})
            )
        for org_id, since in sorted(self.abnormal_since.items()):
            seen = others.get((org_id, G.ABNORMAL_TWO_YEARS), [])
            if any(
                r["state"] in OPEN_LISTING_STATES
                or r["evidence"].get("abnormal_since") == since.isoformat()
                for r in seen
            ):
                continue
            abnormal = others.get((org_id, "abnormal"), [])
            found.append(
                (
                    org_id,
                    G.ABNORMAL_TWO_YEARS,
                    {
                        "abnormal_since": since.isoformat(),
                        "years": self.p.abnormal_years,
                        "listings": sorted(r["id"] for r in abnormal),
                        "grounds": sorted({r["ground"] for r in abnormal}),
                    },
                )
            )
        for org_id, removed_on in sorted(self.revoked.items()):
            if others.get((org_id, G.REVOKED)):
                continue
            found.append(
                (org_id, G.REVOKED, {"revoked_on": removed_on.isoformat() if removed_on else None})
            )
        for (org_id, ground), evidence in sorted(self.penalties.items()):
            seen = others.get((org_id, ground), [])
            named = {d.get("case") for r in seen for d in (r["evidence"].get("decisions") or [])}
            if any(r["state"] in OPEN_LISTING_STATES for r in seen) or all(
                d["case"] in named for d in evidence["decisions"]
            ):
                continue  # listed, or no decision the earlier listings did not name
            found.append((org_id, ground, evidence))
        return found

    def _other_listings(self) -> dict[tuple[int, str], list[Mapping[str, Any]]]:
        """Listings (any state) of the grounds other than missing reports, of the organizations
        those grounds name; ``(org, "abnormal")`` holds each one's abnormal listings in force."""
        orgs = (
            set(self.unreachable)
            | set(self.abnormal_since)
            | set(self.revoked)
            | {org_id for org_id, _ground in self.penalties}
        )
        found: dict[tuple[int, str], list[Mapping[str, Any]]] = defaultdict(list)
        if not orgs:
            return found
        qs = CreditListing.objects.filter(
            Q(ground__in=OTHER_GROUNDS)
            | Q(
                list=CreditList.ABNORMAL,
                state__in=(ListingState.LISTED, ListingState.DELISTING_REQUESTED),
            ),
            organization_id__in=sorted(orgs),
        )
        for row in qs.order_by().values(
            "id", "organization_id", "ground", "list", "state", "evidence"
        ):
            if row["ground"] in OTHER_GROUNDS:
                found[(row["organization_id"], row["ground"])].append(row)
            if row["list"] == CreditList.ABNORMAL and row["state"] in (
                ListingState.LISTED,
                ListingState.DELISTING_REQUESTED,
            ):
                found[(row["organization_id"], "abnormal")].append(row)
        return found

    def _notify_new_grounds(self) -> None:
        """4. A notice (CR-2 due process) for every new ground: the listing as noticed, with the
        response window; an event; the audit rows; an in-app notice to the organization."""
        found = self._new_grounds()
        if not found:
            return
        respond_by = rules.respond_by(self.as_of, self.p.window)
        created = [
            CreditListing(
                organization_id=org_id,
                list=rules.list_of(ground),
                ground=ground,
                rule_id=rules.rule_of(ground),
                evidence=evidence,
                state=ListingState.NOTICED,
                source=ListingSource.SWEEP,
                noticed_on=self.as_of,
                respond_by=respond_by,
                sweep_run=self.run,
            )
            for org_id, ground, evidence in found
        ]
        bulk_insert(created, with_ids=True)
        labels = {
            ground: f"{CreditList(rules.list_of(ground)).label}：{ListingGround(ground).label}"
            for ground in {listing.ground for listing in created}
        }
        audit_record_many(
            actor=self.actor,
            entries=(
                AuditEntry(
                    action="credit_listing.notice",
                    object_type="supervision.creditlisting",
                    object_id=listing.pk,
                    object_repr=labels[listing.ground][:200],
                    after={
                        "state": ListingState.NOTICED,
                        "organization": listing.organization_id,
                        "ground": listing.ground,
                        "rule": listing.rule_id,
                        "evidence": listing.evidence,
                        "respond_by": respond_by,
                    },
                )
                for listing in created
            ),
        )
        organization_events_record_many(
            events=[
                {
                    "organization_id": listing.organization_id,
                    "kind": EventKind.LISTING_NOTICED,
                    "reason": listing.ground,
                    "on": self.as_of,
                    "details": {
                        "list": listing.list,
                        "rule": listing.rule_id,
                        "evidence": listing.evidence,
                        "respond_by": respond_by.isoformat(),
                    },
                    "is_public": False,
                }
                for listing in created
            ]
        )
        for ground in sorted({listing.ground for listing in created}):
            rows = [listing for listing in created if listing.ground == ground]
            self._send(
                ground,
                [listing.organization_id for listing in rows],
                title=_("拟列入信用名录预先告知"),
                body=_(
                    "经核查，贵组织存在“%(ground)s”的情形，拟列入%(list)s。如有异议或已纠正，"
                    "请于 %(date)s 前陈述申辩或提交材料；逾期未纠正的，将依法列入。"
                )
                % {
                    "ground": ListingGround(ground).label,
                    "list": CreditList(rules.list_of(ground)).label,
                    "date": respond_by.isoformat(),
                },
            )
            self._count(
                ground,
                NOTICED,
                (
                    {
                        "id": listing.pk,
                        "organization_id": listing.organization_id,
                        "evidence": listing.evidence,
                        "respond_by": respond_by,
                    }
                    for listing in rows
                ),
            )

    def _send(self, ground: str, orgs: list[int], *, title: str, body: str) -> None:
        """In-app notices to the organizations' own accounts, one ``notice_send`` per batch."""
        if not orgs:
            return
        for start in range(0, len(orgs), 20_000):
            chunk = orgs[start : start + 20_000]
            recipients = list(
                User.objects.filter(
                    organization_id__in=chunk, role=Role.ORGANIZATION, is_active=True
                )
                .order_by()
                .values_list("pk", flat=True)
            )
            if recipients:
                notice_send(
                    recipients=recipients,
                    title=title,
                    body=body,
                    # The organization answers on its 信用状况 page.
                    link=reverse_or_none("supervision:credit_mine") or "",
                    subject=f"credit:{ground}:{self.as_of.isoformat()}",
                )

    def _delist(self) -> None:
        """5. Automatic delistings: deregistration (all grounds), CR-3's period for the grounds
        with nothing to rectify, CR-5's clean years on the serious list."""
        listed = CreditListing.objects.filter(state=ListingState.LISTED)
        gone = listed.filter(organization__status=OrgStatus.DEREGISTERED)
        self._expire(gone, DelistReason.DEREGISTERED)
        auto = listed.filter(
            list=CreditList.ABNORMAL,
            ground__in=sorted(rules.AUTO_DELIST_GROUNDS),
            delist_earliest__lte=self.as_of,
        )
        self._expire(auto, DelistReason.AUTO_EXPIRED)
        clean = listed.filter(list=CreditList.SERIOUS, delist_earliest__lte=self.as_of).exclude(
            ground__in=sorted(rules.NO_CLEAN_PERIOD_GROUNDS)
        )
        duties_open = set(self.missing) | set(self.unreachable)
        keep = [
            row["id"]
            for row in clean.filter(ground=G.ABNORMAL_TWO_YEARS)
            .order_by()
            .values("id", "organization_id", "evidence")
            if row["organization_id"] in duties_open
            or G.RECTIFICATION_NOT_DONE in row["evidence"].get("grounds", [])
        ]
        self._expire(clean.exclude(pk__in=keep), DelistReason.CLEAN_PERIOD)

    def _expire(self, qs: QuerySet[CreditListing], reason: str) -> None:
        rows = list(qs.order_by().values("id", "organization_id", "ground", "evidence"))
        for ground in sorted({row["ground"] for row in rows}):
            group = [row for row in rows if row["ground"] == ground]
            fire_set(
                process=self.process,
                ids=[row["id"] for row in group],
                action="expire",
                actor=self.actor,
                on=self.as_of,
                values={"delisted_on": self.as_of, "delist_reason": reason},
            )
            self._count(
                ground, DELISTED, ({**self._detail(row), "reason": reason} for row in group)
            )

    @staticmethod
    def _detail(row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "id": row["id"],
            "organization_id": row["organization_id"],
            "evidence": row.get("evidence", {}),
        }


def sweep_result_rows(result: SweepResult) -> list[dict[str, Any]]:
    """The result's detail rows with the organizations' credit codes and names (to print)."""
    names = dict(
        (pk, (uscc or "", name))
        for pk, uscc, name in Organization.objects.filter(
            pk__in={item["organization_id"] for item in result.items}
        )
        .order_by()
        .values_list("pk", "uscc", "name")
    )
    return [
        {
            **item,
            "rule": rules.rule_of(item["ground"]),
            "uscc": names.get(item["organization_id"], ("", ""))[0],
            "name": names.get(item["organization_id"], ("", ""))[1],
        }
        for item in result.items
    ]


def sweep_execute(
    *,
    progress_id: int | None,
    as_of: date | None,
    dry_run: bool,
    incremental: bool,
    actor_id: int | None,
) -> dict[str, Any]:
    """The worker's side: run the sweep, keep its progress, return the counts per rule."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    if progress_id is not None:
        progress_update(progress_id, status=Status.RUNNING, message=_("正在核查……"))
    try:
        result = sweep_run(
            as_of=as_of,
            dry_run=dry_run,
            incremental=incremental,
            actor=actor,
            progress_id=progress_id,
        )
    except Exception:
        logger.exception("compliance sweep failed")
        if progress_id is not None:
            progress_update(
                progress_id,
                status=Status.FAILED,
                message=_("核查未完成：已完成的步骤予以保留，下次核查时继续；请联系系统管理员。"),
            )
        raise
    summary = sweep_summary(result)
    if progress_id is not None:
        progress_update(
            progress_id,
            status=Status.SUCCEEDED,
            message=_("核查完成，共 %(n)s 项变更。") % {"n": result.changes},
            result=summary,
        )
    return summary


def sweep_summary(result: SweepResult) -> dict[str, Any]:
    return {
        "run": result.run_id,
        "as_of": result.as_of.isoformat(),
        "dry_run": result.dry_run,
        "incremental": result.incremental,
        "full": result.full,
        "rules": result.by_rule(),
        "detail": result.counts,
        "seconds": round(result.seconds, 3),
    }
