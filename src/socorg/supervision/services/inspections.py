"""Random inspections (双随机、一公开, RI-*): publishing the list of inspection matters, creating a
yearly plan with its parameters, freezing both pools and committing to a seed, revealing the seed
and drawing, assigning an inspector by hand and recording findings. Every write is audited in its
own transaction; committing and drawing run inside the workflow engine's transition.

The seed lives only in a 0600 file under ``settings.SOCORG_INSPECTION_SEED_DIR`` from the commit
until the draw, which copies it into the plan (revealed) and removes the file once the
transaction has committed. The file is named by plan and commitment, so a rolled-back commit
leaves at most a file nothing refers to."""

from __future__ import annotations

import gzip
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import workflow
from socorg.core.access import jurisdiction_ids_in_scope, require_perm
from socorg.core.api import json_bytes
from socorg.core.audit import audit_record
from socorg.core.models import Jurisdiction, JurisdictionLevel, Role, User
from socorg.core.notices import notice_send
from socorg.core.params import missing_parameter, param_values_for_code
from socorg.core.text import LONG_TEXT_MAX, control_problem
from socorg.core.worklist import reverse_or_none
from socorg.registry.models import Organization, OrgStatus
from socorg.supervision import access, draw
from socorg.supervision.documents import DocumentKind, document_issue
from socorg.supervision.models import (
    DeclaredRelationship,
    FindingResult,
    InspectionFinding,
    InspectionMatter,
    InspectionMatterList,
    InspectionPlan,
    InspectorKind,
    PlanAssignment,
    PlanBundle,
    PlanConflict,
    PlanInspector,
    PlanOrganization,
    PlanState,
)
from socorg.supervision.rules import cases as case_rules
from socorg.supervision.rules import inspections as rules
from socorg.supervision.selectors.inspections import (
    plan_bundle,
    risk_facts,
    stored_conflicts,
    stored_pool_grouped,
)

PROCESS = "inspection_plan"
BATCH = 5000
INSPECTOR_ROLES = {
    Role.INSPECTOR: InspectorKind.BUREAU_STAFF,
    Role.DEPARTMENT_LIAISON: InspectorKind.LIAISON_OFFICER,
    Role.EXPERT: InspectorKind.EXPERT,
}


class InspectionRefused(ValidationError):
    """A refused inspection step; the message is for the user, in Chinese."""


# --- the list of inspection matters (RI-1, RI-4) ------------------------------------------------


def matter_list_publish(
    *,
    actor: User | None,
    version: int,
    published_on: date,
    matters: Sequence[tuple[str, str]],
    basis: str = "",
) -> InspectionMatterList:
    """Publish version ``version`` of the list: (code, name) pairs, in order."""
    if actor is not None:
        require_perm(actor, "inspection.plan")
    if not matters:
        raise InspectionRefused(_("抽查事项清单至少要有一项。"))
    if InspectionMatterList.objects.filter(version__gte=version).exists():
        raise InspectionRefused(_("抽查事项清单的新版本号必须大于已发布的版本号。"))
    with transaction.atomic():
        matter_list = InspectionMatterList.objects.create(
            version=version, published_on=published_on, basis=basis[:200]
        )
        InspectionMatter.objects.bulk_create(
            InspectionMatter(matter_list=matter_list, code=code, name=name, position=n)
            for n, (code, name) in enumerate(matters, start=1)
        )
        audit_record(
            actor=actor,
            action="inspection.matters_publish",
            obj=matter_list,
            after={"version": version, "matters": [code for code, _name in matters]},
        )
    return matter_list


# --- plans ---------------------------------------------------------------------------------------


def authority_level(jurisdiction: Jurisdiction) -> str:
    """The registration level whose organizations the authority of ``jurisdiction`` inspects."""
    return "city" if jurisdiction.level == JurisdictionLevel.CITY else "county"


