"""Every write of registration applications and the joint review. Keyword-only, one
transaction each, audited. State changes go through ``core.workflow.fire``; the functions
named ``on_*`` are the process's effects and run inside the engine's transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, calendar, workflow
from socorg.core.attachments import attachment_owner_register, attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import Deadline, Department, Jurisdiction, Role, User
from socorg.core.params import MissingParameter, param
from socorg.registration import checklists, rules, selectors
from socorg.registration.certificates import certificate_issue
from socorg.registration.forms import KIND_FORMS, ChangeForm
from socorg.registration.models import (
    Application,
    ApplicationKind,
    ApplicationMaterial,
    ApplicationState,
    NameKey,
    NameKeyKind,
    Opinion,
    OpinionRole,
    OpinionState,
    UsccCounter,
)
from socorg.registration.name_check import Verdict, authority_for, name_check, name_key
from socorg.registry import services as registry_services
from socorg.registry.models import Branch, Organization, OrgStatus, OrgType, Principal
from socorg.registry.rules import branch_problem, make_uscc

OWNER_TYPE = "registration.application"
EDITABLE = (
    ApplicationState.DRAFT,
    ApplicationState.CORRECTION_REQUESTED,
    ApplicationState.REVIEW_CORRECTION,
)
DECISION_CLOCK_STATE = "decision"  # the RG-3 clock spans acceptance to decision

attachment_owner_register(OWNER_TYPE, lambda user, pk: selectors.access_application(user, pk))


# --- drafts -----------------------------------------------------------------------------------


def application_create(
    *,
    actor: User,
    kind: str,
    org_type: str = "",
    jurisdiction_code: str = "",
    data: dict[str, Any] | None = None,
) -> Application:
    """Open a draft. Founders (an organization account without an organization) apply for a
    name or an establishment; an organization account applies for its own organization."""
    access.require_perm(actor, "registration.apply")
    if kind not in ApplicationKind.values:
        raise ValidationError({"kind": [_("未知的申请事项。")]})
    if not isinstance(data or {}, dict):
        raise ValidationError({"data": [_("申请内容应为 JSON 对象。")]})
    app = Application(kind=kind, applicant=actor, data=data or {})
    if kind in rules.ORGANIZATION_KINDS:
        _bind_organization(app, actor)
    else:
        _bind_founding(app, org_type, jurisdiction_code)
    app.title = _title(app)
    with transaction.atomic():
        app.save(force_insert=True)
        audit_record(actor=actor, action="application.create", obj=app,
                     after={"kind": kind, "org_type": app.org_type, "data": app.data})  # fmt: skip
    return app


def _bind_organization(app: Application, actor: User) -> None:
    org = actor.organization
    if org is None:
        raise ValidationError({"kind": [_("该事项须由已登记社会组织的账号申请。")]})
    if org.status != OrgStatus.REGISTERED:
        raise ValidationError(
            {"kind": [_("本组织当前状态为“%(s)s”，不能申请。") % {"s": org.get_status_display()}]}
        )
    app.organization = org
    app.org_type = org.org_type
    app.jurisdiction_id = org.jurisdiction_id
    app.management_mode = org.management_mode
    app.supervisory_unit_id = org.supervisory_unit_id
    app.industry_regulator_id = org.industry_regulator_id


def _bind_founding(app: Application, org_type: str, jurisdiction_code: str) -> None:
    if org_type not in (OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE_AGENCY, OrgType.FOUNDATION):
        raise ValidationError({"org_type": [_("请选择组织类型：社会团体、社会服务机构或基金会。")]})
    where = Jurisdiction.objects.filter(code=jurisdiction_code).first()
    if where is None:
        raise ValidationError({"jurisdiction": [_("未知的登记管理机关区划代码。")]})
    app.org_type = org_type
    app.jurisdiction = where


def _title(app: Application) -> str:
    name = str(app.data.get("name") or "") if app.kind in rules.NAMING_KINDS else ""
    if app.organization_id and app.organization is not None:
        name = app.organization.name
    return (name or str(app.get_kind_display()))[:120]


def application_update(
    *, actor: User, application: Application, data: dict[str, Any]
) -> Application:
    """Save the draft's proposed data (full validation happens at submission)."""
    owner = application_owner_problem(application=application, actor=actor)
    if owner:
        raise PermissionDenied(owner)
    if application.state not in EDITABLE:
        raise ValidationError({"data": [_("申请已提交，当前不能修改。")]})
    if not isinstance(data, dict):
        raise ValidationError({"data": [_("申请内容应为 JSON 对象。")]})
    with transaction.atomic():
        before = application.data
        application.data = data
        application.title = _title(application)
        application.save(update_fields=["data", "title", "updated_at"])
        audit_record(actor=actor, action="application.update", obj=application,
                     before={"data": before}, after={"data": data})  # fmt: skip
    return application


