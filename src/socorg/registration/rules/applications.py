"""Pure rules of registration applications: conditions (RG-1, RG-4, RG-5, RG-10), direct
registration and its supervision (RG-14: the category, the authority's level, the declared
organization category, the supervisory unit) and which opinions a joint review needs.

Also the departments usually consulted per category for a direct registration (RG-14).

No ORM, no request: plain values in, Chinese explanations out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from socorg.core.models import JurisdictionLevel
from socorg.registration.models import ApplicationKind, OpinionRole, OpinionState

K = ApplicationKind
NAMING_KINDS = frozenset({K.ESTABLISHMENT, K.NAME_RESERVATION})
# Kinds whose name goes through the name check and is reserved while pending (RG-13, RG-15).
NAME_CHECKED_KINDS = NAMING_KINDS | {K.CHANGE}
ORGANIZATION_KINDS = frozenset(
    {
        K.CHANGE,
        K.DEREGISTRATION,
        K.BRANCH_ESTABLISHMENT,
        K.BRANCH_CHANGE,
        K.BRANCH_DEREGISTRATION,
        K.CHARTER_APPROVAL,
        K.PRINCIPAL_FILING,
    }
)
BRANCH_KINDS = frozenset({K.BRANCH_ESTABLISHMENT, K.BRANCH_CHANGE, K.BRANCH_DEREGISTRATION})
# RG-14: the categories that register directly, without a supervisory unit.
DIRECT_CATEGORIES = ("行业协会商会", "科技类", "公益慈善类", "城乡社区服务类")


@dataclass(frozen=True)
class Thresholds:
    """RG-1 and RG-10 numbers, read from the rule parameters by the caller."""

    min_individual_members: int
    min_unit_members: int
    min_mixed_members: int
    min_funds_local: Decimal
    min_original_funds: dict[str, Decimal]


def social_group_problems(
    *, individual_members: int, unit_members: int, funds: Decimal | None, t: Thresholds
) -> dict[str, str]:
    """RG-1: ≥ 50 individual or ≥ 30 unit members (mixed ≥ 50 in total); local funds ≥ 30,000.
    Problems by the field they concern; ``funds`` None (not given) is not judged."""
    problems = {}
    if individual_members and unit_members:
        if individual_members + unit_members < t.min_mixed_members:
            problems["individual_members"] = _(
                "个人会员与单位会员合计%(n)s个，混合组成的社会团体会员合计应不少于%(min)s个。"
            ) % {"n": individual_members + unit_members, "min": t.min_mixed_members}
    elif unit_members:
        if unit_members < t.min_unit_members:
            problems["unit_members"] = _("单位会员%(n)s个，应不少于%(min)s个。") % {
                "n": unit_members,
                "min": t.min_unit_members,
            }
    elif individual_members < t.min_individual_members:
        problems["individual_members"] = _("个人会员%(n)s个，应不少于%(min)s个。") % {
            "n": individual_members,
            "min": t.min_individual_members,
        }
    if funds is not None and funds < t.min_funds_local:
        problems["registered_funds"] = _(
            "活动资金%(funds)s元，地方性社会团体应不少于%(min)s元。"
        ) % {"funds": f"{funds:,.0f}", "min": f"{t.min_funds_local:,.0f}"}
    return problems


def foundation_problems(
    *, foundation_kind: str, funds: Decimal | None, t: Thresholds
) -> dict[str, str]:
    """RG-10: original funds by kind of foundation, paid in cash. Problems by the field they
    concern; ``funds`` None (not given) is not judged."""
    minimum = t.min_original_funds.get(foundation_kind)
    if minimum is None:
        return {"foundation_kind": _("请选择基金会类别（公募或非公募）。")}
    if funds is not None and funds < minimum:
        return {
            "registered_funds": _("原始基金%(funds)s元，该类基金会应不少于%(min)s元。")
            % {"funds": f"{funds:,.0f}", "min": f"{minimum:,.0f}"}
        }
    return {}


def legal_representative_problem(*, name: str, other_groups: list[str]) -> str | None:
    """RG-4: a legal representative may not be legal representative of another social group."""
    if not other_groups:
        return None
    return _(
        "拟任法定代表人%(name)s已担任%(groups)s的法定代表人，不得兼任其他社会团体的法定代表人。"
    ) % {"name": name, "groups": "、".join(other_groups)}


def change_deadline_problem(
    *, consent_on: date | None, submitted_on: date, within_days: int, dual_management: bool
) -> str | None:
    """RG-6: under dual management a change is registered within ``within_days`` days of the
    supervisory unit's consent (审查同意); the consent date is therefore required, may not lie in
    the future, and the submission may not come later than its last day."""
    if not dual_management:
        return None
    if consent_on is None:
        return _("双重管理的社会组织申请变更登记，须填写业务主管单位审查同意日期。")
    if consent_on > submitted_on:
        return _("业务主管单位审查同意日期%(d)s晚于今天，请核对。") % {
            "d": f"{consent_on:%Y-%m-%d}"
        }
    last = consent_on + timedelta(days=within_days)
    if submitted_on > last:
        return _(
            "变更登记应自业务主管单位审查同意之日（%(d)s）起%(n)s日内申请，最迟为%(last)s，"
            "已逾期。请重新取得业务主管单位审查同意后再申请。"
        ) % {"d": f"{consent_on:%Y-%m-%d}", "n": within_days, "last": f"{last:%Y-%m-%d}"}
    return None


def deregistration_deadline_problem(
    *, liquidation_ended_on: date, submitted_on: date, within_days: int
) -> str | None:
    """RG-7: deregistration is applied for within ``within_days`` days after liquidation ends;
    a liquidation cannot end in the future."""
    if liquidation_ended_on > submitted_on:
        return _("清算结束日期%(d)s晚于今天：清算结束后方可申请注销登记。") % {
            "d": f"{liquidation_ended_on:%Y-%m-%d}"
        }
    last = liquidation_ended_on + timedelta(days=within_days)
    if submitted_on > last:
        return _("注销登记应自清算结束之日（%(d)s）起%(n)s日内申请，最迟为%(last)s，已逾期。") % {
            "d": f"{liquidation_ended_on:%Y-%m-%d}",
            "n": within_days,
            "last": f"{last:%Y-%m-%d}",
        }
    return None


def new_legal_representative_problems(
    *, name: str, id_number: str, vetted_id_numbers: set[str], audit_report_uploaded: bool
) -> list[str]:
    """A change of legal representative (RG-8, TT-4): the new representative must have been
    vetted and approved as a principal candidate, and the departing representative's financial
    audit report is a material of the change. (RG-4, the other social groups, is checked with
    :func:`legal_representative_problem`.)"""
    problems = []
    if id_number not in vetted_id_numbers:
        problems.append(
            _("拟任法定代表人%(name)s未经负责人候选人审核同意，请先提交负责人候选人审核。")
            % {"name": name}
        )
    if not audit_report_uploaded:
        problems.append(_("变更法定代表人须提交原法定代表人离任财务审计报告。"))
    return problems


def management_problems(
    *, direct_category: str, supervisory_unit: str, industry_regulator: str
) -> dict[str, str]:
    """RG-14: outside the direct-registration categories an organization needs a supervisory
    unit (dual management); a direct registration names its industry regulator, whose opinion
    the joint review asks. Problems by the field they concern."""
    problems = {}
    if not direct_category and not supervisory_unit:
        problems["supervisory_unit"] = _("不属于直接登记类别的，须有业务主管单位（双重管理）。")
    if direct_category and not industry_regulator:
        problems["industry_regulator"] = _("直接登记的须填写行业管理部门，以便征求意见。")
    return problems


@dataclass(frozen=True)
class DirectRegistration:
    """RG-14 parameters, read by the caller: the direct-registration categories
    (RG-14.direct_registration_categories), the organization categories (registry
    ``Category`` values) each may declare (RG-14.direct_category_fields) and those registered
    only by a county-level authority (RG-14.county_only_categories)."""

    categories: tuple[str, ...]
    category_fields: Mapping[str, tuple[str, ...]]
    county_only: tuple[str, ...]


def direct_registration_problems(
    *,
    direct_category: str,
    category: str,
    authority_level: str,
    p: DirectRegistration,
    labels: Mapping[str, str],
) -> list[str]:
    """RG-14 for an establishment that declares ``direct_category`` ('' under dual management):
    it must be one of the parameter's categories; 城乡社区服务类 is registered only by a
    county-level authority (``authority_level`` "county"); the declared organization
    ``category`` must agree with it (科技类 ↔ 科技与研究 …). ``labels``: category → label."""
    if not direct_category:
        return []
    if direct_category not in p.categories:
        return [
            _("“%(c)s”不是直接登记类别，直接登记类别为：%(all)s。")
            % {"c": direct_category, "all": "、".join(p.categories)}
        ]
    problems = []
    if direct_category in p.county_only and authority_level != JurisdictionLevel.COUNTY:
        problems.append(
            _("%(c)s社会组织由县级登记管理机关直接登记，本登记管理机关不予直接登记。")
            % {"c": direct_category}
        )
    fields = p.category_fields.get(direct_category)
    if fields and category and category not in fields:
        allowed = "、".join(labels.get(f, f) for f in fields)
        problems.append(
            _("行业分类“%(cat)s”与直接登记类别“%(c)s”不符，应为：%(allowed)s。")
            % {"cat": labels.get(category, category), "c": direct_category, "allowed": allowed}
        )
    return problems


# RG-14: for a direct registration every consulted department must consent. The departments
# usually consulted, by organization category (registry ``Category`` values), as department
# codes; codes a jurisdiction does not have are ignored at runtime.
CONSULTED_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "education": ("EDU", "RSJ"),
    "health": ("WJW", "YBJ"),
    "social_services": ("MZJ",),
    "culture": ("WLJ", "XCB"),
    "sports": ("TIY",),
    "science": ("KJJ", "KXH"),
    "ecology": ("SHJ", "ZRJ"),
    "law": ("SFJ",),
    "business_services": ("SWJ", "GXJ", "SCJ", "GSL"),
    "agriculture": ("NYJ", "GXS"),
    "professional": ("RSJ",),
    "other": (),
}


def usual_consulted_codes(category: str) -> tuple[str, ...]:
    """RG-14: the departments usually consulted for a direct registration of ``category``."""
    return CONSULTED_BY_CATEGORY.get(category, ())


def unknown_consulted_codes(chosen: list[str], known: set[str]) -> list[str]:
    """RG-14: the chosen department codes that are not consultable departments (in order)."""
    return [code for code in dict.fromkeys(chosen) if code not in known]


@dataclass(frozen=True)
class OpinionPlan:
    """Which departments give which opinion, in which phase (前置 first for dual management)."""

    role: str
    department_id: int
    phase: int


def opinion_plan(
    *,
    dual_management: bool,
    supervisory_unit_id: int | None,
    industry_regulator_id: int | None,
    party_body_id: int | None,
    division_id: int,
    consulted_ids: list[int],
    pre_review_division_id: int | None = None,
) -> list[OpinionPlan]:
    """The joint review of one application. Dual management: the supervisory unit consents
    first (phase 1), the others follow (phase 2). Direct registration (RG-14): every consulted
    department's consent is requested at once, with the party body and the division. A division
    holding the organization's pre-review duty (前置审查) is asked from the start (phase 1); the
    decision waits for it (``decision_pre_review_blocker``)."""
    plan: list[OpinionPlan] = []
    if pre_review_division_id:
        plan.append(OpinionPlan(OpinionRole.DIVISION_PRE_REVIEW, pre_review_division_id, 1))
    later = 1
    if dual_management and supervisory_unit_id:
        plan.append(OpinionPlan(OpinionRole.SUPERVISORY_UNIT_CONSENT, supervisory_unit_id, 1))
        later = 2
    seen = {p.department_id for p in plan if p.role != OpinionRole.DIVISION_PRE_REVIEW}
    if not dual_management:
        for dept in [industry_regulator_id, *consulted_ids]:
            if dept and dept not in seen:
                plan.append(OpinionPlan(OpinionRole.OPINION_REQUEST, dept, later))
                seen.add(dept)
    elif industry_regulator_id and industry_regulator_id not in seen:
        plan.append(OpinionPlan(OpinionRole.INDUSTRY_REGULATOR, industry_regulator_id, later))
    if party_body_id:
        plan.append(OpinionPlan(OpinionRole.PARTY_BUILDING, party_body_id, later))
    plan.append(OpinionPlan(OpinionRole.REGISTRATION_DIVISION, division_id, later))
    return plan


# --- a corrected application's joint review (RG-14) --------------------------------------------

# Keys of an application's data that the bureau sets, never the applicant: the departments a
# direct registration consults, chosen at acceptance (RG-14).
BUREAU_KEYS = ("consulted_departments",)
# What the departments do not review: how to reach the applicant. Every other item of the
# proposed content (name, purpose, scope, supervisory unit, regulator, people, funds …) is a
# reviewed fact, so that a new item of a form is reviewed unless it is listed here.
UNREVIEWED_KEYS = frozenset({"contact_person", "contact_phone", *BUREAU_KEYS})


def reviewed_facts(data: Mapping[str, object]) -> dict[str, object]:
    """The part of an application's content an opinion is given on (its ``basis``)."""
    return {k: data[k] for k in sorted(data) if k not in UNREVIEWED_KEYS}