def _parameters(code: str, on: date) -> tuple[dict[str, str], dict[str, str]]:
    keys = [*rules.RATIO_KEYS.values(), *rules.WEIGHT_KEYS.values()]
    found = param_values_for_code(keys, on=on, code=code)
    for key in keys:
        if key not in found:
            raise missing_parameter(key, on)
    ratios = {level: str(found[key].value) for level, key in rules.RATIO_KEYS.items()}
    weights = {name: str(found[key].value) for name, key in rules.WEIGHT_KEYS.items()}
    return ratios, weights


def plan_create(
    *, actor: User, jurisdiction_code: str, year: int, on: date | None = None
) -> InspectionPlan:
    """The authority's plan for ``year`` with the ratios (RI-3) and risk weights in force on
    ``on`` (today) and the latest published list of matters (RI-1)."""
    require_perm(actor, "inspection.plan")
    on = on or timezone.localdate()
    place = Jurisdiction.objects.filter(
        code=jurisdiction_code, pk__in=jurisdiction_ids_in_scope(actor)
    ).first()
    if place is None:
        raise InspectionRefused(
            {"jurisdiction": _("只能为本机关管辖范围内的登记管理机关制定计划。")}
        )
    matter_list = InspectionMatterList.objects.filter(published_on__lte=on).first()
    if matter_list is None:
        raise InspectionRefused(_("尚未发布抽查事项清单，请先发布后再制定抽查计划。"))
    if InspectionPlan.objects.filter(jurisdiction=place, year=year).exists():
        raise InspectionRefused({"year": _("%(year)s 年度的抽查计划已经存在。") % {"year": year}})
    ratios, weights = _parameters(place.code, on)
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            jurisdiction=place,
            year=year,
            name=_("%(place)s%(year)s年度社会组织“双随机、一公开”抽查计划")
            % {"place": place.name, "year": year},
            matter_list=matter_list,
            ratios=ratios,
            weights=weights,
            algorithm=draw.ALGORITHM,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="inspection.plan_create",
            obj=plan,
            after={"jurisdiction": place.code, "year": year, "ratios": ratios, "weights": weights},
        )
    return plan


def plan_commit(*, actor: User, plan_id: int) -> InspectionPlan:
    """Freeze both pools and publish the commitment (the engine's ``commit``)."""
    plan: InspectionPlan = workflow.fire(
        process=workflow.get_process(PROCESS), key=plan_id, action="commit", actor=actor
    )
    return plan


def plan_draw(*, actor: User, plan_id: int) -> InspectionPlan:
    """Reveal the seed and draw (the engine's ``draw``; refused before commitment and twice)."""
    plan: InspectionPlan = workflow.fire(
        process=workflow.get_process(PROCESS), key=plan_id, action="draw", actor=actor
    )
    return plan


# --- the seed and its file ----------------------------------------------------------------------

_seed_source: Callable[[], str] = draw.new_seed


@contextmanager
def seeds_from(source: Callable[[], str]) -> Iterator[None]:
    """Seeds from ``source`` instead of ``secrets`` while the block runs: only for the demo,
    whose plans must come out the same on every load (a real plan's seed must be unguessable)."""
    global _seed_source
    previous, _seed_source = _seed_source, source
    try:
        yield
    finally:
        _seed_source = previous


# --- the seed file -------------------------------------------------------------------------------


def _seed_path(plan: InspectionPlan) -> Path:
    return Path(settings.SOCORG_INSPECTION_SEED_DIR) / f"plan-{plan.pk}-{plan.commitment}.seed"


