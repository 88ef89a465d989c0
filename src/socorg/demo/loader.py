"""``socorg demo load``: writes the seed city into the database, once.

One transaction. The 2022 joint document is the marker: when it exists the scenario is loaded
and the command only refreshes the rule parameters (idempotent) and reports."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model

from socorg.core.audit import audit_record
from socorg.core.models import Department, DepartmentKind, Jurisdiction, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.demo import catalogue as cat
from socorg.demo import people
from socorg.demo.annual_reports import build_reports, insert_reports
from socorg.demo.applications import ensure_demo_applications
from socorg.demo.campaigns import ensure_demo_campaign
from socorg.demo.cases import ensure_demo_cases
from socorg.demo.complaints import ensure_demo_complaints
from socorg.demo.credit import ensure_demo_listings
from socorg.demo.inspections import ensure_demo_inspections
from socorg.demo.party_bodies import ensure_demo_party_bodies
from socorg.demo.party_instructors import ensure_demo_instructors
from socorg.demo.party_liaisons import ensure_demo_liaisons
from socorg.demo.reference import (
    CITY_CODE,
    INDUSTRY_PARTY_COMMITTEE_CODES,
    RESPONSIBILITY_DOCUMENT_ISSUERS,
    RESPONSIBILITY_DOCUMENT_NUMBER,
    RESPONSIBILITY_DOCUMENT_TITLE,
)
from socorg.demo.scenario import (
    AS_OF,
    DEMO_ORGANIZATION,
    DOCUMENT_ISSUED,
    PRE_REVIEWED_CIVIL,
    REFORM_DAY,
    REMOVALS_FROM,
    SEED,
    CommunitySlot,
    Slot,
    add_years,
    plan_community,
    plan_slots,
    random_day,
)
from socorg.demo.setup import ensure_departments, ensure_jurisdictions
from socorg.party.models import InstructorAssignment
from socorg.registry.models import (
    Branch,
    Category,
    EventKind,
    EventReason,
    FormerName,
    Level,
    ManagementMode,
    NameKey,
    Organization,
    OrganizationEvent,
    OrgStatus,
    OrgType,
    Person,
    Post,
    Principal,
    Responsibility,
    ResponsibilityKind,
    SourceDocument,
    Term,
)
from socorg.registry.rules.organizations import USCC_ALPHABET, make_uscc
from socorg.registry.selectors import OrganizationFilters, organization_list_page
from socorg.registry.services.names import name_keys_rebuild
from socorg.supervision.models import ContactAttempt, CreditListing, InspectionPlan

DEMO_PASSWORD = "socorg-demo"
BATCH = 500

# The figures are those the organization list shows this member of the cast (the whole city).
FIGURES_VIEWER = "city_registrar"

# The demo cast: username, role, full name, jurisdiction code, department code, extra flags.
CAST: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("city_registrar", "registrar", "李晓燕", "371100", "MZJ-DJ"),
    ("donggang_registrar", "registrar", "王建国", "371102", "RA-371102"),
    ("division_head", "division_head", "张明华", "371100", "MZJ-DJ"),
    ("director", "director", "刘志强", "371100", "RA-371100"),
    ("approval_clerk", "approval_clerk", "陈静", "371100", "SPJ"),
    ("edu_liaison", "department_liaison", "赵磊", None, "EDU"),
    ("party_reviewer", "party_building_reviewer", "孙丽娟", None, "LXGW"),
    ("inspector1", "inspector", "周海涛", "371100", "MZJ-ZF"),
    ("inspector2", "inspector", "吴雪梅", "371100", "MZJ-ZF"),
    ("enforcement_officer", "enforcement_officer", "孙志强", "371100", "MZJ-ZF"),
    ("auditor", "auditor", "郑伟", "371100", None),
    ("org_demo", "organization", "徐文静", None, None),
    ("founder_demo", "organization", "林海燕", None, None),
    # The three administrators (三员分立): accounts, security, audit.
    ("admin", "administrator", "韩志刚", "371100", None),
    ("security_admin", "security_administrator", "高玉兰", None, None),
    ("audit_admin", "audit_administrator", "冯振东", None, None),
)
ADMINISTRATORS = frozenset({"administrator", "security_administrator", "audit_administrator"})

# Organization accounts without an organization yet: founders applying for establishment.
FOUNDERS = frozenset({"founder_demo"})

DEREGISTRATION_REASONS = (
    (EventReason.LIQUIDATION_COMPLETED, 55),
    (EventReason.GUIDED_DEREGISTRATION, 40),
    (EventReason.MERGER, 5),
)
REVOCATION_REASONS = (
    (EventReason.DORMANT_NO_ACTIVITY, 45),
    (EventReason.ANNUAL_INSPECTION_MISSED, 40),
    (EventReason.UNREACHABLE, 12),
    (EventReason.FRAUDULENT_REGISTRATION, 3),
)
MISSIONS = {
    "education": "促进教育事业发展", "health": "促进卫生健康事业发展", "social_services": "服务困难群体，促进社会和谐",
    "culture": "繁荣文化事业", "sports": "推动全民健身和体育事业发展", "science": "促进科学技术进步",
    "ecology": "促进生态文明建设", "law": "服务法治建设", "business_services": "服务会员，促进行业健康发展",
    "agriculture": "服务乡村振兴和农业农村发展", "professional": "加强行业自律，提高从业人员素质", "other": "服务经济社会发展",
}  # fmt: skip


def demo_serial(index: int) -> str:
    """First eight characters of a demo organization code: 'MJD' + five base-31 characters,
    scrambled so neighbours do not look sequential."""
    n = (index * 9973 + 104729) % 31**5
    digits = []
    for _ in range(5):
        n, r = divmod(n, 31)
        digits.append(USCC_ALPHABET[r])
    return "MJD" + "".join(reversed(digits))


@dataclass
class Rows:
    """Unsaved rows, in the order they are inserted."""

    organizations: list[Organization] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    principals: list[Principal] = field(default_factory=list)
    events: list[OrganizationEvent] = field(default_factory=list)
    former_names: list[FormerName] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)


class Builder:
    """Turns the plan into unsaved model instances (children point at their unsaved parents;
    ``bulk_create`` fills in the keys in insertion order)."""

    def __init__(self, rng: Random, areas: dict[str, Jurisdiction], depts: dict[str, Department]):
        self.rng = rng
        self.areas = areas
        self.depts = depts
        self.rows = Rows()
        self.person_index = 0
        self.slot_of: dict[int, Slot] = {}

    def organization(self, slot: Slot) -> Organization:
        i = len(self.rows.organizations)
        kind = slot.kind
        org = Organization(
            uscc=make_uscc(org_type=kind.org_type, area_code=slot.authority, serial=demo_serial(i)),
            name=slot.name,
            region_name=slot.region,
            core_name=slot.core,
            org_form=slot.form,
            org_type=kind.org_type,
            level=slot.level,
            jurisdiction=self.areas[slot.jurisdiction],
            management_mode=kind.mode,
            category=slot.category,
            supervisory_unit=self.depts.get(slot.supervisor or ""),
            industry_regulator=self.depts.get(slot.regulator or ""),
            purpose=f"遵守宪法、法律、法规和国家政策，践行社会主义核心价值观，{MISSIONS[slot.category]}。",
            business_scope=business_scope(slot),
            domicile=self.domicile(slot),
            contact_phone=f"0633-{self.rng.randint(2000000, 8999999)}",
            registered_funds=Decimal(self.rng.choice(kind.funds)),
            established_on=slot.established,
            status=slot.status,
            removed_on=slot.removed_on,
        )
        self.rows.organizations.append(org)
        self.slot_of[id(org)] = slot
        self.term_and_principals(org, slot)
        self.lifecycle_events(org, slot)
        return org

    def demo_organization(self) -> Organization:
        """日照市物流协会: the organization behind the ``org_demo`` account."""
        kind, core, form = DEMO_ORGANIZATION
        return next(
            org
            for org in self.rows.organizations
            if (slot := self.slot_of.get(id(org)))
            and (slot.kind.key, slot.core, slot.form, slot.level) == (kind, core, form, "city")
        )

    def domicile(self, slot: Slot) -> str:
        if slot.level == "county":
            area, place = slot.authority, f"日照市{slot.region}"
        elif slot.jurisdiction != CITY_CODE:
            area, place = slot.jurisdiction, slot.region  # a functional zone
        else:
            area, place = CITY_CODE, "日照市东港区"
        tail = f"{self.rng.randint(1, 399)}号"
        if self.rng.random() < 0.4:
            tail += f"{self.rng.choice(cat.BUILDINGS)}{self.rng.randint(1, 12)}{self.rng.randint(1, 20):02d}室"
        return f"{place}{self.rng.choice(cat.ROADS[area])}{tail}"

    def person(self, *, retired: bool = False, functionary: bool = False) -> Person:
        index = self.person_index
        self.person_index += 1
        number, born, sex = people.identity(index)
        person = Person(
            name=people.person_name(self.rng, sex),
            id_number=number,
            birth_date=born,
            sex=sex,
            is_retired_cadre=retired,
            is_state_functionary=functionary,
        )
        self.rows.persons.append(person)
        return person

    def term_and_principals(self, org: Organization, slot: Slot) -> None:
        """The current (or, for removed organizations, last) term (TT-1) and its principals."""
        until = slot.removed_on or AS_OF
        number = max(1, (until - slot.established).days // 1826 + 1)
        if slot.removed_on is None and number > 1 and self.rng.random() < 0.05:
            number -= 1  # transition overdue (TT-1)
        starts = add_years(slot.established, 5 * (number - 1))
        term = Term(
            organization=org,
            number=number,
            starts_on=starts,
            ends_on=add_years(starts, 5) - timedelta(days=1),
        )
        self.rows.terms.append(term)
        org.certificate_valid_until = term.ends_on
        board = slot.kind.org_type != cat.SSA  # social groups and foundations
        chair = self.person(retired=board and self.rng.random() < 0.03)
        secretary = self.person(
            functionary=slot.kind.org_type == cat.FDN and self.rng.random() < 0.05
        )
        third = self.person()
        org.legal_representative, org.contact_person = chair.name, secretary.name
        posts = [
            (chair, Post.CHAIR, True),
            (secretary, Post.SECRETARY_GENERAL, False),
            (third, Post.VICE_CHAIR if board else Post.PRINCIPAL, False),
        ]
        for person, post, legal in posts:
            self.rows.principals.append(
                Principal(
                    organization=org,
                    term=term,
                    person=person,
                    post=post,
                    is_legal_representative=legal,
                    starts_on=starts,
                    ends_on=slot.removed_on,
                    is_paid=post == Post.PRINCIPAL
                    or (post == Post.SECRETARY_GENERAL and not board),
                )
            )

    def lifecycle_events(self, org: Organization, slot: Slot) -> None:
        self.event(
            org,
            EventKind.REGISTERED,
            EventReason.APPLICATION,
            slot.established,
            {"level": slot.level, "authority": slot.authority},
        )
        if slot.removed_on is None:
            return
        revoked = slot.status == "revoked"
        reasons = REVOCATION_REASONS if revoked else DEREGISTRATION_REASONS
        reason = self.rng.choices([r for r, _ in reasons], weights=[w for _, w in reasons])[0]
        prefix = "日民撤字" if revoked else "日民注字"
        if slot.level == "county":
            prefix = slot.region[:1] + prefix[1:]
        number = f"{prefix}〔{slot.removed_on.year}〕{self.rng.randint(1, 60)}号"
        kind = EventKind.REVOKED if revoked else EventKind.DEREGISTERED
        self.event(org, kind, reason, slot.removed_on, {"decision_number": number})

    def event(
        self, org: Organization, kind: str, reason: str, on: date, details: dict[str, Any]
    ) -> None:
        self.rows.events.append(
            OrganizationEvent(
                organization=org, kind=kind, reason=reason, occurred_on=on, details=details
            )
        )

    def community(self, slot: CommunitySlot) -> Organization:
        contact = people.person_name(self.rng, self.rng.choice("MF"))
        org = Organization(
            uscc=None,
            name=slot.name,
            region_name=slot.street_name,
            core_name=slot.community,
            org_form=slot.activity,
            org_type="community_organization",
            level="county",
            jurisdiction=self.areas[slot.street],
            management_mode="",
            category=slot.category,
            purpose="立足社区，服务居民，开展公益互助和文体活动。",
            business_scope=f"在{slot.community}范围内开展{slot.activity.rstrip('队团社会')}相关活动",
            domicile=f"日照市{slot.county_name}{slot.street_name}{slot.community}"
            + ("居民委员会" if slot.community.endswith("社区") else "村民委员会"),
            contact_person=contact,
            contact_phone=f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}",
            established_on=slot.established,
            status="filed",
        )
        self.rows.organizations.append(org)
        self.event(
            org, EventKind.FILED, EventReason.APPLICATION, slot.established, {"street": slot.street}
        )
        return org


_ELDERLY = "为老年人提供生活照料、康复护理、精神慰藉、文化娱乐等服务"
_AGENCY_SCOPES = {
    "幼儿园": "学前教育（三至六周岁幼儿保育和教育）",
    "养老院": _ELDERLY, "老年公寓": _ELDERLY, "颐养院": _ELDERLY,
    "医院": "预防保健、医疗、康复服务", "门诊部": "门诊医疗服务", "护理院": "护理、康复服务",
    "俱乐部": "体育健身、运动训练、赛事活动组织",
    "研究院": "技术研究、技术开发、成果转化、技术咨询", "研究所": "技术研究、技术开发、技术咨询",
}  # fmt: skip


def business_scope(slot: Slot) -> str:
    if slot.kind.org_type == cat.SG:
        return (
            f"{slot.core}领域调查研究、业务培训、交流合作、咨询服务、编印内部资料、承接政府委托事项"
        )
    if slot.kind.org_type == cat.FDN:
        return f"接受社会捐赠，资助{slot.core}相关公益项目，开展公益宣传和交流活动"
    if slot.form == "学校":
        return f"{slot.core[-4:]}（非学历）"
    return _AGENCY_SCOPES.get(slot.form, f"{slot.core[-4:]}服务，业务培训，咨询交流")


def build(
    rng: Random, areas: dict[str, Jurisdiction], depts: dict[str, Department]
) -> tuple[Builder, list[Slot]]:
    builder = Builder(rng, areas, depts)
    slots = plan_slots(rng)
    orgs = [builder.organization(s) for s in slots]
    for slot in plan_community(rng):
        builder.community(slot)
    add_former_names(builder, orgs, slots)
    add_branches(builder, orgs, slots)
    return builder, slots


def add_former_names(builder: Builder, orgs: list[Organization], slots: list[Slot]) -> None:
    """A few organizations were renamed: the former name and a renamed event (RG-13, RG-15)."""
    taken = {(s.authority, s.name) for s in slots}
    rng = builder.rng
    candidates = [
        (o, s)
        for o, s in zip(orgs, slots, strict=True)
        if s.status == "registered"
        and s.form in cat.FORMER_FORMS
        and (AS_OF - s.established).days > 800
    ]
    for org, slot in rng.sample(candidates, 40):
        former = f"{slot.region}{slot.core}{cat.FORMER_FORMS[slot.form]}"
        if (slot.authority, former) in taken:
            continue
        taken.add((slot.authority, former))
        on = random_day(rng, slot.established + timedelta(days=365), AS_OF - timedelta(days=60))
        builder.rows.former_names.append(FormerName(organization=org, name=former, used_until=on))
        builder.event(
            org, EventKind.RENAMED, EventReason.APPLICATION, on, {"from": former, "to": org.name}
        )


def add_branches(builder: Builder, orgs: list[Organization], slots: list[Slot]) -> None:
    """Committees of some social groups and representative offices of some foundations; none
    for social service agencies (RG-5)."""
    rng = builder.rng
    pairs = [
        (o, s)
        for o, s in zip(orgs, slots, strict=True)
        if s.status == "registered" and (AS_OF - s.established).days > 400
    ]
    groups = [(o, s) for o, s in pairs if s.kind.key in {"sg_dual", "sg_business", "sg_tech"}]
    foundations = [(o, s) for o, s in pairs if s.kind.org_type == cat.FDN and s.level == "city"]
    for org, slot in rng.sample(groups, 55):
        for committee in rng.sample(cat.BRANCH_COMMITTEES, rng.randint(1, 3)):
            builder.rows.branches.append(
                _branch(rng, org, slot, "branch", f"{org.name}{committee}")
            )
    for org, slot in rng.sample(foundations, 6):
        county = rng.choice(("东港区", "岚山区", "五莲县", "莒县"))
        builder.rows.branches.append(
            _branch(rng, org, slot, "representative_office", f"{org.name}{county}代表处")
        )


def _branch(rng: Random, org: Organization, slot: Slot, kind: str, name: str) -> Branch:
    return Branch(
        parent=org,
        kind=kind,
        name=name,
        principal_name=people.person_name(rng, rng.choice("MF")),
        domicile=org.domicile,
        business_scope=f"在{org.name}授权范围内开展{slot.core}相关活动",
        established_on=random_day(
            rng, slot.established + timedelta(days=180), AS_OF - timedelta(days=30)
        ),
    )


def add_responsibilities(builder: Builder, doc: SourceDocument) -> None:
    """The 2022 responsibility map: party-building management of every mapped city organization
    by its supervisory unit (or, when directly registered, its industry regulator); comprehensive
    supervision of the directly registered ones by their regulator; pre-review by the bureau's
    divisions (69) and by 两新工委 for organizations registered since (joint review)."""
    rng = builder.rng
    rows = builder.rows.responsibilities
    civil: list[tuple[Organization, Slot]] = []
    for org in builder.rows.organizations:
        slot = builder.slot_of.get(id(org))
        if slot is None:
            continue
        dept = org.supervisory_unit or org.industry_regulator
        if slot.mapped and dept is not None:
            rows.append(
                _responsibility(org, dept, ResponsibilityKind.PARTY_BUILDING_MANAGEMENT, doc, slot)
            )
            if org.management_mode == "direct_registration":
                rows.append(
                    _responsibility(
                        org, dept, ResponsibilityKind.COMPREHENSIVE_SUPERVISION, doc, slot
                    )
                )
            if slot.kind.civil_affairs and slot.removed_on is None:
                civil.append((org, slot))
        elif slot.level == "city" and slot.established >= REFORM_DAY:
            rows.append(
                Responsibility(
                    organization=org,
                    department=builder.depts["LXGW"],
                    kind=ResponsibilityKind.PRE_REVIEW,
                    effective_from=slot.established,
                )
            )
    for org, slot in rng.sample(civil, PRE_REVIEWED_CIVIL):
        division = builder.depts[_division_for(slot.core)]
        rows.append(
            Responsibility(
                organization=org,
                department=division,
                kind=ResponsibilityKind.PRE_REVIEW,
                effective_from=REFORM_DAY,
            )
        )


def _responsibility(
    org: Organization, dept: Department, kind: str, doc: SourceDocument, slot: Slot
) -> Responsibility:
    return Responsibility(
        organization=org,
        department=dept,
        kind=kind,
        effective_from=REFORM_DAY,
        effective_to=slot.removed_on,
        source_document=doc,
    )


def _division_for(core: str) -> str:
    """Which of the bureau's divisions pre-reviews an organization in the civil-affairs field."""
    for words, division in (
        ("养老 老年 老龄 颐养 康养", "MZJ-YL"),
        ("儿童", "MZJ-ET"),
        ("救助", "MZJ-JZ"),
        ("慈善 社会工作 志愿 心理", "MZJ-CS"),
        ("社区 社会组织", "MZJ-JC"),
    ):
        if any(w in core for w in words.split()):
            return division
    return "MZJ-SW"


