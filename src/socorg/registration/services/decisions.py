"""Writes of the decision on an application: whether it may be approved, the decision itself,
and what approval changes in the registry, by kind (a new organization with its credit code and
certificate, a change, a deregistration, a branch, the principals filed). They run inside the
engine's transaction, as the process's effects."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.audit import audit_record
from socorg.core.models import Department, JurisdictionLevel, Role, User
from socorg.core.numbering import next_number
from socorg.registration.kinds import ChangeForm
from socorg.registration.models import Application, ApplicationKind, OpinionRole, OpinionState
from socorg.registration.rules import applications as rules
from socorg.registration.selectors import applications as selectors
from socorg.registration.services.applications import cleaned_content, name_release, own_branch
from socorg.registration.services.certificates import certificate_issue
from socorg.registration.services.opinions import opinions_close, review_plan
from socorg.registry import services as registry_services
from socorg.registry.models import Level, Organization, OrgStatus
from socorg.registry.rules.organizations import make_uscc

K = ApplicationKind


def application_approval_problem(*, application: Application) -> str | None:
    """The seed's rule: every opinion of the joint review planned from the current content in,
    each on the current facts (not on content a correction has since changed, RG-14), and
    every one consented; deregistration also needs the liquidation report (RG-7)."""
    if blocker := application_pre_review_problem(application=application):
        return blocker
    given = [
        o for o in selectors.application_opinions(application) if o.state != OpinionState.WITHDRAWN
    ]
    if selectors.is_dual(application) and not any(
        o.role == OpinionRole.SUPERVISORY_UNIT_CONSENT for o in given
    ):
        return _("业务主管单位尚未出具前置审查意见。")
    opinions = [(str(o.department), str(o.get_role_display()), o.state) for o in given]
    if blocker := rules.decision_blocker(opinions):
        return blocker
    if gaps := review_gaps(application=application):
        return _("以下部门尚未就当前申请内容出具意见：%(d)s。") % {"d": "、".join(gaps)}
    if application.kind == K.DEREGISTRATION and "liquidation_report" not in selectors.uploaded_keys(
        application
    ):
        return _("注销登记须提交清算报告。")
    return None


def application_pre_review_problem(*, application: Application) -> str | None:
    """No decision, approval or refusal, while a division's pre-review (前置审查) is pending."""
    pending = [
        (str(o.department), o.due_on.isoformat())
        for o in selectors.application_opinions(application)
        if o.role == OpinionRole.DIVISION_PRE_REVIEW and o.state == OpinionState.PENDING
    ]
    return rules.pre_review_blocker(pending)


def application_record_withdrawal(*, application: Application) -> None:
    name_release(application)


def application_record_refusal(*, application: Application, actor: User, comment: str) -> None:
    """不予受理 or 不予登记: the reasons are recorded, the name freed, the opinions no longer
    awaited."""
    _decided(application, actor, comment)
    name_release(application)
    opinions_close(application=application)


def _decided(app: Application, actor: User, comment: str) -> None:
    app.decided_at = timezone.now()
    app.decided_by = actor
    app.reasons = comment
    app.save(update_fields=["decided_at", "decided_by", "reasons", "updated_at"])


def application_record_approval(*, application: Application, actor: User, comment: str) -> None:
    """Approval's effect, by kind: the registry changes with its events in this transaction."""
    app = application
    _decided(app, actor, comment)
    name_release(app)
    data = cleaned_content(app)
    if app.kind == K.ESTABLISHMENT:
        org = _register(app, actor, data)
        app.organization = org
        app.save(update_fields=["organization"])
        founder_link(application=app, organization=org, actor=actor)
        certificate_issue(actor=actor, organization=org)
    elif app.kind == K.CHANGE and app.organization is not None:
        registry_services.organization_change_apply(
            actor=actor,
            organization=app.organization,
            changes=_changes(data),
            application_id=app.pk,
        )
    elif app.kind == K.DEREGISTRATION and app.organization is not None:
        registry_services.organization_deregister(
            actor=actor,
            organization=app.organization,
            application_id=app.pk,
            liquidation_ended_on=data["liquidation_ended_on"].isoformat(),
        )
    elif app.kind in rules.BRANCH_KINDS and app.organization is not None:
        _branch_outcome(app, actor, data)
    elif app.kind == K.PRINCIPAL_FILING and app.organization is not None:
        registry_services.principals_file(
            actor=actor,
            organization=app.organization,
            principals=data["principals"],
            application_id=app.pk,
        )