def _write_seed(path: Path, seed: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(seed)
    os.replace(temporary, path)


def seed_available(plan: InspectionPlan) -> bool:
    return bool(plan.commitment) and _seed_path(plan).is_file()


def _read_seed(plan: InspectionPlan) -> str:
    seed = _seed_path(plan).read_text().strip()
    if draw.commitment(seed) != plan.commitment:
        raise workflow.ActionRefused(_("种子文件与已公布的承诺值不符，不能抽取。"))
    return seed


# --- committing: the two pools -------------------------------------------------------------------


@dataclass(frozen=True)
class FrozenPools:
    subjects: list[PlanOrganization]
    inspectors: list[PlanInspector]


def _subjects(
    plan: InspectionPlan, on: date
) -> tuple[list[PlanOrganization], dict[str, dict[str, int | None]]]:
    level = authority_level(plan.jurisdiction)
    subtree = Jurisdiction.objects.filter(path__startswith=plan.jurisdiction.path).values("pk")
    in_scope = Organization.objects.filter(
        status=OrgStatus.REGISTERED, level=level, jurisdiction_id__in=subtree, uscc__isnull=False
    )
    rows = list(
        in_scope.values_list(
            "pk", "uscc", "org_type", "level", "supervisory_unit_id", "industry_regulator_id"
        )
    )
    facts = risk_facts(in_scope.values("pk"), on=on)
    subjects = []
    departments: dict[str, dict[str, int | None]] = {}
    for pk, code, org_type, org_level, unit, regulator in rows:
        uscc = code or ""
        causes = facts.causes(pk)
        subjects.append(
            PlanOrganization(
                plan=plan,
                organization_id=pk,
                uscc=uscc,
                stratum=rules.stratum(org_type, org_level),
                weight=rules.risk_weight(causes, plan.weights),
                causes=causes,
            )
        )
        departments[uscc] = {"pk": pk, "unit": unit, "regulator": regulator}
    return subjects, departments


def _inspectors(plan: InspectionPlan) -> list[PlanInspector]:
    users = (
        User.objects.filter(is_active=True, role__in=list(INSPECTOR_ROLES))
        .filter(
            Q(jurisdiction=plan.jurisdiction)
            | Q(jurisdiction__isnull=True, department__jurisdiction=plan.jurisdiction)
        )
        .select_related("department")
        .order_by("pk")
    )
    return [
        PlanInspector(
            plan=plan,
            user=user,
            kind=INSPECTOR_ROLES[Role(user.role)],
            department=user.department,
            department_name=user.department.name if user.department else "",
        )
        for user in users
    ]


def _conflicts(
    plan: InspectionPlan,
    inspectors: list[PlanInspector],
    departments: dict[str, dict[str, int | None]],
) -> list[PlanConflict]:
    by_org = {v["pk"]: uscc for uscc, v in departments.items()}
    user_ids = [i.user_id for i in inspectors]
    declared = set(
        DeclaredRelationship.objects.filter(
            user_id__in=user_ids, organization_id__in=list(by_org)
        ).values_list("user_id", "organization_id")
    )
    last_year = set(
        PlanAssignment.objects.filter(
            subject__plan__jurisdiction=plan.jurisdiction,
            subject__plan__year=plan.year - 1,
            inspector__user_id__in=user_ids,
        ).values_list("inspector__user_id", "subject__organization_id")
    )
    by_department: dict[int, list[str]] = defaultdict(list)
    for uscc, v in departments.items():
        for dept in {v["unit"], v["regulator"]} - {None}:
            by_department[dept].append(uscc)  # type: ignore[index]
    found: list[PlanConflict] = []
    for inspector in inspectors:
        candidates = set(by_department.get(inspector.department_id or 0, []))
        candidates |= {by_org[o] for u, o in declared | last_year if u == inspector.user_id}
        for uscc in sorted(candidates):
            v = departments[uscc]
            reasons = rules.conflict_reasons(
                inspector_department=inspector.department_id,
                supervisory_unit=v["unit"],
                industry_regulator=v["regulator"],
                declared=(inspector.user_id, v["pk"]) in declared,
                inspected_last_year=(inspector.user_id, v["pk"]) in last_year,
            )
            found += [
                PlanConflict(plan=plan, inspector=inspector, uscc=uscc, reason=reason)
                for reason in reasons
            ]
    return found


def plan_freeze(*, plan: InspectionPlan, actor: User) -> None:
    """The commit's effect: freeze both pools and their conflicts, make the seed, keep it in
    its file and publish its commitment and the pool hash."""
    on = timezone.localdate()
    subjects, departments = _subjects(plan, on)
    if not subjects:
        raise workflow.ActionRefused(_("本计划范围内没有可抽查的社会组织，不能锁定名录库。"))
    inspectors = _inspectors(plan)
    PlanOrganization.objects.bulk_create(subjects, batch_size=BATCH)
    PlanInspector.objects.bulk_create(inspectors, batch_size=BATCH)
    saved = {i.user_id: i for i in PlanInspector.objects.filter(plan=plan)}
    conflicts = _conflicts(plan, list(saved.values()), departments)
    PlanConflict.objects.bulk_create(conflicts, batch_size=BATCH)
    seed = draw.check_seed(_seed_source())
    plan.commitment = draw.commitment(seed)
    plan.pool_hash = draw.pool_hash(draw.PoolEntry(s.uscc, s.stratum, s.weight) for s in subjects)
    plan.committed_at = timezone.now()
    _write_seed(_seed_path(plan), seed)
    plan.save(update_fields=["commitment", "pool_hash", "committed_at"])
    audit_record(
        actor=actor,
        action="inspection.plan_commit",
        obj=plan,
        after={
            "commitment": plan.commitment,
            "pool_hash": plan.pool_hash,
            "subjects": len(subjects),
            "inspectors": len(saved),
            "conflicts": len(conflicts),
        },
    )


# --- drawing -------------------------------------------------------------------------------------


def _store_draw(plan: InspectionPlan, selected: Sequence[draw.Selection]) -> None:
    """Mark the selected organizations and write their assignments in the draw's order (the
    bundle lists each pair as drawn), batch by batch (SQLite)."""
    chosen = [s.uscc for s in selected]
    for start in range(0, len(chosen), BATCH):
        PlanOrganization.objects.filter(plan=plan, uscc__in=chosen[start : start + BATCH]).update(
            selected=True
        )
    subject_ids = dict(
        PlanOrganization.objects.filter(plan=plan, selected=True).values_list("uscc", "pk")
    )
    inspector_ids = dict(PlanInspector.objects.filter(plan=plan).values_list("user_id", "pk"))
    PlanAssignment.objects.bulk_create(
        (
            PlanAssignment(subject_id=subject_ids[s.uscc], inspector_id=inspector_ids[int(i)])
            for s in selected
            for i in s.inspectors
        ),
        batch_size=BATCH,
    )


_MARK_SELECTED = (
    "UPDATE supervision_planorganization SET selected = true "
    "WHERE plan_id = %s AND uscc = ANY(%s::text[])"
)
# In the draw's order: a join may return rows in any order, so the SELECT sorts by the
# position in the arrays (and the batches are sent in order).
_INSERT_ASSIGNMENTS = (
    "INSERT INTO supervision_planassignment (subject_id, inspector_id, manual) "
    "SELECT s.id, i.id, false "
    "FROM unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS a(uscc, uid, n) "
    "JOIN supervision_planorganization s ON s.plan_id = %s AND s.uscc = a.uscc "
    "JOIN supervision_planinspector i ON i.plan_id = %s AND i.user_id = a.uid "
    "ORDER BY a.n"
)
ASSIGNMENT_BATCH = 2000


def _assign_and_store(
    plan: InspectionPlan,
    seed: str,
    chosen: Sequence[draw.PoolEntry],
    inspectors: Sequence[str],
    conflicts: Sequence[draw.Conflict],
) -> tuple[tuple[draw.Selection, ...], tuple[str, ...]]:
    """``draw.assign`` and the storing of its result. On PostgreSQL the statements go out in
    psycopg's pipeline mode and the server runs them while this process assigns: first the
    UPDATE that marks the selected organizations, then the assignments in batches as they
    are drawn, each with its foreign keys checked at once rather than all at commit."""
    processes = settings.SOCORG_DRAW_PROCESSES
    if connection.vendor != "postgresql":
        selected, shortfalls = draw.assign(seed, chosen, inspectors, conflicts, processes)
        _store_draw(plan, selected)
        return selected, shortfalls
    connection.ensure_connection()
    raw = connection.connection
    drawn: list[draw.Selection] = []
    with raw.pipeline(), raw.cursor() as cursor:

        def send(batch: list[draw.Selection]) -> None:
            pairs = [(s.uscc, int(i)) for s in batch for i in s.inspectors]
            codes, users = [u for u, _i in pairs], [i for _u, i in pairs]
            cursor.execute(_INSERT_ASSIGNMENTS, [codes, users, plan.pk, plan.pk])

        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(_MARK_SELECTED, [plan.pk, [e.uscc for e in chosen]])
        for selection in draw.assigned(seed, chosen, inspectors, conflicts, processes):
            drawn.append(selection)
            if len(drawn) % ASSIGNMENT_BATCH == 0:
                send(drawn[-ASSIGNMENT_BATCH:])
        send(drawn[len(drawn) - len(drawn) % ASSIGNMENT_BATCH :])
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    selected = tuple(drawn)
    short = tuple(s.uscc for s in selected if len(s.inspectors) < draw.INSPECTORS_PER_ORGANIZATION)
    return selected, short


def plan_reveal_and_draw(*, plan: InspectionPlan, actor: User) -> draw.DrawResult:
    """The draw's effect: reveal the seed, draw with ``draw.select_grouped`` and ``draw.assign``
    (``draw.draw`` on the pools as the database holds them) and store the selections and
    assignments; the seed file is removed once the transaction has committed. The keys are
    computed in ``SOCORG_DRAW_PROCESSES`` processes."""
    seed = _read_seed(plan)
    pool, ratios, inspectors = stored_pool_grouped(plan)
    strata, chosen = draw.select_grouped(seed, pool, ratios, settings.SOCORG_DRAW_PROCESSES)
    # The assignment reads only the conflicts of the selected organizations.
    conflicts = stored_conflicts(plan, [e.uscc for e in chosen])
    selected, shortfalls = _assign_and_store(plan, seed, chosen, inspectors, conflicts)
    result = draw.DrawResult(strata, selected, shortfalls)
    plan.seed = seed
    plan.drawn_at = timezone.now()
    plan.save(update_fields=["seed", "drawn_at"])
    audit_record(
        actor=actor,
        action="inspection.plan_draw",
        obj=plan,
        after={
            "seed": seed,
            "selected": len(result.selected),
            "shortfalls": list(result.shortfalls),
        },
    )
    path = _seed_path(plan)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    assigned = {int(i) for s in result.selected for i in s.inspectors}
    if assigned:
        transaction.on_commit(
            lambda: notice_send(
                recipients=assigned,
                title=_("您有新的“双随机”抽查任务"),
                body=plan.name,
                link="/supervision/inspections/mine/",
                subject=f"inspection-plan-{plan.pk}",
            )
        )
    return result


def plan_bundle_store(*, plan_id: int) -> PlanBundle | None:
    """Build the public bundle of a drawn plan once and keep it (``PlanBundle``): the public
    API and ``socorg draw verify`` then read it instead of rebuilding it from the pools. Runs
    in the background after the draw (``tasks.plan_bundle_task``); nothing for a plan not
    drawn, or whose bundle is already stored."""
    with transaction.atomic():
        plan = (
            InspectionPlan.objects.select_for_update()
            .select_related("jurisdiction")
            .filter(pk=plan_id, state=PlanState.DRAWN)
            .first()
        )
        if plan is None or PlanBundle.objects.filter(plan=plan).exists():
            return None
        body = json_bytes(plan_bundle(plan))
        digest = hashlib.sha256(body).hexdigest()
        stored = PlanBundle.objects.create(
            plan=plan, body=gzip.compress(body, 6, mtime=0), sha256=digest, size=len(body)
        )
        audit_record(
            actor=None,
            action="inspection.bundle_store",
            obj=plan,
            after={"sha256": digest, "size": len(body)},
        )
    return stored


# --- assigning by hand and recording findings ----------------------------------------------------


def assignment_add(
    *, actor: User, plan_id: int, uscc: str, inspector_user_id: int
) -> PlanAssignment:
    """Add an inspector of the pool to a selected organization by hand (e.g. a shortfall);
    refused for an inspector who must recuse (RI-5)."""
    require_perm(actor, "inspection.plan")
    with transaction.atomic():
        plan = access.access_plan(actor, plan_id)
        if plan.state != PlanState.DRAWN:
            raise InspectionRefused(_("计划尚未抽取，不能指派检查人员。"))
        subject = PlanOrganization.objects.filter(plan=plan, uscc=uscc, selected=True).first()
        if subject is None:
            raise InspectionRefused(_("该组织不在本计划的抽中名单中。"))
        inspector = PlanInspector.objects.filter(plan=plan, user_id=inspector_user_id).first()
        if inspector is None:
            raise InspectionRefused(_("该人员不在本计划的检查人员名录库中。"))
        conflict = PlanConflict.objects.filter(plan=plan, inspector=inspector, uscc=uscc).first()
        if conflict is not None:
            raise InspectionRefused(
                _("该检查人员与该组织存在应当回避的情形（%(reason)s），不能指派。")
                % {"reason": conflict.get_reason_display()}
            )
        if PlanAssignment.objects.filter(subject=subject, inspector=inspector).exists():
            raise InspectionRefused(_("该检查人员已在该组织的检查组中。"))
        assignment = PlanAssignment.objects.create(
            subject=subject, inspector=inspector, manual=True
        )
        audit_record(
            actor=actor,
            action="inspection.assign",
            obj=assignment,
            after={"plan": plan.pk, "uscc": uscc, "inspector": inspector_user_id},
        )
    return assignment


def finding_record(
    *, actor: User, subject_id: int, matter_id: int, result: str, description: str
) -> InspectionFinding:
    """An assigned inspector records the result of one matter (RI-1: only a matter of the plan's
    list); the organization is told and the finding is published by RI-6's deadline."""
    require_perm(actor, "inspection.record")
    description = (description or "").strip()
    if problem := control_problem(description):
        raise InspectionRefused({"description": problem})
    if len(description) > LONG_TEXT_MAX:
        raise InspectionRefused({"description": _("情况说明过长。")})
    if result not in FindingResult.values:
        raise InspectionRefused({"result": _("请选择检查结果。")})
    if result != FindingResult.COMPLIANT and not description:
        raise InspectionRefused({"description": _("发现问题时请写明情况说明。")})
    with transaction.atomic():
        subject = access.access_assigned_subject(actor, subject_id)
        matter = InspectionMatter.objects.filter(
            pk=matter_id, matter_list_id=subject.plan.matter_list_id
        ).first()
        if matter is None:
            raise InspectionRefused({"matter": _("只能检查本计划所列的抽查事项。")})
        if InspectionFinding.objects.filter(subject=subject, matter=matter).exists():
            raise InspectionRefused({"matter": _("该事项已经记录过检查结果。")})
        today = timezone.localdate()
        days = int(
            param_values_for_code(
                [rules.PUBLICATION_KEY], on=today, code=subject.plan.jurisdiction.code
            )[rules.PUBLICATION_KEY].value
        )
        finding = InspectionFinding.objects.create(
            subject=subject,
            matter=matter,
            result=result,
            description=description,
            recorded_by=actor,
            recorded_on=today,
            publish_by=rules.publication_deadline(today, days),
        )
        audit_record(
            actor=actor,
            action="inspection.finding_record",
            obj=finding,
            after={"uscc": subject.uscc, "matter": matter.code, "result": result},
        )
        accounts = list(
            User.objects.filter(
                role=Role.ORGANIZATION, organization_id=subject.organization_id, is_active=True
            ).values_list("pk", flat=True)
        )
        label = str(FindingResult(result).label)
        transaction.on_commit(
            lambda: notice_send(
                recipients=accounts,
                title=_("随机抽查结果：%(matter)s") % {"matter": matter.name},
                body=f"{label} {description}"[:500],
                subject=f"inspection-finding-{finding.pk}",
            )
        )
    return finding


def finding_rectification_notice(
    *, actor: User, finding_id: int, requirements: str, due_on: date
) -> InspectionFinding:
    """A finding with issues leads to a rectification notice (责令整改通知书): numbered in the
    authority's series, rendered as PDF, kept with the finding and sent to the organization.
    One notice per finding; a second click is refused, not numbered twice."""
    require_perm(actor, "case.handle")
    requirements = (requirements or "").strip()
    errors: dict[str, list[str]] = {}
    if problem := control_problem(requirements):
        errors["requirements"] = [problem]
    elif not requirements:
        errors["requirements"] = [_("请填写整改要求。")]
    elif len(requirements) > LONG_TEXT_MAX:
        errors["requirements"] = [_("整改要求过长。")]
    today = timezone.localdate()
    if due_on <= today:
        errors["due_on"] = [_("整改期限须晚于今天。")]
    if errors:
        raise InspectionRefused(errors)
    with transaction.atomic():
        finding = access.access_finding(actor, finding_id)
        finding = InspectionFinding.objects.select_for_update().get(pk=finding.pk)
        if finding.rectification_number:
            raise workflow.StaleState(
                _("该检查结果已下达责令整改通知书（%(n)s），请刷新后查看。")
                % {"n": finding.rectification_number}
            )
        if finding.result == FindingResult.COMPLIANT:
            raise InspectionRefused({"result": _("检查结果为“未发现问题”，无需责令整改。")})
        subject = finding.subject
        org = subject.organization
        matter = InspectionMatter.objects.get(pk=finding.matter_id)
        facts = _("%(year)s年度随机抽查“%(matter)s”发现：%(description)s") % {
            "year": subject.plan.year,
            "matter": matter.name,
            "description": finding.description,
        }
        number, attachment = document_issue(
            actor=actor,
            owner_type=access.FINDING_OWNER,
            owner_id=finding.pk,
            kind=DocumentKind.RECTIFICATION_NOTICE,
            organization_name=org.name,
            uscc=org.uscc or "",
            jurisdiction=org.jurisdiction,
            paragraphs=case_rules.rectification_paragraphs(
                facts=facts, requirements=requirements, due_on=due_on
            ),
            on=today,
        )
        finding.rectification_number = number
        finding.rectification_requirements = requirements
        finding.rectification_due_on = due_on
        finding.save(
            update_fields=[
                "rectification_number",
                "rectification_requirements",
                "rectification_due_on",
            ]
        )
        audit_record(
            actor=actor,
            action="inspection.rectification_notice",
            obj=finding,
            after={"number": number, "uscc": subject.uscc, "due_on": due_on.isoformat()},
        )
        accounts = list(
            User.objects.filter(
                role=Role.ORGANIZATION, organization_id=org.pk, is_active=True
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(
            lambda: notice_send(
                recipients=accounts,
                title=_("责令整改通知书 %(n)s") % {"n": number},
                body=_("请于 %(due)s 前完成整改：%(req)s")
                % {"due": due_on.isoformat(), "req": requirements[:300]},
                link=reverse_or_none("attachment_download", attachment.pk) or "",
                subject=f"inspection-rectification-{finding.pk}",
            )
        )
    return finding