def create_document(depts: dict[str, Department]) -> SourceDocument:
    doc = SourceDocument.objects.create(
        title=RESPONSIBILITY_DOCUMENT_TITLE,
        number=RESPONSIBILITY_DOCUMENT_NUMBER,
        issued_on=DOCUMENT_ISSUED,
    )
    doc.issuers.set([depts[code] for code in RESPONSIBILITY_DOCUMENT_ISSUERS])
    return doc


def create_cast(
    areas: dict[str, Jurisdiction], depts: dict[str, Department], demo_org: Organization | None
) -> list[User]:
    """The demo accounts (``is_demo``; refused in production). One password for all."""
    existing = set(
        User.objects.filter(username__in=[c[0] for c in CAST]).values_list("username", flat=True)
    )
    password = make_password(DEMO_PASSWORD)  # one published password: one hash is enough
    users = []
    for username, role, full_name, area, dept in CAST:
        if username in existing:
            continue
        users.append(
            User(
                username=username,
                role=role,
                full_name=full_name,
                password=password,
                is_demo=True,
                jurisdiction=areas.get(area or ""),
                department=depts.get(dept or ""),
                organization=demo_org
                if role == "organization" and username not in FOUNDERS
                else None,
                # The admin site is theirs; none of them is the break-glass superuser.
                is_staff=role in ADMINISTRATORS,
            )
        )
    return User.objects.bulk_create(users)


