"""Fixtures of the access tests: one user of every role, and a world of objects around them.

The world has two sides built the same way, through the pages and the API as the cast would:
the *near* side in 日照市 (the 教育学会, supervised by 市教育局 — in the scope of every role of
``role_users``) and the *far* side in 临沂市 (outside everybody's scope). Each side holds one
object of every kind a route can take as a parameter: organization, department, data
correction, application with its opinions and a material, principal candidate review, term
transition, and background jobs."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from stdnum.cn import ric

from socorg.core import access
from socorg.core.models import (
    Department,
    DepartmentKind,
    Jurisdiction,
    JurisdictionLevel,
    Role,
    TaskProgress,
    User,
)
from socorg.core.progress import progress_create
from socorg.core.rule_defaults import load_rule_defaults
from socorg.party.models import (
    BrandActivity,
    BrandMember,
    BrandProgram,
    InstructorAssignment,
    InstructorVisit,
    LiaisonOfficer,
    LiaisonTraining,
    VisitState,
)
from socorg.registry.models import (
    Organization,
    Person,
    Post,
    Principal,
    Responsibility,
    ResponsibilityKind,
    Term,
)
from socorg.supervision.models import (
    AnnualReport,
    Case,
    CaseSource,
    CaseState,
    CleanupCampaign,
    ComplainantIdentity,
    Complaint,
    ComplaintState,
    CreditList,
    CreditListing,
    DormantCandidate,
    FindingResult,
    InspectionFinding,
    InspectionMatter,
    InspectionMatterList,
    InspectionPlan,
    ListingGround,
    ListingSource,
    ListingState,
    PlanOrganization,
    PlanState,
)
from socorg.supervision.rules.complaints import tracking_code_new
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def role_users(city) -> dict[str, User]:
    """One user of every role, with the scope that role has in the demo cast: bureau staff the
    city (the registrars and the division in the registration division, the clerk in the
    approval bureau), department staff 市教育局, the organization account the 教育学会."""
    users = {}
    for role in Role:
        scope: dict[str, Any] = {}
        if role in access.JURISDICTION_ROLES:
            scope["jurisdiction"] = city.city
            scope["department"] = (
                city.approval if role == Role.APPROVAL_CLERK else city.civil_affairs
            )
        elif role in access.DEPARTMENT_ROLES:
            scope["department"] = city.edu
        elif role == Role.ORGANIZATION:
            scope["organization"] = city.edu_org
        users[role] = f.user(f"matrix_{role}", role, **scope)
    return users


# --- finding pages by name, wherever their app mounts them ------------------------------------


def _names(patterns: list[Any], namespace: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for p in patterns:
        if isinstance(p, URLResolver):
            found.update(_names(p.url_patterns, p.namespace or namespace))
        elif isinstance(p, URLPattern) and p.name:
            found.setdefault(p.name, f"{namespace}:{p.name}" if namespace else p.name)
    return found


def page_url(name: str, *args: Any) -> str:
    """The URL of the page named ``name`` in whichever app's namespace it lives."""
    return reverse(_names(get_resolver().url_patterns)[name], args=args)


# --- the cast at work -------------------------------------------------------------------------


class Actor:
    """A member of the cast, signed in to the pages and the API."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.client = Client()
        self.client.force_login(user)

    def api(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        if method == "get":
            response = self.client.get("/api/v1" + path)
        else:
            response = getattr(self.client, method)(
                "/api/v1" + path, json.dumps(body or {}), content_type="application/json"
            )
        assert response.status_code in (200, 201), (path, response.status_code, response.content)
        return response.json()

    def fire(self, process: str, pk: int, action: str, comment: str = "") -> dict[str, Any]:
        return self.api(
            "post", f"/{process}/{pk}/transitions", {"action": action, "comment": comment}
        )

    def submit_page(self, name: str, args: tuple[Any, ...], data: dict[str, Any]) -> int:
        """Post a form page; returns the pk of the item the page redirects to."""
        response = self.client.post(page_url(name, *args), data)
        if response.status_code != 302:
            form = response.context.get("form") if response.context else None
            raise AssertionError(f"{name} answered {response.status_code}: {form and form.errors}")
        return int(resolve(response["Location"]).kwargs["pk"])


_serial = itertools.count(1)


def id_number(born: date) -> str:
    """A valid resident identity number (issued in 北京市东城区) of someone born on ``born``."""
    body = f"110101{born:%Y%m%d}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, month=3, day=1)


# --- one side of the world --------------------------------------------------------------------


@dataclass
class Side:
    """Objects of every kind a route takes as a parameter, all about one organization."""

    jurisdiction: Jurisdiction
    department: Department
    organization: Organization
    correction: int
    application: int
    opinions: dict[int, int]  # department id → opinion id
    attachment: int
    principal_review: int
    term_transition: int
    annual_report: int
    credit_listing: int
    dormant_candidate: int
    complaint: int
    complaint_code: str
    inspection_plan: int
    inspection_subject: int
    finding: int
    case: int
    # Liaison officers, their training and the brand (party).
    liaison: int
    training: int
    brand_program: int
    brand_activity: int
    tasks: dict[int, int] = field(default_factory=dict)  # owner id → job id
    # Party instructors (set by ``instructor_records``).
    instructor: int = 0
    instructor_assignment: int = 0
    instructor_visit: int = 0

    def opinion_for(self, user: User | None) -> int:
        """The opinion of the caller's department if it was asked, else the first one."""
        department = user.department_id if user else None
        return self.opinions.get(department) or next(iter(self.opinions.values()))

    def task_for(self, user: User | None) -> int:
        """The caller's own background job, else someone else's."""
        return self.tasks.get(user.pk if user else 0) or next(iter(self.tasks.values()))