def material_upload(
    *, actor: User, application: Application, key: str, upload: UploadedFile
) -> ApplicationMaterial:
    """Store a file against one checklist item; type and size are checked for that item."""
    owner = application_owner_problem(application=application, actor=actor)
    if owner:
        raise PermissionDenied(owner)
    if application.state not in EDITABLE:
        raise ValidationError({"file": [_("申请已提交，当前不能上传材料。")]})
    item = checklists.material(application.kind, application.org_type, key)
    if item is None:
        raise ValidationError({"key": [_("该事项的材料清单中没有此项材料。")]})
    with transaction.atomic():
        attachment = attachment_store(actor=actor, upload=upload, owner_type=OWNER_TYPE,
                                      owner_id=application.pk, allowed=set(item.kinds))  # fmt: skip
        row = ApplicationMaterial.objects.create(
            application=application, key=key, attachment=attachment
        )
        audit_record(actor=actor, action="application.material", obj=application,
                     after={"key": key, "attachment": attachment.pk})  # fmt: skip
    return row


# --- submission checks ------------------------------------------------------------------------


def application_owner_problem(*, application: Application, actor: User) -> str | None:
    if application.applicant_id == actor.pk:
        return None
    if actor.organization_id and application.organization_id == actor.organization_id:
        return None
    return _("只有申请人本人可以办理此申请。")


def application_submit_problem(*, application: Application, actor: User) -> str | None:
    """Why the application may not be submitted yet: the form, the materials, the name check
    and the registration conditions, all explained (RG-1, RG-4, RG-5, RG-10, RG-15)."""
    if owner := application_owner_problem(application=application, actor=actor):
        return owner
    form = KIND_FORMS[application.kind](data=application.data)
    if not form.is_valid():
        return _("申请内容不完整或有误：%(e)s") % {"e": _form_errors(form)}
    problems = _missing(application) + _name_problems(application, form.cleaned_data)
    problems += condition_problems(application, form.cleaned_data)
    return "；".join(problems) or None


def _form_errors(form: Any) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = "，".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


def _missing(app: Application) -> list[str]:
    missing = checklists.missing_materials(
        app.kind, app.org_type, selectors.uploaded_keys(app), dual_management=selectors.is_dual(app)
    )
    if not missing:
        return []
    return [_("缺少申请材料：%(m)s") % {"m": "、".join(m.label for m in missing)}]


def _name_problems(app: Application, data: dict[str, Any]) -> list[str]:
    """RG-13, RG-15: the name check of every establishment, reservation and name change."""
    name = data.get("name")
    if not name or app.kind not in (*rules.NAMING_KINDS, "change"):
        return []
    result = name_check(name=name, org_type=app.org_type, jurisdiction_code=app.jurisdiction.code,
                        exclude_organization=app.organization_id)  # fmt: skip
    hits = [_hit_text(h, app) for h in result.hits if not _own_reservation(h, app)]
    if result.verdict == Verdict.OK or not hits:
        return []
    return [_("名称“%(n)s”未通过名称查重：%(h)s") % {"n": name, "h": "；".join(hits)}]


