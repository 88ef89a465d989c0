"""Writes of party branches (党组织): a branch recorded with the organizations it covers, and
the party figures an organization reports in its annual report.

The annual report lives in supervision, which may import this app but not the other way round:
supervision calls ``party_figures_from_annual_report`` when a report is submitted, and the
figures (and the organization's independent branch's member counts) follow its answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.audit import audit_record
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import User
from socorg.party import access as party_access
from socorg.party.models import (
    BranchAnswer,
    BranchKind,
    FiguresSource,
    PartyBody,
    PartyBranch,
    PartyBranchMember,
    PartyFigures,
)
from socorg.party.selectors import branches as branch_selectors
from socorg.registry.models import Organization


def branch_record(
    *,
    actor: User,
    name: str,
    kind: str,
    organizations: Sequence[Organization],
    founded_on: date,
    secretary: str = "",
    members_total: int = 0,
    members_full_time: int = 0,
    body: PartyBody | None = None,
    elected_on: date | None = None,
    next_election_on: date | None = None,
) -> PartyBranch:
    """Record a branch: independent (one organization) or joint (联合党支部, two or more); none
    of its organizations may be covered by another branch at the time."""
    access.require_perm(actor, "party.record_branch")
    ids = {o.pk for o in organizations}
    scope = party_access.scope_party_organizations(actor)
    if len(set(scope.filter(pk__in=ids).values_list("pk", flat=True))) != len(ids):
        raise PermissionDenied(_("部分社会组织不在您的管辖范围内。"))
    _check_members(kind, ids)
    with transaction.atomic():
        taken = _covered_on(ids, founded_on)
        if taken:
            raise ValidationError(
                {
                    "organizations": [
                        _("以下社会组织已有党组织：%(names)s。") % {"names": "、".join(taken)}
                    ]
                }
            )
        branch = PartyBranch(
            name=name.strip(),
            kind=kind,
            body=body,
            secretary=secretary.strip(),
            founded_on=founded_on,
            members_total=members_total,
            members_full_time=members_full_time,
            elected_on=elected_on,
            next_election_on=next_election_on,
        )
        branch.full_clean()
        branch.save(force_insert=True)
        PartyBranchMember.objects.bulk_create(
            [
                PartyBranchMember(branch=branch, organization_id=pk, joined_on=founded_on)
                for pk in sorted(ids)
            ]
        )
        audit_record(
            actor=actor,
            action="party.branch_record",
            obj=branch,
            after={
                "kind": kind,
                "organizations": sorted(ids),
                "founded_on": founded_on.isoformat(),
            },
        )
    return branch


def _check_members(kind: str, ids: set[int]) -> None:
    if kind == BranchKind.INDEPENDENT and len(ids) != 1:
        raise ValidationError({"organizations": [_("单独建立的党组织只对应一个社会组织。")]})
    if kind == BranchKind.JOINT and len(ids) < 2:
        raise ValidationError({"organizations": [_("联合党支部至少覆盖两个社会组织。")]})
    if kind not in BranchKind.values:
        raise ValidationError({"kind": [_("请选择建立方式。")]})


def _covered_on(ids: set[int], on: date) -> list[str]:
    """Names of the organizations among ``ids`` a live branch already covers on ``on``."""
    rows = PartyBranchMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on),
        Q(branch__dissolved_on__isnull=True) | Q(branch__dissolved_on__gt=on),
        organization_id__in=ids,
    ).values_list("organization__name", flat=True)
    return sorted(set(rows))


# --- the annual report's party-building answers ----------------------------------------------------


def party_figures_from_annual_report(
    *,
    actor: User | None,
    organization_id: int,
    year: int,
    answers: Mapping[str, Any],
    annual_report_id: int,
    reported_on: date,
) -> PartyFigures:
    """Record what the report answered (党组织建立情况, 党员人数, 专职人员中的党员, 党建工作指导员)
    for ``year``; an independent branch of the organization takes the member counts."""
    members = int(answers.get("party_members") or 0)
    full_time = int(answers.get("full_time_party_members") or 0)
    values: dict[str, Any] = {
        "party_members": members,
        "full_time_party_members": full_time,
        "branch_answer": answers.get("party_branch")
        if answers.get("party_branch") in BranchAnswer.values
        else "",
        "has_instructor": bool(answers.get("has_instructor")),
        "source": FiguresSource.ANNUAL_REPORT,
        "annual_report_id": annual_report_id,
        "reported_on": reported_on,
        "recorded_by": actor,
    }
    with transaction.atomic():
        figures, _created = PartyFigures.objects.update_or_create(
            organization_id=organization_id, year=year, defaults=values
        )
        branches = PartyBranch.objects.filter(
            kind=BranchKind.INDEPENDENT,
            dissolved_on__isnull=True,
            members__organization_id=organization_id,
            members__left_on__isnull=True,
        )
        updated = branches.update(members_total=members, members_full_time=min(full_time, members))
        audit_record(
            actor=actor,
            action="party.figures_from_annual_report",
            obj=figures,
            after={
                "year": year,
                "annual_report": annual_report_id,
                "party_members": values["party_members"],
                "full_time_party_members": values["full_time_party_members"],
                "branch_answer": values["branch_answer"],
                "branches_updated": updated,
            },
        )
    return figures


# --- the coverage export ------------------------------------------------------------------------------


def party_coverage_export(*, actor: User, on: date) -> tuple[IO[bytes], str]:
    """The 两个覆盖 on ``on`` by every grouping, and the trend by year, as one xlsx file, with
    the export recorded in the audit log."""
    book = ExportWorkbook()
    headers = (
        (_("分组"), 30),
        (_("社会组织数"), 12),
        (_("已建立党组织"), 14),
        (_("组织覆盖率（%）"), 16),
        (_("党的工作覆盖"), 14),
        (_("工作覆盖率（%）"), 16),
    )
    titles = {
        "jurisdiction": _("按区划"),
        "type": _("按类型"),
        "department": _("按党建管理部门"),
        "committee": _("按隶属机构"),
    }
    for report in branch_selectors.coverage_all(actor, on):
        sheet = book.sheet(
            titles[report.by], [SheetColumn(h, width=w) for h, w in headers], freeze=False
        )
        for row in [*report.rows, report.summary]:
            sheet.append(
                [
                    row.name,
                    row.total,
                    row.organizational,
                    row.organizational_percent,
                    row.work,
                    row.work_percent,
                ]
            )
    trend = book.sheet(
        _("逐年趋势"),
        [SheetColumn(_("年度"), width=10), *(SheetColumn(h, width=w) for h, w in headers[1:])],
        freeze=False,
    )
    for point in branch_selectors.coverage_trend(actor, on=on):
        trend.append(
            [
                point.year,
                point.total,
                point.organizational,
                point.organizational_percent,
                point.work,
                point.work_percent,
            ]
        )
    handle = book.to_tempfile()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="party.coverage_export",
            object_type="registry.organization",
            after={"on": on.isoformat()},
        )
    filename = _("两个覆盖情况_%(date)s.xlsx") % {"date": on.strftime("%Y%m%d")}
    return handle, filename