@dataclass(frozen=True)
class Place:
    """A registration authority and its departments."""

    jurisdiction: Jurisdiction
    unit: Department  # the organization's supervisory unit
    division: Department  # the bureau's registration division (…-DJ)
    approval: Department  # the approval bureau (受理)
    party: Department  # the 两新工委
    organization: Organization


def build_side(place: Place, prefix: str) -> Side:
    """Everything about ``place.organization``, made by a cast of that place through the pages
    and the API: a data correction, a change application in joint review (the supervisory unit
    has consented, so the party body and the division are asked too) with one material, an
    approved principal candidate review, a term transition filed on it."""
    org = place.organization

    def member(role: str, **scope: Any) -> Actor:
        return Actor(f.user(f"{prefix}_{role}", role, **scope))

    where = {"jurisdiction": place.jurisdiction}
    registrar = member(Role.REGISTRAR, department=place.division, **where)
    clerk = member(Role.APPROVAL_CLERK, department=place.approval, **where)
    unit_reviewer = member(Role.SUPERVISORY_UNIT_REVIEWER, department=place.unit)
    party_reviewer = member(Role.PARTY_BUILDING_REVIEWER, department=place.party)
    account = member(Role.ORGANIZATION, organization=org)

    Responsibility.objects.create(
        organization=org,
        department=place.party,
        kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT,
        effective_from=date(2020, 1, 1),
    )
    today = date.today()
    starts = _years_later(today, -4)
    term = Term.objects.create(
        organization=org, number=1, starts_on=starts, ends_on=_years_later(starts, 5) - timedelta(1)
    )
    chair = Person.objects.create(name="王会长", id_number=id_number(date(1965, 3, 1)))
    Principal.objects.create(
        organization=org,
        term=term,
        person=chair,
        post=Post.CHAIR,
        is_legal_representative=True,
        starts_on=starts,
    )

    correction = registrar.api(
        "post",
        "/data_correction",
        {"organization": org.uscc, "changes": {"domicile": "学苑路8号"}, "reason": "门牌号有误"},
    )

    application = account.api(
        "post",
        "/applications",
        {
            "kind": "change",
            "data": {
                "domicile": "海曲中路1号",
                "reason": "会员大会决议",
                # RG-6: a dual-managed organization applies within 30 days of the unit's consent.
                "supervisory_consent_on": str(date.today() - timedelta(days=1)),
            },
        },
    )
    for material in application["materials"]:
        if material["required"]:
            upload = SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")
            response = account.client.post(
                f"/api/v1/applications/{application['id']}/materials",
                {"key": material["key"], "file": upload},
            )
            assert response.status_code == 200, response.content
    account.fire("application", application["id"], "submit")
    clerk.fire("application", application["id"], "accept")
    asked = Actor(f.user(f"{prefix}_division_head", Role.DIVISION_HEAD, **where))
    opinions = {
        o["role"]: o for o in asked.api("get", f"/application/{application['id']}")["opinions"]
    }
    unit_reviewer.fire("opinion", opinions["supervisory_unit_consent"]["id"], "consent", "同意")
    item = asked.api("get", f"/application/{application['id']}")
    files = [file["id"] for m in item["materials"] for file in m["files"]]
    by_department = {
        Department.objects.get(name=o["department"]).pk: o["id"] for o in item["opinions"]
    }

    review = account.submit_page(
        "principal_review_submit",
        (org.uscc,),
        {
            "election_on": today.isoformat(),
            "c-TOTAL_FORMS": "2",
            "c-INITIAL_FORMS": "0",
            "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "60",
            "c-0-name": "李新",
            "c-0-id_number": id_number(date(1970, 5, 1)),
            "c-0-post": Post.CHAIR,
            "c-0-is_legal_representative": "on",
            "c-1-name": "赵秘书",
            "c-1-id_number": id_number(date(1985, 9, 9)),
            "c-1-post": Post.SECRETARY_GENERAL,
            "c-1-is_paid": "on",
        },
    )
    party_reviewer.fire("principal_candidate_review", review, "party_agree")
    unit_reviewer.fire("principal_candidate_review", review, "unit_agree_final")
    new_term = today if (today.month, today.day) != (2, 29) else today + timedelta(1)
    transition = account.submit_page(
        "term_transition_file",
        (org.uscc,),
        {
            "review": review,
            "election_on": today.isoformat(),
            "starts_on": new_term.isoformat(),
            "ends_on": (_years_later(new_term, 5) - timedelta(1)).isoformat(),
            "audit_report": SimpleUploadedFile("审计报告.pdf", PDF, content_type="application/pdf"),
        },
    )
    job = progress_create(owner=registrar.user, kind="core.matrix")
    report, listing, candidate = supervision_records(place)
    complaint = complaint_record(place)
    plan = inspection_plan(place)
    finding = inspection_finding(place, plan, registrar.user)
    return Side(
        jurisdiction=place.jurisdiction,
        department=place.unit,
        organization=org,
        correction=correction["id"],
        application=application["id"],
        opinions=by_department,
        attachment=files[0],
        principal_review=review,
        term_transition=transition,
        annual_report=report.pk,
        credit_listing=listing.pk,
        dormant_candidate=candidate.pk,
        complaint=complaint.pk,
        complaint_code=complaint.tracking_code,
        inspection_plan=plan.pk,
        inspection_subject=finding.subject_id,
        finding=finding.pk,
        case=case_record(place).pk,
        **party_liaison_records(place),
        tasks={registrar.user.pk: job.pk},
    )