def _insert(model: type[Model], objs: list[Any]) -> None:
    for start in range(0, len(objs), BATCH):
        model.objects.bulk_create(objs[start : start + BATCH])  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LoadResult:
    loaded: bool
    seconds: float
    rule_parameters_created: int
    rows: dict[str, int]


def is_loaded() -> bool:
    return SourceDocument.objects.filter(number=RESPONSIBILITY_DOCUMENT_NUMBER).exists()


def load_demo() -> LoadResult:
    """Load the seed city unless it is already there."""
    started = time.perf_counter()
    with transaction.atomic():
        params = load_rule_defaults()
        if is_loaded():
            added = _complete_loaded()
            return LoadResult(False, time.perf_counter() - started, params.created, added)
        rows = _load()
        rows["name_keys"] = name_keys_rebuild()
        rows["applications"] = ensure_demo_applications()
        rows["dormant_candidates"] = ensure_demo_campaign()
        rows["credit_listings"] = ensure_demo_listings()
        rows["complaints"] = ensure_demo_complaints()
        rows["inspection_plans"] = ensure_demo_inspections()
        rows["cases"] = ensure_demo_cases()
        rows["liaisons_and_brand"] = ensure_demo_liaisons()
        rows["instructor_assignments"] = ensure_demo_instructors(DEMO_PASSWORD)
        rows["party_bodies"] = ensure_demo_party_bodies()
        audit_record(
            actor=None, action="demo.load", object_type="demo", object_id="371100", after=rows
        )
    return LoadResult(True, time.perf_counter() - started, params.created, rows)