def _own_reservation(hit: Any, app: Application) -> bool:
    """The application's own reserved name (a resubmission after 补正) does not block it."""
    if hit.uscc is not None:
        return False
    holders = selectors.pending_name_holders(hit.name)
    return bool(holders) and all(h.pk == app.pk for h in holders)


def _hit_text(hit: Any, app: Application) -> str:
    text = f"{hit.reason}（{hit.rule}）"
    if hit.uscc is None:
        holders = [h for h in selectors.pending_name_holders(hit.name) if h.pk != app.pk]
        if holders:
            text += _("（预留该名称的申请：%(a)s）") % {
                "a": "、".join(f"#{h.pk}“{h.title}”" for h in holders)
            }
    return text


# --- reserved names (RG-15) -------------------------------------------------------------------


def _reserved_name(app: Application) -> str:
    name = app.data.get("name") if app.kind in (*rules.NAMING_KINDS, "change") else ""
    return str(name or "")


def name_reserve(app: Application) -> None:
    """RG-15: a pending application's name blocks the same or a confusable name in other
    applications until it is decided or withdrawn (a ``RESERVED`` name key)."""
    name = _reserved_name(app)
    if not name:
        return
    authority = authority_for(app.jurisdiction.code)
    key = name_key(name=name, authority=authority.code, regions=authority.regions,
                   kind=NameKeyKind.RESERVED)  # fmt: skip
    NameKey.objects.filter(kind=NameKeyKind.RESERVED, organization=None,
                           authority_code=authority.code, name=key.name).delete()  # fmt: skip
    key.save(force_insert=True)


def name_release(app: Application) -> None:
    """Drop the application's reserved name when no other pending application holds it."""
    name = _reserved_name(app)
    if not name or any(h.pk != app.pk for h in selectors.pending_name_holders(name)):
        return
    authority = authority_for(app.jurisdiction.code)
    NameKey.objects.filter(kind=NameKeyKind.RESERVED, organization=None,
                           authority_code=authority.code, name=name[:100]).delete()  # fmt: skip


def condition_problems(app: Application, data: dict[str, Any]) -> list[str]:
    """Registration conditions with explanations (RG-1, RG-4, RG-5, RG-10)."""
    if app.kind == "establishment":
        return _establishment_conditions(app, data)
    if app.kind == "branch_establishment" and app.organization is not None:
        problem = branch_problem(parent_type=app.organization.org_type, kind=data["branch_kind"])
        return [problem] if problem else []
    if app.kind in ("branch_change", "branch_deregistration"):
        return [] if _own_branch(app, data) else [_("未找到本组织的该分支（代表）机构。")]
    return []


def _establishment_conditions(app: Application, data: dict[str, Any]) -> list[str]:
    funds = Decimal(data["registered_funds"])
    t = _thresholds(app.jurisdiction)
    problems: list[str] = []
    if app.org_type == OrgType.SOCIAL_GROUP:
        problems += rules.social_group_problems(
            individual_members=data.get("individual_members") or 0,
            unit_members=data.get("unit_members") or 0, funds=funds, t=t)  # fmt: skip
        others = list(
            Principal.objects.filter(
                person__id_number=data["legal_representative_id"], is_legal_representative=True,
                ends_on__isnull=True, organization__org_type=OrgType.SOCIAL_GROUP,
                organization__status=OrgStatus.REGISTERED,
            ).values_list("organization__name", flat=True)
        )  # fmt: skip
        if problem := rules.legal_representative_problem(
            name=data["legal_representative"], other_groups=others
        ):
            problems.append(problem)
    if app.org_type == OrgType.FOUNDATION:
        problems += rules.foundation_problems(
            foundation_kind=data.get("foundation_kind") or "", funds=funds, t=t
        )
    for field in ("supervisory_unit", "industry_regulator"):
        if data.get(field) and selectors.department_by_code(data[field]) is None:
            problems.append(_("未知的部门编码“%(c)s”。") % {"c": data[field]})
    return problems