def supervision_records(
    place: Place,
) -> tuple[AnnualReport, CreditListing, DormantCandidate]:
    """The organization's last-year report in draft, a listing in force on the abnormal list
    and a candidate of a cleanup campaign of its jurisdiction."""
    org = place.organization
    today = date.today()
    report = AnnualReport.objects.create(
        organization=org,
        year=today.year - 1,
        org_type=org.org_type,
        management_mode=org.management_mode,
        supervisory_unit=org.supervisory_unit,
    )
    listing = CreditListing.objects.create(
        organization=org,
        list=CreditList.ABNORMAL,
        ground=ListingGround.UNREACHABLE,
        rule_id="CR-2",
        evidence={"letters": []},
        state=ListingState.LISTED,
        source=ListingSource.MANUAL,
        listed_on=today,
        clock_started_on=today,
    )
    campaign = CleanupCampaign.objects.create(
        name="清理整治专项行动", jurisdiction=place.jurisdiction, started_on=today
    )
    candidate = DormantCandidate.objects.create(
        campaign=campaign, organization=org, criteria=["missed_reports"]
    )
    return report, listing, candidate


def complaint_record(place: Place) -> Complaint:
    """A complaint about the organization, routed to its supervisory unit for verification,
    with the complainant's identity."""
    today = date.today()
    complaint = Complaint.objects.create(
        tracking_code=tracking_code_new(),
        organization=place.organization,
        subject="违规收费",
        content="以培训名义收费。",
        received_on=today,
        triaged_on=today,
        routed_on=today,
        department=place.unit,
        state=ComplaintState.ROUTED,
    )
    ComplainantIdentity.objects.create(complaint=complaint, name="匿名", phone="13800000000")
    return complaint


def inspection_plan(place: Place) -> InspectionPlan:
    """The authority's random-inspection plan of this year, committed (its bundle is public)."""
    matters, _created = InspectionMatterList.objects.get_or_create(
        version=1, defaults={"published_on": date(2024, 1, 1)}
    )
    return InspectionPlan.objects.create(
        jurisdiction=place.jurisdiction,
        year=date.today().year,
        name="随机抽查计划",
        state=PlanState.COMMITTED,
        matter_list=matters,
        ratios={"city": "0.04", "county": "0.03"},
        algorithm="efraimidis-spirakis-sha256-v1",
        commitment="0" * 64,
        pool_hash="0" * 64,
    )


def inspection_finding(place: Place, plan: InspectionPlan, by: User) -> InspectionFinding:
    """The organization drawn in the plan, with a finding of issues on one matter."""
    matter, _created = InspectionMatter.objects.get_or_create(
        matter_list=plan.matter_list,
        code="finances",
        defaults={"name": "财务管理", "position": 1},
    )
    subject = PlanOrganization.objects.create(
        plan=plan,
        organization=place.organization,
        uscc=place.organization.uscc,
        stratum=f"{place.organization.org_type}:{place.organization.level}",
        weight=1,
        selected=True,
    )
    today = date.today()
    return InspectionFinding.objects.create(
        subject=subject,
        matter=matter,
        result=FindingResult.ISSUES,
        description="未按规定建立财务台账。",
        recorded_by=by,
        recorded_on=today,
        publish_by=today + timedelta(days=20),
    )