def _complete_loaded() -> dict[str, int]:
    """A database loaded by an earlier release: add the cast members and demo applications
    it lacks (nothing when it is complete)."""
    areas = {j.code: j for j in Jurisdiction.objects.all()}
    depts = {d.code: d for d in Department.objects.all()}
    org_demo = User.objects.filter(username="org_demo").select_related("organization").first()
    users = create_cast(areas, depts, org_demo.organization if org_demo else None)
    keys = 0 if NameKey.objects.exists() else name_keys_rebuild()
    added = {
        "users": len(users),
        "name_keys": keys,
        "applications": ensure_demo_applications(),
        "dormant_candidates": ensure_demo_campaign(),
        "complaints": ensure_demo_complaints(),
        "cases": ensure_demo_cases(),
        "liaisons_and_brand": ensure_demo_liaisons(),
        "instructor_assignments": ensure_demo_instructors(DEMO_PASSWORD),
        "party_bodies": ensure_demo_party_bodies(),
    }
    if not CreditListing.objects.exists():
        added["credit_listings"] = ensure_demo_listings()
    if not InspectionPlan.objects.exists():
        added["inspection_plans"] = ensure_demo_inspections()
    return {k: v for k, v in added.items() if v}


def _load() -> dict[str, int]:
    areas = ensure_jurisdictions()
    depts = ensure_departments(areas)
    builder, _ = build(Random(SEED), areas, depts)
    r = builder.rows
    doc = create_document(depts)
    add_responsibilities(builder, doc)
    for model, objs in (
        (Organization, r.organizations),
        (Person, r.persons),
        (Term, r.terms),
        (Principal, r.principals),
        (OrganizationEvent, r.events),
        (FormerName, r.former_names),
        (Branch, r.branches),
        (Responsibility, r.responsibilities),
    ):
        _insert(model, objs)
    filed = build_reports(r.organizations)
    insert_reports(filed.reports)
    _insert(ContactAttempt, filed.contacts)
    users = create_cast(areas, depts, builder.demo_organization())
    return {
        "organizations": len(r.organizations),
        "persons": len(r.persons),
        "terms": len(r.terms),
        "principals": len(r.principals),
        "events": len(r.events),
        "former_names": len(r.former_names),
        "branches": len(r.branches),
        "responsibilities": len(r.responsibilities),
        "annual_reports": len(filed.reports),
        "contact_attempts": len(filed.contacts),
        "users": len(users),
    }


