"""The dormant-organization cleanup campaign (DO-1, DO-2): creating a campaign with a snapshot
of its criteria, finding its candidates set-wise, preparing and firing their dispositions, and
exporting the outcome statistics. Every write is audited in its own transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import workflow
from socorg.core.access import jurisdiction_ids_in_scope, require_perm
from socorg.core.audit import audit_record
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import Jurisdiction, User
from socorg.core.params import missing_parameter, param_values_for_code
from socorg.core.text import control_problem
from socorg.registry.models import Organization, OrgStatus
from socorg.supervision import access
from socorg.supervision.models import (
    AnnualReport,
    CandidateState,
    CleanupCampaign,
    ContactAttempt,
    DormantCandidate,
)
from socorg.supervision.processes import DORMANT_CANDIDATE
from socorg.supervision.rules import campaigns as rules
from socorg.supervision.selectors.campaigns import OutcomeStatistics

NAME_MAX = 100
DOCUMENT_MAX = 200
DECISION_MAX = 100


def _line(value: str, *, field: str, label: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if problem := control_problem(value):
        raise ValidationError({field: problem})
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(value) > limit:
        raise ValidationError(
            {field: _("%(label)s不能超过 %(n)s 个字符。") % {"label": label, "n": limit}}
        )
    return value


def criteria_snapshot(code: str, on: date) -> dict[str, Any]:
    """DO-1's parameters (and the AR-1 due dates that close a year) in force on ``on`` for the
    jurisdiction ``code``, as a campaign keeps them."""
    keys = (*rules.PARAMETER_KEYS, *rules.DUE_KEYS)
    found = param_values_for_code(keys, on=on, code=code)
    for key in keys:
        if key not in found:
            raise missing_parameter(key, on)
    return {key: found[key].value for key in keys}


def campaign_create(
    *,
    actor: User,
    name: str,
    jurisdiction_code: str,
    document: str,
    started_on: date,
    ends_on: date | None,
) -> CleanupCampaign:
    """A campaign over ``jurisdiction_code``'s subtree (within the actor's scope), with the
    criteria in force on its first day."""
    require_perm(actor, "campaign.manage")
    errors: dict[str, str] = {}
    try:
        name = _line(name, field="name", label=_("专项行动名称"), limit=NAME_MAX, required=True)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        document = _line(
            document, field="document", label=_("部署文件"), limit=DOCUMENT_MAX, required=False
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    place = Jurisdiction.objects.filter(
        code=jurisdiction_code, id__in=jurisdiction_ids_in_scope(actor)
    ).first()
    if place is None:
        errors["jurisdiction"] = _("请选择您管辖范围内的区划。")
    if ends_on is not None and ends_on < started_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    assert place is not None
    with transaction.atomic():
        campaign = CleanupCampaign.objects.create(
            name=name,
            jurisdiction=place,
            document=document,
            started_on=started_on,
            ends_on=ends_on,
            criteria=criteria_snapshot(place.code, started_on),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="campaign.create",
            obj=campaign,
            after={
                "name": name,
                "jurisdiction": place.code,
                "document": document,
                "started_on": started_on.isoformat(),
                "ends_on": ends_on.isoformat() if ends_on else None,
                "criteria": campaign.criteria,
            },
        )
    return campaign


def _facts(org_ids: list[int], records_from: int | None) -> dict[int, rules.OrgFacts]:
    """The facts DO-1 reads for the organizations, in three queries (organizations, reports,
    contacts) whatever their number."""
    reports: dict[int, list[rules.Report]] = defaultdict(list)
    contacts: dict[int, list[rules.Contact]] = defaultdict(list)
    if records_from is not None:
        rows = AnnualReport.objects.filter(organization_id__in=org_ids).values_list(
            "organization_id", "year", "submitted_on", "activities_held"
        )
        for org_id, year, submitted_on, held in rows.iterator(chunk_size=2000):
            reports[org_id].append(rules.Report(year, submitted_on is not None, held))
    for org_id, kind, made_on, result in (
        ContactAttempt.objects.filter(organization_id__in=org_ids)
        .values_list("organization_id", "kind", "made_on", "result")
        .iterator(chunk_size=2000)
    ):
        contacts[org_id].append(rules.Contact(kind, made_on, result))
    orgs = Organization.objects.filter(id__in=org_ids).values_list(
        "id", "established_on", "removed_on"
    )
    return {
        pk: rules.OrgFacts(established, removed, reports[pk], contacts[pk])
        for pk, established, removed in orgs.iterator(chunk_size=2000)
    }


def campaign_find_candidates(
    *, actor: User, campaign: CleanupCampaign, as_of: date | None = None
) -> int:
    """DO-1 over the registered organizations of the campaign's jurisdiction subtree (within
    the actor's scope), with the campaign's criteria: each organization meeting any criterion
    becomes a candidate with its criteria and evidence. Set-wise (a handful of queries) and idempotent: an organization
    already a candidate of the campaign is left as it is. Returns how many were added."""
    require_perm(actor, "campaign.manage")
    campaign = access.access_campaign(actor, campaign.pk)
    as_of = as_of or timezone.localdate()
    values = campaign.criteria or {}
    snapshot_taken = not all(k in values for k in (*rules.PARAMETER_KEYS, *rules.DUE_KEYS))
    if snapshot_taken:
        # A campaign recorded without its criteria takes those in force on its first day.
        values = criteria_snapshot(campaign.jurisdiction.code, campaign.started_on)
    criteria = rules.Criteria.from_params(values)
    closed = rules.last_closed_year(as_of, [values[k] for k in rules.DUE_KEYS])
    records_from = AnnualReport.objects.aggregate(first=Min("year"))["first"]
    with transaction.atomic():
        CleanupCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if snapshot_taken:
            CleanupCampaign.objects.filter(pk=campaign.pk).update(criteria=values)
        already = set(campaign.candidates.values_list("organization_id", flat=True))
        org_ids = [
            pk
            for pk in Organization.objects.filter(
                status=OrgStatus.REGISTERED,
                jurisdiction__path__startswith=campaign.jurisdiction.path,
                # A district's staff searches only its district within a city campaign.
                jurisdiction_id__in=jurisdiction_ids_in_scope(actor),
            ).values_list("id", flat=True)
            if pk not in already
        ]
        new = []
        for org_id, facts in sorted(_facts(org_ids, records_from).items()):
            finding = rules.find(facts, criteria, closed=closed, records_from=records_from)
            if finding:
                new.append(
                    DormantCandidate(
                        campaign=campaign,
                        organization_id=org_id,
                        criteria=finding.criteria,
                        evidence={**finding.evidence, "as_of": as_of.isoformat()},
                    )
                )
        DormantCandidate.objects.bulk_create(new, batch_size=500)
        audit_record(
            actor=actor,
            action="campaign.find_candidates",
            obj=campaign,
            after={
                "as_of": as_of.isoformat(),
                "closed_year": closed,
                "added": len(new),
                "criteria_recorded": values if snapshot_taken else None,
                "organizations": [c.organization_id for c in new],
            },
        )
    return len(new)


def _open_candidate(actor: User, pk: int, *, states: tuple[str, ...]) -> DormantCandidate:
    require_perm(actor, "campaign.view")
    candidate = access.access_candidate(actor, pk)
    if candidate.state not in states:
        raise ValidationError(
            _("该线索当前状态为“%(state)s”，不能修改此项。")
            % {"state": candidate.get_state_display()}
        )
    return candidate


def candidate_set_rectification_due(*, actor: User, pk: int, due: date) -> DormantCandidate:
    """The deadline of the rectification notice (DO-2), set before the notice is sent: a day
    after today."""
    require_perm(actor, "campaign.manage")
    candidate = _open_candidate(actor, pk, states=(CandidateState.IDENTIFIED,))
    if due <= timezone.localdate():
        raise ValidationError({"due": _("整改期限应晚于今天。")})
    with transaction.atomic():
        before = candidate.rectification_due
        DormantCandidate.objects.filter(pk=candidate.pk).update(
            rectification_due=due, updated_at=timezone.now()
        )
        candidate.rectification_due = due
        audit_record(
            actor=actor,
            action="dormant_candidate.set_rectification_due",
            obj=candidate,
            before={"rectification_due": before.isoformat() if before else None},
            after={"rectification_due": due.isoformat()},
        )
    return candidate


def candidate_set_decision_document(*, actor: User, pk: int, document: str) -> DormantCandidate:
    """The number of the revocation decision (DO-2), entered by the deciding division head
    before the revocation."""
    require_perm(actor, "campaign.decide")
    candidate = _open_candidate(actor, pk, states=(CandidateState.REVOCATION,))
    document = _line(
        document,
        field="document",
        label=_("决定书文号"),
        limit=DECISION_MAX,
        required=True,
    )
    with transaction.atomic():
        before = candidate.decision_document
        DormantCandidate.objects.filter(pk=candidate.pk).update(
            decision_document=document, updated_at=timezone.now()
        )
        candidate.decision_document = document
        audit_record(
            actor=actor,
            action="dormant_candidate.set_decision_document",
            obj=candidate,
            before={"decision_document": before},
            after={"decision_document": document},
        )
    return candidate


def candidate_act(
    *, actor: User, pk: int, action: str, comment: str, expected_state: str | None = None
) -> DormantCandidate:
    """Fire a disposition (DO-2) through the engine: its guards, audit and effects."""
    result: DormantCandidate = workflow.fire(
        process=DORMANT_CANDIDATE,
        key=pk,
        action=action,
        actor=actor,
        comment=comment,
        expected_state=expected_state,
    )
    return result


def statistics_workbook(*, actor: User, stats: OutcomeStatistics) -> tuple[IO[bytes], str]:
    """The outcome statistics of a period as an xlsx file, the export audited."""
    require_perm(actor, "campaign.view")
    workbook = ExportWorkbook()
    sheet = workbook.sheet(
        _("处置结果统计"),
        [
            SheetColumn(_("区划"), 20),
            SheetColumn(_("登记层级"), 12),
            SheetColumn(_("注销登记"), 12),
            SheetColumn(_("撤销登记"), 12),
            SheetColumn(_("整改激活"), 12),
            SheetColumn(_("合计"), 12),
        ],
    )
    for row in stats.rows:
        sheet.append(
            [row.jurisdiction, row.level_label, row.deregistered, row.revoked, row.reactivated]
            + [row.total]
        )
    for row in stats.by_level:
        sheet.append(
            [_("小计"), row.level_label, row.deregistered, row.revoked, row.reactivated, row.total]
        )
    total = stats.total
    sheet.append([_("合计"), "", total.deregistered, total.revoked, total.reactivated, total.total])
    handle = workbook.to_tempfile()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="campaign.statistics_export",
            object_type="registry.organizationevent",
            after={
                "from": stats.start.isoformat(),
                "to": stats.end.isoformat(),
                "rows": len(stats.rows),
            },
        )
    filename = _("清理整治处置结果统计_%(start)s_%(end)s.xlsx") % {
        "start": stats.start.strftime("%Y%m%d"),
        "end": stats.end.strftime("%Y%m%d"),
    }
    return handle, filename