def _thresholds(where: Jurisdiction) -> rules.Thresholds:
    def p(key: str) -> Decimal:
        return Decimal(str(param(key, jurisdiction=where)))

    return rules.Thresholds(
        min_individual_members=int(p("RG-1.min_individual_members")),
        min_unit_members=int(p("RG-1.min_unit_members")),
        min_mixed_members=int(p("RG-1.min_mixed_members")),
        min_funds_local=p("RG-1.min_funds.local"),
        min_original_funds={
            "local_public": p("RG-10.min_original_funds.local_public"),
            "non_public": p("RG-10.min_original_funds.non_public"),
        },
    )


def _own_branch(app: Application, data: dict[str, Any]) -> Branch | None:
    return Branch.objects.filter(pk=data.get("branch") or 0, parent_id=app.organization_id).first()


def _cleaned(app: Application) -> dict[str, Any]:
    form = KIND_FORMS[app.kind](data=app.data)
    if not form.is_valid():
        raise ValidationError(_("申请内容有误，请补正。"))
    return form.cleaned_data


# --- acceptance (RG-14) ---------------------------------------------------------------------


def application_set_consulted_departments(
    *, actor: User, application: Application, codes: list[str]
) -> Application:
    """RG-14: the bureau chooses, at acceptance (受理), the departments a direct registration
    consults; every one of them must consent. Only consultable departments of the
    application's jurisdiction are accepted; an unknown code refuses the whole choice."""
    access.require_perm(actor, "registration.accept")
    if not selectors.is_direct(application):
        raise ValidationError(_("双重管理的申请无需选择征求意见部门。"))
    if application.state != ApplicationState.SUBMITTED:
        raise ValidationError(_("只有待受理的申请可以选择征求意见部门。"))
    consultable = selectors.consultable_departments(application.jurisdiction_id)
    known = set(consultable.values_list("code", flat=True))
    unknown = rules.unknown_consulted_codes(codes, known)
    if unknown:
        raise ValidationError(
            _("未知的征求意见部门：%(c)s，请重新选择。（RG-14）") % {"c": "、".join(unknown)}
        )
    chosen = list(dict.fromkeys(codes))
    with transaction.atomic():
        before = application.data.get("consulted_departments")
        application.data = {**application.data, "consulted_departments": chosen}
        application.save(update_fields=["data", "updated_at"])
        audit_record(actor=actor, action="application.consulted_departments", obj=application,
                     before={"consulted_departments": before},
                     after={"consulted_departments": chosen})  # fmt: skip
    return application


