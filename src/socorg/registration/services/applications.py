"""Writes of registration applications: drafts, materials, the checks of a submission
(content, materials, name, conditions), reserved names (RG-15) and the frozen content of a
submitted application. Keyword-only, one transaction each, audited. State changes go through
``core.workflow.fire``; the functions the process's effects call run inside its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import Jurisdiction, User
from socorg.core.params import param
from socorg.core.text import UnsafeText, clean_json
from socorg.registration.access import APPLICATION_OWNER
from socorg.registration.kinds import KIND_FORMS, KindForm, draft_problems, with_department_codes
from socorg.registration.models import (
    Application,
    ApplicationKind,
    ApplicationMaterial,
    ApplicationState,
)
from socorg.registration.rules import applications as rules
from socorg.registration.rules import checklists
from socorg.registration.selectors import applications as selectors
from socorg.registration.selectors import principals as principal_selectors
from socorg.registration.selectors.names import Verdict, authority_for, name_check
from socorg.registry.models import (
    Branch,
    Category,
    ManagementMode,
    NameKey,
    NameKeyKind,
    OrgStatus,
    OrgType,
    Principal,
)
from socorg.registry.rules.organizations import branch_problem
from socorg.registry.services.names import name_key

K = ApplicationKind
EDITABLE = (
    ApplicationState.DRAFT,
    ApplicationState.CORRECTION_REQUESTED,
    ApplicationState.REVIEW_CORRECTION,
)


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
    app = Application(kind=kind, applicant=actor, data=checked_data(kind, data or {}))
    if kind in rules.ORGANIZATION_KINDS:
        _bind_organization(app, actor)
    elif actor.organization_id is not None:
        # The account of the organization a founding application creates is its founders'
        # (linked at approval): an account that already has one cannot take a second.
        raise ValidationError(
            {"kind": [_("已登记社会组织的账号不能申请名称预先核准或成立登记，请使用发起人账号。")]}
        )
    else:
        _bind_founding(app, org_type, jurisdiction_code)
    app.title = _title(app)
    with transaction.atomic():
        app.save(force_insert=True)
        audit_record(
            actor=actor,
            action="application.create",
            obj=app,
            after={"kind": kind, "org_type": app.org_type, "data": app.data},
        )
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
    """Save the draft's proposed data (full validation happens at submission). What the bureau
    set (the departments consulted, RG-14) is kept, whatever the applicant sends."""
    owner = application_owner_problem(application=application, actor=actor)
    if owner:
        raise PermissionDenied(owner)
    if application.state not in EDITABLE:
        raise ValidationError({"data": [_("申请已提交，当前不能修改。")]})
    if not isinstance(data, dict):
        raise ValidationError({"data": [_("申请内容应为 JSON 对象。")]})
    own = checked_data(application.kind, _without_bureau_keys(data))
    data = {**own, **_bureau_keys(application.data)}
    with transaction.atomic():
        before = application.data
        application.data = data
        application.title = _title(application)
        application.save(update_fields=["data", "title", "updated_at"])
        audit_record(
            actor=actor,
            action="application.update",
            obj=application,
            before={"data": before},
            after={"data": data},
        )
    return application


def checked_data(kind: str, data: Any) -> dict[str, Any]:
    """The proposed data of a draft as stored: a JSON object whose keys are the fields of the
    kind's form, each value of the field's type and within its limits, the whole bounded
    (``core.text.clean_json``), every string free of control characters. Raises
    ``ValidationError`` naming each offending field (``data.<field>``); nothing is written."""
    if not isinstance(data, dict):
        raise ValidationError({"data": [_("申请内容应为 JSON 对象。")]})
    try:
        cleaned = clean_json(data)
    except UnsafeText as exc:
        raise ValidationError({"data": [str(exc)]}) from exc
    if problems := draft_problems(kind, cleaned):
        raise ValidationError(problems)
    return with_department_codes(kind, dict(cleaned))


def _bureau_keys(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in rules.BUREAU_KEYS if k in data}


def _without_bureau_keys(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in rules.BUREAU_KEYS}


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
        attachment = attachment_store(
            actor=actor,
            upload=upload,
            owner_type=APPLICATION_OWNER,
            owner_id=application.pk,
            allowed=set(item.kinds),
        )
        row = ApplicationMaterial.objects.create(
            application=application, key=key, attachment=attachment
        )
        audit_record(
            actor=actor,
            action="application.material",
            obj=application,
            after={"key": key, "attachment": attachment.pk},
        )
    return row


# --- submission checks ------------------------------------------------------------------------


def application_owner_problem(*, application: Application, actor: User) -> str | None:
    if application.applicant_id == actor.pk:
        return None
    if actor.organization_id and application.organization_id == actor.organization_id:
        return None
    return _("只有申请人本人可以办理此申请。")


# The key of the materials checklist among the problems of a submission (no form field).
MATERIALS = "materials"


@dataclass(frozen=True)
class SubmitProblem:
    """One reason an application may not be submitted yet. ``field``: the field of the kind's
    form it concerns, ``MATERIALS`` for the checklist, ``""`` for the application as a whole;
    ``missing``: a required value not given yet (to add) rather than one to change."""

    field: str
    message: str
    missing: bool = False


def application_submit_problem(*, application: Application, actor: User) -> str | None:
    """Why the application may not be submitted yet: the form, the materials, the name check
    and the registration conditions, all explained (RG-1, RG-4, RG-5, RG-10, RG-15)."""
    if owner := application_owner_problem(application=application, actor=actor):
        return owner
    problems = submission_problems(application)
    labels = {
        name: str(field.label) for name, field in KIND_FORMS[application.kind].base_fields.items()
    }
    return (
        "；".join(
            f"{labels[p.field]}：{p.message}" if p.field in labels else p.message for p in problems
        )
        or None
    )


def submission_problems(application: Application) -> list[SubmitProblem]:
    """Every reason the application may not be submitted yet, each with the field it concerns:
    the content (missing and invalid values, RG-14's supervision), the materials, the name
    check and the registration conditions, all groups at once. The submit guard and each save
    of a draft ask this one function."""
    form = content_form(application)
    problems = [
        SubmitProblem(
            "" if field == NON_FIELD_ERRORS else field, message, missing=error.code == "required"
        )
        for field, errors in form.errors.as_data().items()
        for error in errors
        for message in error.messages
    ]
    problems += _missing(application)
    problems += _name_problems(application, form.cleaned_data)
    problems += condition_problems(application, form.cleaned_data)
    return problems


def content_form(application: Application) -> KindForm:
    """The application's proposed data, validated by its kind's form, with RG-14's supervision
    rule on an establishment (problems attached to the fields they concern)."""
    form = KIND_FORMS[application.kind](data=application.data)
    form.is_valid()
    if application.kind == K.ESTABLISHMENT:
        data = form.cleaned_data
        problems = rules.management_problems(
            direct_category=data.get("direct_category") or "",
            supervisory_unit=data.get("supervisory_unit") or "",
            industry_regulator=data.get("industry_regulator") or "",
        )
        for field, problem in problems.items():
            form.add_error(field, problem)
    return form


def _missing(app: Application) -> list[SubmitProblem]:
    missing = checklists.missing_materials(
        app.kind, app.org_type, selectors.uploaded_keys(app), dual_management=selectors.is_dual(app)
    )
    if not missing:
        return []
    message = _("缺少申请材料：%(m)s") % {"m": "、".join(str(m.label) for m in missing)}
    return [SubmitProblem(MATERIALS, message, missing=True)]


def _name_problems(app: Application, data: dict[str, Any]) -> list[SubmitProblem]:
    """RG-13, RG-15: the name check of every establishment, reservation and name change."""
    name = data.get("name")
    if not name or app.kind not in rules.NAME_CHECKED_KINDS:
        return []
    result = name_check(
        name=name,
        org_type=app.org_type,
        jurisdiction_code=app.jurisdiction.code,
        exclude_organization=app.organization_id,
    )
    hits = [_hit_text(h, app) for h in result.hits if not _own_reservation(h, app)]
    if result.verdict == Verdict.OK or not hits:
        return []
    message = _("名称“%(n)s”未通过名称查重：%(h)s") % {"n": name, "h": "；".join(hits)}
    return [SubmitProblem("name", message)]


def _own_reservation(hit: Any, app: Application) -> bool:
    """The application's own reserved name (a resubmission after 补正) does not block it."""
    if hit.uscc is not None:
        return False
    holders = selectors.pending_name_holders(hit.name)
    return bool(holders) and all(h.pk == app.pk for h in holders)


def _hit_text(hit: Any, app: Application) -> str:
    text = str(hit.reason)
    if hit.uscc is None:
        holders = [h for h in selectors.pending_name_holders(hit.name) if h.pk != app.pk]
        if holders:
            text += _("（预留该名称的申请：%(a)s）") % {
                "a": "、".join(f"#{h.pk}“{h.title}”" for h in holders)
            }
    return text


# --- reserved names (RG-15) -------------------------------------------------------------------


def _proposed_name(app: Application) -> str:
    name = app.data.get("name") if app.kind in rules.NAME_CHECKED_KINDS else ""
    return str(name or "")[:100]


def name_reserve(app: Application) -> None:
    """RG-15: a pending application's name blocks the same or a confusable name in other
    applications until it is decided or withdrawn (a ``RESERVED`` name key). The application
    remembers the name it holds (``reserved_name``): a name given up in a correction is
    released here, when the corrected application is submitted with its new name."""
    name = _proposed_name(app)
    if app.reserved_name and app.reserved_name != name:
        name_release(app)
    if not name:
        return
    authority = authority_for(app.jurisdiction.code)
    key = name_key(
        name=name, authority=authority.code, regions=authority.regions, kind=NameKeyKind.RESERVED
    )
    NameKey.objects.filter(
        kind=NameKeyKind.RESERVED, organization=None, authority_code=authority.code, name=key.name
    ).delete()
    key.save(force_insert=True)
    if app.reserved_name != name:
        app.reserved_name = name
        app.save(update_fields=["reserved_name"])


def name_release(app: Application) -> None:
    """Drop the name the application holds (``reserved_name``, whatever its proposed name is
    now) unless another pending application holds it too."""
    name = app.reserved_name
    if not name:
        return
    app.reserved_name = ""
    app.save(update_fields=["reserved_name"])
    if any(h.pk != app.pk for h in selectors.pending_name_holders(name)):
        return
    authority = authority_for(app.jurisdiction.code)
    NameKey.objects.filter(
        kind=NameKeyKind.RESERVED, organization=None, authority_code=authority.code, name=name
    ).delete()


# --- registration conditions ------------------------------------------------------------------


def condition_problems(app: Application, data: dict[str, Any]) -> list[SubmitProblem]:
    """Registration conditions with explanations (RG-1, RG-4, RG-5, RG-10), each on the field
    it concerns. ``data``: the cleaned content; a condition whose values are missing or invalid
    is not judged (the form's own problem names them)."""
    if app.kind == K.ESTABLISHMENT:
        return _establishment_conditions(app, data)
    if app.kind == K.BRANCH_ESTABLISHMENT and app.organization is not None:
        if not data.get("branch_kind") or not data.get("name"):
            return []
        problem = branch_problem(
            parent_type=app.organization.org_type,
            kind=data["branch_kind"],
            name=data["name"],
            parent_name=app.organization.name,
            regions=authority_for(app.jurisdiction.code).regions,
        )
        return [SubmitProblem("name", problem)] if problem else []
    if app.kind in (K.BRANCH_CHANGE, K.BRANCH_DEREGISTRATION):
        if own_branch(app, data):
            return []
        return [SubmitProblem("branch", _("未找到本组织的该分支（代表）机构。"))]
    if app.kind == K.CHANGE:
        return _change_conditions(app, data)
    if app.kind == K.DEREGISTRATION:
        return _deregistration_conditions(app, data)
    return []


def _change_conditions(app: Application, data: dict[str, Any]) -> list[SubmitProblem]:
    """RG-6 (within the days after the supervisory unit's consent) and, when the legal
    representative changes, RG-4, TT-4 (an approved vetting) and RG-8 (the departing
    representative's audit)."""
    today = timezone.localdate()
    problems: list[SubmitProblem] = []
    if problem := rules.change_deadline_problem(
        consent_on=data.get("supervisory_consent_on"),
        submitted_on=today,
        within_days=int(
            param("RG-6.change_registration_days", on=today, jurisdiction=app.jurisdiction)
        ),
        dual_management=selectors.is_dual(app),
    ):
        problems.append(SubmitProblem("supervisory_consent_on", problem))
    name, id_number = data.get("legal_representative"), data.get("legal_representative_id")
    if not name or not id_number or app.organization is None:
        return problems
    if app.org_type == OrgType.SOCIAL_GROUP and (
        problem := rules.legal_representative_problem(
            name=name, other_groups=_legal_representative_of(id_number, exclude=app.organization_id)
        )
    ):
        problems.append(SubmitProblem("legal_representative", problem))
    problems += [
        SubmitProblem("legal_representative", message)
        for message in rules.new_legal_representative_problems(
            name=name,
            id_number=id_number,
            vetted_id_numbers=principal_selectors.vetted_legal_representatives(app.organization),
            audit_report_uploaded=checklists.DEPARTING_AUDIT.key in selectors.uploaded_keys(app),
        )
    ]
    return problems


def _deregistration_conditions(app: Application, data: dict[str, Any]) -> list[SubmitProblem]:
    """RG-7: within the days after the liquidation ended."""
    if not data.get("liquidation_ended_on"):
        return []
    today = timezone.localdate()
    problem = rules.deregistration_deadline_problem(
        liquidation_ended_on=data["liquidation_ended_on"],
        submitted_on=today,
        within_days=int(param("RG-7.deregistration_days", on=today, jurisdiction=app.jurisdiction)),
    )
    return [SubmitProblem("liquidation_ended_on", problem)] if problem else []


def _legal_representative_of(id_number: str, *, exclude: int | None = None) -> list[str]:
    """RG-4: the registered social groups whose current legal representative the person is."""
    qs = Principal.objects.filter(
        person__id_number=id_number,
        is_legal_representative=True,
        ends_on__isnull=True,
        organization__org_type=OrgType.SOCIAL_GROUP,
        organization__status=OrgStatus.REGISTERED,
    )
    if exclude is not None:
        qs = qs.exclude(organization_id=exclude)
    return list(qs.values_list("organization__name", flat=True))


def _establishment_conditions(app: Application, data: dict[str, Any]) -> list[SubmitProblem]:
    funds = data.get("registered_funds")
    funds = None if funds is None else Decimal(funds)
    t = _thresholds(app.jurisdiction)
    found: dict[str, str] = {}
    if app.org_type == OrgType.SOCIAL_GROUP:
        found |= rules.social_group_problems(
            individual_members=data.get("individual_members") or 0,
            unit_members=data.get("unit_members") or 0,
            funds=funds,
            t=t,
        )
        if data.get("legal_representative") and data.get("legal_representative_id"):
            others = _legal_representative_of(data["legal_representative_id"])
            if problem := rules.legal_representative_problem(
                name=data["legal_representative"], other_groups=others
            ):
                found["legal_representative"] = problem
    if app.org_type == OrgType.FOUNDATION:
        found |= rules.foundation_problems(
            foundation_kind=data.get("foundation_kind") or "", funds=funds, t=t
        )
    problems = [SubmitProblem(field, message) for field, message in found.items()]
    problems += [
        SubmitProblem("direct_category", message)
        for message in rules.direct_registration_problems(
            direct_category=data.get("direct_category") or "",
            category=data.get("category") or "",
            authority_level=authority_for(app.jurisdiction.code).level,
            p=_direct_registration(app.jurisdiction),
            labels={c.value: str(c.label) for c in Category},
        )
    ]
    for field in ("supervisory_unit", "industry_regulator"):
        if data.get(field) and selectors.department_by_code(data[field]) is None:
            problems.append(SubmitProblem(field, _("未知的部门编码“%(c)s”。") % {"c": data[field]}))
    return problems


def _direct_registration(where: Jurisdiction) -> rules.DirectRegistration:
    fields = param("RG-14.direct_category_fields", jurisdiction=where)
    return rules.DirectRegistration(
        categories=tuple(param("RG-14.direct_registration_categories", jurisdiction=where)),
        category_fields={k: tuple(v) for k, v in fields.items()},
        county_only=tuple(param("RG-14.county_only_categories", jurisdiction=where)),
    )


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


def own_branch(app: Application, data: dict[str, Any]) -> Branch | None:
    return Branch.objects.filter(pk=data.get("branch") or 0, parent_id=app.organization_id).first()


def cleaned_content(app: Application) -> dict[str, Any]:
    """The application's validated data (at its decision)."""
    form = content_form(app)
    if form.errors:
        raise ValidationError(_("申请内容有误，请补正。"))
    return form.cleaned_data


# --- submission -------------------------------------------------------------------------------


def application_freeze(*, application: Application) -> None:
    """At submission: freeze the cleaned data and the departments it names (RG-14: direct
    registration or dual management), and reserve the name (RG-15)."""
    app = application
    app.data = {**content_form(app).json_data(), **_bureau_keys(app.data)}
    if app.kind == K.ESTABLISHMENT:
        direct = bool(app.data.get("direct_category"))
        app.management_mode = (
            ManagementMode.DIRECT_REGISTRATION if direct else ManagementMode.DUAL_MANAGEMENT
        )
        app.supervisory_unit = (
            None if direct else selectors.department_by_code(app.data.get("supervisory_unit", ""))
        )
        app.industry_regulator = selectors.department_by_code(
            app.data.get("industry_regulator", "")
        )
    app.title = _title(app)
    app.submitted_at = timezone.now()
    app.save(
        update_fields=[
            "data",
            "management_mode",
            "supervisory_unit",
            "industry_regulator",
            "title",
            "submitted_at",
            "updated_at",
        ]
    )
    name_reserve(app)