def case_record(place: Place) -> Case:
    """An enforcement case about the organization, being investigated."""
    return Case.objects.create(
        number=f"案-{place.organization.pk}",
        organization=place.organization,
        source=CaseSource.SWEEP,
        facts="未按规定报送年度工作报告。",
        opened_on=date.today(),
        state=CaseState.INVESTIGATING,
    )


def party_liaison_records(place: Place) -> dict[str, int]:
    """The supervisory unit's liaison, a training session of the authority, and the brand
    program of the authority with one planned activity of the organization."""
    today = date.today()
    liaison = LiaisonOfficer.objects.create(
        department=place.unit, name="联络员", phone="13806331234", starts_on=date(2024, 1, 1)
    )
    training = LiaisonTraining.objects.create(
        jurisdiction=place.jurisdiction, held_on=today, topic="政策法规培训"
    )
    program = BrandProgram.objects.create(
        code=f"brand-{place.jurisdiction.code}",
        name="日出初光 暖益港城",
        jurisdiction=place.jurisdiction,
        launched_on=date(2022, 1, 1),
    )
    BrandMember.objects.create(
        program=program, organization=place.organization, joined_on=date(2022, 1, 1)
    )
    activity = BrandActivity.objects.create(
        program=program, title="志愿服务", starts_on=today, ends_on=today
    )
    activity.organizations.set([place.organization])
    return {
        "liaison": liaison.pk,
        "training": training.pk,
        "brand_program": program.pk,
        "brand_activity": activity.pk,
    }


def instructor_records(side: Side, instructor: User) -> None:
    """``instructor`` guides the side's organization, with a visit whose follow-up is open."""
    today = date.today()
    assignment = InstructorAssignment.objects.create(
        instructor=instructor,
        organization=side.organization,
        division=side.department,
        started_on=today - timedelta(days=30),
        created_by=instructor,
    )
    visit = InstructorVisit.objects.create(
        assignment=assignment,
        visited_on=today,
        topics="组织生活",
        findings="会议记录不全",
        follow_ups="补齐会议记录",
        follow_up_due=today + timedelta(days=7),
        state=VisitState.FOLLOW_UP_OPEN,
        recorded_by=instructor,
    )
    side.instructor = instructor.pk
    side.instructor_assignment = assignment.pk
    side.instructor_visit = visit.pk


def far_place() -> Place:
    """临沂市, a second city beside 日照市, with its own authority and departments."""
    ly = f.jurisdiction("371300", "临沂市", JurisdictionLevel.CITY)

    def dept(code: str, name: str, kind: str, **flags: bool) -> Department:
        return f.department(code, name, kind, ly, **flags)

    unit = dept(
        "LY-EDU",
        "临沂市教育局",
        DepartmentKind.GOVERNMENT,
        is_supervisory_unit=True,
        is_industry_regulator=True,
    )
    return Place(
        jurisdiction=ly,
        unit=unit,
        division=dept("LY-MZJ-DJ", "临沂市民政局社会组织管理科", DepartmentKind.DIVISION),
        approval=dept("LY-SPJ", "临沂市行政审批服务局", DepartmentKind.APPROVAL_BUREAU),
        party=dept("LY-LXGW", "临沂市两新工委", DepartmentKind.PARTY_BUILDING_BODY),
        organization=f.organization(where=ly, name="临沂市教育学会", supervisory_unit=unit),
    )


@dataclass
class World:
    """The cast (``role_users``) and the two sides: near (in every role's scope), far (in
    nobody's)."""

    users: dict[str, User]
    near: Side
    far: Side


@pytest.fixture
def world(city, role_users, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()
    near = build_side(
        Place(city.city, city.edu, city.civil_affairs, city.approval, city.party, city.edu_org),
        "near",
    )
    far = build_side(far_place(), "far")
    # Each role's own background job (a job is its owner's alone).
    for user in role_users.values():
        near.tasks[user.pk] = progress_create(owner=user, kind="core.matrix").pk
    assert TaskProgress.objects.count() == len(role_users) + 2
    instructor_records(near, role_users[Role.PARTY_INSTRUCTOR])
    instructor_records(
        far, f.user("far_instructor", Role.PARTY_INSTRUCTOR, department=far.department)
    )
    return World(users=role_users, near=near, far=far)