def application_accept(
    *,
    actor: User,
    pk: int,
    codes: list[str] | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Any:
    """受理, with the departments to consult when ``codes`` is given (RG-14): the choice and the
    transition commit together or not at all."""
    from socorg.registration.processes import APPLICATION

    with transaction.atomic():
        if codes is not None:
            app = selectors.access_application(actor, pk)
            if app.state == ApplicationState.SUBMITTED:
                application_set_consulted_departments(actor=actor, application=app, codes=codes)
        return workflow.fire(process=APPLICATION, key=pk, action="accept", actor=actor,
                             comment=comment, expected_state=expected_state)  # fmt: skip


# --- process effects --------------------------------------------------------------------------


def on_submitted(app: Application, actor: User) -> None:
    """Freeze the cleaned data and the departments it names."""
    form = KIND_FORMS[app.kind](data=app.data)
    form.is_valid()
    app.data = form.json_data()
    if app.kind == "establishment":
        direct = bool(app.data.get("direct_category"))
        app.management_mode = "direct_registration" if direct else "dual_management"
        app.supervisory_unit = (
            None if direct else selectors.department_by_code(app.data.get("supervisory_unit", ""))
        )
        app.industry_regulator = selectors.department_by_code(
            app.data.get("industry_regulator", "")
        )
    app.title = _title(app)
    app.submitted_at = timezone.now()
    app.save(update_fields=["data", "management_mode", "supervisory_unit", "industry_regulator",
                            "title", "submitted_at", "updated_at"])  # fmt: skip
    name_reserve(app)


def on_accepted(app: Application, actor: User) -> None:
    """受理: the materials are complete; the RG-3 clock starts and the joint review opens (for
    dual management the supervisory unit's consent first)."""
    from socorg.registration.processes import APPLICATION

    today = timezone.localdate()
    app.complete_on = today
    app.save(update_fields=["complete_on", "updated_at"])
    days, unit = _decision_days(app.jurisdiction)
    Deadline.objects.create(process=APPLICATION.name, object_id=str(app.pk), state=DECISION_CLOCK_STATE,
                            rule_id="RG-3", unit=unit, days=days, started_on=today,
                            due_on=calendar.due_date(today, days, unit))  # fmt: skip
    _open_opinions(app, phase=1)


def _decision_days(where: Jurisdiction) -> tuple[int, str]:
    try:
        return int(param("RG-3.decision_days", jurisdiction=where)), str(
            param("RG-3.decision_day_unit", jurisdiction=where)
        )
    except MissingParameter:
        return 60, "calendar"


def _plan(app: Application) -> list[rules.OpinionPlan]:
    division = selectors.registration_division(app.jurisdiction_id)
    if division is None:
        raise ValidationError(_("未找到该登记管理机关的登记科室，请先维护部门信息。"))
    party = selectors.party_building_body(app.jurisdiction)
    consulted = [d.pk for d in _consulted(app)]
    return rules.opinion_plan(
        dual_management=selectors.is_dual(app), supervisory_unit_id=app.supervisory_unit_id,
        industry_regulator_id=app.industry_regulator_id, party_body_id=party.pk if party else None,
        division_id=division.pk, consulted_ids=consulted,
    )  # fmt: skip


def _consulted(app: Application) -> list[Department]:
    codes = app.data.get("consulted_departments") or []
    return list(Department.objects.filter(code__in=codes)) if isinstance(codes, list) else []


def _open_opinions(app: Application, *, phase: int) -> list[Opinion]:
    from socorg.registration.processes import OPINION, OPINION_WORKING_DAYS

    today = timezone.localdate()
    due = calendar.due_date(today, _opinion_days(app.jurisdiction, OPINION_WORKING_DAYS), "working")
    opened = []
    for item in _plan(app):
        if item.phase != phase:
            continue
        opinion, created = Opinion.objects.get_or_create(
            application=app,
            department_id=item.department_id,
            role=item.role,
            defaults={"due_on": due},
        )
        if created:
            workflow.start(process=OPINION, obj=opinion)
            opened.append(opinion)
    return opened


def _opinion_days(where: Jurisdiction, fallback: int) -> int:
    """RG-14: working days a department has for its opinion (rule parameter, local)."""
    try:
        return int(param("RG-14.opinion_working_days", jurisdiction=where))
    except MissingParameter:
        return fallback


def on_review_correction(app: Application) -> None:
    """补正 during the review pauses the RG-3 clock and the opinions' clocks."""
    from socorg.registration.processes import APPLICATION, OPINION

    today = timezone.localdate()
    workflow.deadline_pause(process=APPLICATION, obj=app, on=today)
    for opinion in app.opinions.filter(state=OpinionState.PENDING):
        workflow.deadline_pause(process=OPINION, obj=opinion, on=today)


def on_review_resubmitted(app: Application) -> None:
    from socorg.registration.processes import APPLICATION, OPINION

    today = timezone.localdate()
    on_submitted(app, app.applicant)
    workflow.deadline_resume(process=APPLICATION, obj=app, on=today)
    for opinion in app.opinions.filter(state=OpinionState.PENDING):
        workflow.deadline_resume(process=OPINION, obj=opinion, on=today)
        clock = workflow.item_deadline(OPINION, opinion)
        if clock is not None:
            Opinion.objects.filter(pk=opinion.pk).update(due_on=clock.due_on)


def opinion_problem(*, opinion: Opinion, actor: User) -> str | None:
    """Only the opinion's own department acts, and only while the review runs."""
    if actor.department_id != opinion.department_id:
        return _("该意见应由%(d)s出具，您所在部门无权办理。") % {"d": opinion.department}
    if opinion.application.state != ApplicationState.JOINT_REVIEW:
        return _("申请当前状态为“%(s)s”，暂不能出具意见。") % {
            "s": opinion.application.get_state_display()
        }
    return None


def on_opinion_given(opinion: Opinion, actor: User, comment: str) -> None:
    """Record who decided; the supervisory unit's consent opens the other opinions (前置)."""
    opinion.comment = comment
    opinion.decided_by = actor
    opinion.decided_at = timezone.now()
    opinion.save(update_fields=["comment", "decided_by", "decided_at"])
    if (
        opinion.role == OpinionRole.SUPERVISORY_UNIT_CONSENT
        and opinion.state == OpinionState.CONSENTED
    ):
        _open_opinions(opinion.application, phase=2)


def application_approval_problem(*, application: Application) -> str | None:
    """The seed's rule: every opinion in and every one consented; deregistration also needs
    the liquidation report (RG-7)."""
    opinions = [
        (str(o.department), str(o.get_role_display()), o.state)
        for o in selectors.application_opinions(application)
    ]
    if selectors.is_dual(application) and not any(
        r == str(OpinionRole.SUPERVISORY_UNIT_CONSENT.label) for _d, r, _s in opinions
    ):
        return _("业务主管单位尚未出具前置审查意见。")
    if blocker := rules.decision_blocker(opinions):
        return blocker
    if application.kind == "deregistration" and "liquidation_report" not in selectors.uploaded_keys(
        application
    ):
        return _("注销登记须提交清算报告。（RG-7）")
    return None


def on_withdrawn(app: Application) -> None:
    name_release(app)


def on_refused(app: Application, actor: User, comment: str) -> None:
    _decided(app, actor, comment)
    name_release(app)
    pending = [
        str(pk)
        for pk in app.opinions.filter(state=OpinionState.PENDING).values_list("pk", flat=True)
    ]
    Deadline.objects.filter(
        process="opinion", object_id__in=pending, closed_at__isnull=True
    ).update(closed_at=timezone.now())


def _decided(app: Application, actor: User, comment: str) -> None:
    app.decided_at = timezone.now()
    app.decided_by = actor
    app.reasons = comment
    app.save(update_fields=["decided_at", "decided_by", "reasons", "updated_at"])


def on_approved(app: Application, actor: User, comment: str) -> None:
    """Approval's effect, by kind: the registry changes with its events in this transaction."""
    _decided(app, actor, comment)
    name_release(app)
    data = _cleaned(app)
    if app.kind == "establishment":
        org = _register(app, actor, data)
        app.organization = org
        app.save(update_fields=["organization"])
        _issue_certificate(actor=actor, organization=org)
    elif app.kind == "change" and app.organization is not None:
        registry_services.organization_change_apply(
            actor=actor,
            organization=app.organization,
            changes=_changes(data),
            application_id=app.pk,
        )
    elif app.kind == "deregistration" and app.organization is not None:
        registry_services.organization_deregister(
            actor=actor, organization=app.organization, application_id=app.pk,
            liquidation_ended_on=data["liquidation_ended_on"].isoformat())  # fmt: skip
    elif app.kind.startswith("branch_") and app.organization is not None:
        _branch_outcome(app, actor, data)
    elif app.kind == "principal_filing" and app.organization is not None:
        registry_services.principals_file(
            actor=actor,
            organization=app.organization,
            principals=data["principals"],
            application_id=app.pk,
        )


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    changes = {k: data[k] for k in ChangeForm.ITEMS if data.get(k) not in (None, "")}
    if "supervisory_unit" in changes:
        dept = selectors.department_by_code(changes["supervisory_unit"])
        if dept is None:
            raise ValidationError(_("未知的业务主管单位部门编码。"))
        changes["supervisory_unit"] = dept
    return changes


def _branch_outcome(app: Application, actor: User, data: dict[str, Any]) -> None:
    assert app.organization is not None
    if app.kind == "branch_establishment":
        values = {k: data[k] for k in ("name", "principal_name", "domicile", "business_scope")}
        registry_services.branch_register(actor=actor, organization=app.organization,
                                          values={**values, "kind": data["branch_kind"]})  # fmt: skip
        return
    branch = _own_branch(app, data)
    if branch is None:
        raise ValidationError(_("未找到本组织的该分支（代表）机构。"))
    if app.kind == "branch_change":
        values = {
            k: data[k]
            for k in ("name", "principal_name", "domicile", "business_scope")
            if data.get(k)
        }
    else:
        values = {"status": OrgStatus.DEREGISTERED}
    registry_services.branch_update(actor=actor, branch=branch, values=values)


def _register(app: Application, actor: User, data: dict[str, Any]) -> Organization:
    area = app.jurisdiction.authority_area_code
    level = "city" if app.jurisdiction.level == "city" else "county"
    values = {
        "uscc": uscc_assign(org_type=app.org_type, area_code=area),
        "name": data["name"], "org_type": app.org_type, "level": level,
        "jurisdiction": app.jurisdiction, "management_mode": app.management_mode,
        "supervisory_unit": app.supervisory_unit, "industry_regulator": app.industry_regulator,
        "category": data["category"], "purpose": data["purpose"],
        "business_scope": data["business_scope"], "domicile": data["domicile"],
        "legal_representative": data["legal_representative"],
        "registered_funds": data["registered_funds"], "established_on": timezone.localdate(),
        "contact_person": data.get("contact_person") or "", "contact_phone": data.get("contact_phone") or "",
    }  # fmt: skip
    return registry_services.organization_register(
        actor=actor, values=values, principals=data["principals"],
        legal_representative_id=data["legal_representative_id"], application_id=app.pk)  # fmt: skip


def uscc_assign(*, org_type: str, area_code: str) -> str:
    """A new credit code (ID-1..ID-5): the next serial of the authority's area, taken under a
    row lock on its counter so that concurrent approvals never share one."""
    counter, _created = UsccCounter.objects.select_for_update().get_or_create(
        area_code=area_code, defaults={"last_serial": _highest_serial(area_code)}
    )
    if not _created:
        counter = UsccCounter.objects.select_for_update().get(pk=counter.pk)
    serial = counter.last_serial
    while True:
        serial += 1
        code = make_uscc(org_type=org_type, area_code=area_code, serial=f"MJ{serial:06d}")
        if not Organization.objects.filter(uscc__regex=rf"^5.{area_code}MJ{serial:06d}").exists():
            break
    UsccCounter.objects.filter(pk=counter.pk).update(last_serial=serial)
    return code


def _highest_serial(area_code: str) -> int:
    codes = Organization.objects.filter(uscc__regex=rf"^5.{area_code}MJ[0-9]{{6}}").values_list(
        "uscc", flat=True
    )
    return max((int(c[10:16]) for c in codes if c), default=0)


def _issue_certificate(*, actor: User, organization: Organization) -> None:
    """Issue and store the registration certificate PDF of a newly registered organization."""
    certificate_issue(actor=actor, organization=organization)


# --- escalation -------------------------------------------------------------------------------


def opinion_escalate_overdue(*, today: Any = None) -> int:
    """Flag pending opinions past their due date to the division head (督办 worklist), once
    each, audited. Returns how many were flagged."""
    today = today or timezone.localdate()
    flagged = 0
    with transaction.atomic():
        overdue = Opinion.objects.select_for_update().filter(
            state=OpinionState.PENDING, escalated_at__isnull=True, due_on__lt=today,
            application__state=ApplicationState.JOINT_REVIEW,
        )  # fmt: skip
        for opinion in overdue:
            opinion.escalated_at = timezone.now()
            opinion.save(update_fields=["escalated_at"])
            audit_record(actor=None, action="opinion.escalate", obj=opinion,
                         after={"due_on": opinion.due_on.isoformat(), "department": opinion.department_id})  # fmt: skip
            flagged += 1
    return flagged


def applicant_role_ok(user: User) -> bool:
    return user.role == Role.ORGANIZATION