def changed_facts(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """The reviewed items that differ between two contents, in order."""
    keys = sorted(set(before) | set(after))
    return [k for k in keys if before.get(k) != after.get(k)]


@dataclass(frozen=True)
class GivenOpinion:
    """An opinion of a joint review as the re-planning sees it."""

    key: int
    role: str
    department_id: int
    state: str
    basis: Mapping[str, object]


@dataclass(frozen=True)
class Replan:
    """What a correction does to the joint review: opinions to withdraw (the department is no
    longer asked, or waits for the supervisory unit's new consent), opinions to reopen (their
    facts changed, or the department is asked again) and opinions to open anew."""

    withdraw: tuple[int, ...]
    reopen: tuple[int, ...]
    open: tuple[OpinionPlan, ...]


def review_replan(
    *, plan: list[OpinionPlan], given: list[GivenOpinion], facts: Mapping[str, object]
) -> Replan:
    """RG-14 after 补正: re-plan the joint review from the corrected content. A consent or a
    refusal stands only if it was given on the same reviewed facts; a department no longer in
    the plan is withdrawn; a new department is asked. While the supervisory unit has not
    consented (again) to the current facts, the later phase waits: its pending or outdated
    opinions are withdrawn and reopened when the consent comes."""
    planned = {(p.role, p.department_id): p for p in plan}
    by_key = {(g.role, g.department_id): g for g in given}

    def current(g: GivenOpinion | None) -> bool:
        return g is not None and g.state in DECIDED and dict(g.basis) == dict(facts)

    def consented(p: OpinionPlan) -> bool:
        g = by_key.get((p.role, p.department_id))
        return g is not None and current(g) and g.state == OpinionState.CONSENTED

    # The later phase waits for the supervisory unit only; a division's pre-review runs beside it.
    first_done = all(
        consented(p)
        for p in plan
        if p.phase == 1 and p.role == OpinionRole.SUPERVISORY_UNIT_CONSENT
    )
    withdraw: list[int] = []
    reopen: list[int] = []
    opened: list[OpinionPlan] = []
    for g in given:
        item = planned.get((g.role, g.department_id))
        live = item is not None and (item.phase == 1 or first_done)
        if not live:
            if g.state != OpinionState.WITHDRAWN and not (item is not None and current(g)):
                withdraw.append(g.key)
        elif g.state == OpinionState.WITHDRAWN or (g.state in DECIDED and not current(g)):
            reopen.append(g.key)
    for key, item in planned.items():
        if key not in by_key and (item.phase == 1 or first_done):
            opened.append(item)
    return Replan(tuple(withdraw), tuple(reopen), tuple(opened))


def review_gaps(
    *, plan: list[OpinionPlan], given: list[GivenOpinion], facts: Mapping[str, object]
) -> list[OpinionPlan]:
    """The planned opinions that are not in on the current facts: missing, withdrawn, or given
    on facts a correction has since changed. Approval needs none (the seed's rule)."""
    by_key = {(g.role, g.department_id): g for g in given}
    gaps = []
    for p in plan:
        g = by_key.get((p.role, p.department_id))
        if g is None or g.state not in DECIDED or dict(g.basis) != dict(facts):
            gaps.append(p)
    return gaps


DECIDED = frozenset({OpinionState.CONSENTED, OpinionState.REFUSED})


def pre_review_blocker(pending: list[tuple[str, str]]) -> str | None:
    """Why the division may not decide yet, whichever way: ``pending`` are (division name,
    due date) of the division pre-reviews (前置审查) still outstanding. A pre-review goes
    before the registration division's decision, approval or refusal."""
    if not pending:
        return None
    items = "、".join(_("%(d)s（期限 %(due)s）") % {"d": d, "due": due} for d, due in pending)
    return _("业务科室前置审查尚未完成：%(items)s。前置审查意见出具前，不能作出登记决定。") % {
        "items": items
    }


def decision_blocker(opinions: list[tuple[str, str, str]]) -> str | None:
    """Why the review may not end in approval yet: ``opinions`` are (department name, role
    label, state). Every opinion must be in and every one consented (the seed's rule)."""
    pending = [f"{d}（{r}）" for d, r, s in opinions if s == OpinionState.PENDING]
    if pending:
        return _("尚有部门未出具意见：%(d)s。") % {"d": "、".join(pending)}
    refused = [f"{d}（{r}）" for d, r, s in opinions if s == OpinionState.REFUSED]
    if refused:
        return _("%(d)s不同意，不能准予登记。") % {"d": "、".join(refused)}
    if not opinions:
        return _("联合审核尚未开始。")
    return None