def founder_link(*, application: Application, organization: Organization, actor: User) -> bool:
    """The founders' account (an organization account without an organization) becomes the
    account of the organization it founded: it opens the organization's profile and its
    certificate from now on. An account that already belongs to an organization is left as it
    is (the new organization is then reached through an account of its own). Audited as
    ``application.founder_link``; returns whether the account was linked."""
    linked = User.objects.filter(
        pk=application.applicant_id, role=Role.ORGANIZATION, organization__isnull=True
    ).update(organization=organization)
    if linked:
        audit_record(
            actor=actor,
            action="application.founder_link",
            obj=application,
            after={"user": application.applicant_id, "organization": organization.pk},
        )
    return bool(linked)


def review_gaps(*, application: Application) -> list[str]:
    """The departments (and their part) whose opinion on the current content is missing."""
    app = application
    given = [
        rules.GivenOpinion(o.pk, o.role, o.department_id, o.state, o.basis)
        for o in selectors.application_opinions(app)
    ]
    plan = review_plan(app)
    gaps = rules.review_gaps(plan=plan, given=given, facts=rules.reviewed_facts(app.data))
    names = dict(
        Department.objects.filter(pk__in=[g.department_id for g in gaps]).values_list("pk", "name")
    )
    return [f"{names.get(g.department_id, '')}（{OpinionRole(g.role).label}）" for g in gaps]


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
    if app.kind == K.BRANCH_ESTABLISHMENT:
        values = {k: data[k] for k in ("name", "principal_name", "domicile", "business_scope")}
        registry_services.branch_register(
            actor=actor,
            organization=app.organization,
            values={**values, "kind": data["branch_kind"]},
        )
        return
    branch = own_branch(app, data)
    if branch is None:
        raise ValidationError(_("未找到本组织的该分支（代表）机构。"))
    if app.kind == K.BRANCH_CHANGE:
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
    level = Level.CITY if app.jurisdiction.level == JurisdictionLevel.CITY else Level.COUNTY
    values = {
        "uscc": uscc_assign(org_type=app.org_type, area_code=area),
        "name": data["name"],
        "org_type": app.org_type,
        "level": level,
        "jurisdiction": app.jurisdiction,
        "management_mode": app.management_mode,
        "supervisory_unit": app.supervisory_unit,
        "industry_regulator": app.industry_regulator,
        "category": data["category"],
        "purpose": data["purpose"],
        "business_scope": data["business_scope"],
        "domicile": data["domicile"],
        "legal_representative": data["legal_representative"],
        "registered_funds": data["registered_funds"],
        "established_on": timezone.localdate(),
        "contact_person": data.get("contact_person") or "",
        "contact_phone": data.get("contact_phone") or "",
    }
    return registry_services.organization_register(
        actor=actor,
        values=values,
        principals=data["principals"],
        legal_representative_id=data["legal_representative_id"],
        application_id=app.pk,
    )


def uscc_assign(*, org_type: str, area_code: str) -> str:
    """A new credit code (ID-1..ID-5): the next serial of the authority's area from its counter
    (``core.numbering``), so that concurrent approvals never share one; serials already taken in
    the registry (organizations entered before the counter existed) are skipped."""
    while True:
        serial = next_number(f"uscc:{area_code}", after=lambda: _highest_serial(area_code))
        if not Organization.objects.filter(uscc__regex=rf"^5.{area_code}MJ{serial:06d}").exists():
            return make_uscc(org_type=org_type, area_code=area_code, serial=f"MJ{serial:06d}")


def _highest_serial(area_code: str) -> int:
    codes = Organization.objects.filter(uscc__regex=rf"^5.{area_code}MJ[0-9]{{6}}").values_list(
        "uscc", flat=True
    )
    return max((int(c[10:16]) for c in codes if c), default=0)