def figures() -> dict[str, int]:
    """The seed's figures as the database shows them now (keys of ``scenario.EXPECTED``).

    The registry's figures are what the organization list shows the city registrar of the
    cast with the matching filters (the page's own selector, ``organization_list_page``);
    "since 2020" counts removals dated from 2020-01-01 (``removed_from``). The others count
    departments, the responsibility map and organizations by name form and management mode."""
    viewer = User.objects.get(username=FIGURES_VIEWER)

    def listed(**filters: Any) -> int:
        return organization_list_page(viewer, OrganizationFilters(**filters), 1).total

    registered = {"status": OrgStatus.REGISTERED}
    since = {"removed_from": REMOVALS_FROM}
    city = {"level": Level.CITY}
    in_force = Organization.objects.filter(status=OrgStatus.REGISTERED)
    instructed = InstructorAssignment.objects.current()
    doc_rows = Responsibility.objects.filter(
        kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT,
        source_document__number=RESPONSIBILITY_DOCUMENT_NUMBER,
    )
    return {
        "registered": listed(**registered),
        "registered_city": listed(**registered, **city),
        "deregistered": listed(status=OrgStatus.DEREGISTERED, **since),
        "revoked": listed(status=OrgStatus.REVOKED, **since),
        "deregistered_city": listed(status=OrgStatus.DEREGISTERED, **since, **city),
        "revoked_city": listed(status=OrgStatus.REVOKED, **since, **city),
        "filed_community": listed(org_type=OrgType.COMMUNITY_ORGANIZATION, status=OrgStatus.FILED),
        "government_departments": Department.objects.filter(kind=DepartmentKind.GOVERNMENT).count(),
        "industry_party_committees": Department.objects.filter(
            code__in=INDUSTRY_PARTY_COMMITTEE_CODES
        ).count(),
        "mapped_city_organizations": doc_rows.values("organization_id").distinct().count(),
        "preschools": in_force.filter(org_form="幼儿园").count(),
        "civil_affairs_field": listed(**registered, supervisory_unit="MZJ"),
        # 公益慈善类: directly registered (RG-14) organizations in social services.
        "public_welfare": in_force.filter(
            management_mode=ManagementMode.DIRECT_REGISTRATION,
            category=Category.SOCIAL_SERVICES,
        ).count(),
        "joint_document_issuers": Department.objects.filter(
            issued_documents__number=RESPONSIBILITY_DOCUMENT_NUMBER
        ).count(),
        "party_instructors": instructed.values("instructor_id").distinct().count(),
        "instructed_organizations": instructed.values("organization_id").distinct().count(),
        "pre_reviewed_by_divisions": Responsibility.objects.filter(
            kind=ResponsibilityKind.PRE_REVIEW, department__kind=DepartmentKind.DIVISION
        )
        .values("organization_id")
        .distinct()
        .count(),
    }
