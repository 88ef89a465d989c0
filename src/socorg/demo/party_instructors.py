"""The seed's instructors (党建工作指导员): 19 party members of the bureau's divisions guide the
party work of the 69 organizations whose pre-review (前置审查) those divisions hold in the
responsibility map. Each division gets instructors in proportion to its organizations, and its
organizations are shared out among them; the instructors have visited some of them, with a few
follow-ups still open. One of those organizations has a change application in joint review,
awaiting its division's pre-review.

Written through the party and registration services and the workflow engine, like real work.
Idempotent: nothing is added when the demo instructors exist."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from random import Random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socorg.core.models import Department, DepartmentKind, Role, User
from socorg.core.workflow import fire
from socorg.demo import people
from socorg.party.models import InstructorAssignment
from socorg.party.services import instructors as services
from socorg.registration.processes import APPLICATION
from socorg.registration.selectors import applications as app_selectors
from socorg.registration.services import applications as app_services
from socorg.registry.models import Organization, Responsibility, ResponsibilityKind

# The seed: 选派19名业务科室党员兼任69家所属社会组织党建工作指导员.
INSTRUCTORS = 19
USERNAME = "instructor{:02d}"  # instructor01 … instructor19
ASSIGNED_ON = date(2022, 3, 1)  # after the 2022 joint document
SEED = 20220301
DIVISION_HEAD = "division_head"
CLERK = "approval_clerk"
# The change application awaiting pre-review, and the accounts around it.
PRE_REVIEW_APPLICANT = "org_prereview"
PRE_REVIEWER = "division_reviewer"
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TOPICS = (
    "支部组织生活和“三会一课”",
    "换届准备和负责人人选",
    "党员发展和流动党员管理",
    "党建工作进章程",
    "年度报告党建部分填报",
)
FINDINGS = ("无", "会议记录不全", "党员信息未及时更新", "活动经费使用未公开")


def _duties() -> dict[Department, list[Organization]]:
    """The divisions' current pre-review duties, by division (the responsibility map)."""
    rows = (
        Responsibility.objects.current()
        .filter(kind=ResponsibilityKind.PRE_REVIEW, department__kind=DepartmentKind.DIVISION)
        .select_related("department", "organization")
        .order_by("department__code", "organization__name", "pk")
    )
    duties: dict[Department, list[Organization]] = defaultdict(list)
    for row in rows:
        if row.organization not in duties[row.department]:
            duties[row.department].append(row.organization)
    return dict(duties)


def instructor_shares(counts: dict[str, int], total: int) -> dict[str, int]:
    """``total`` instructors over divisions with ``counts`` organizations: at least one each
    (never more than its organizations), the rest by largest remainder."""
    shares = {code: 1 for code, n in counts.items() if n}
    spare = total - sum(shares.values())
    orgs = sum(counts.values())
    if spare <= 0 or not orgs:
        return shares
    exact = {code: spare * counts[code] / orgs for code in shares}
    for code in shares:
        shares[code] += int(exact[code])
    left = total - sum(shares.values())
    by_remainder = sorted(shares, key=lambda c: (-(exact[c] - int(exact[c])), c))
    for code in by_remainder[:left]:
        shares[code] += 1
    return {code: min(n, counts[code]) for code, n in shares.items()}


def ensure_demo_instructors(password: str) -> int:
    """Create the instructors (demo accounts with the demo ``password``), their assignments
    and visits unless they exist. Returns how many assignments were made."""
    head = User.objects.filter(username=DIVISION_HEAD).first()
    if head is None or User.objects.filter(username=USERNAME.format(1)).exists():
        return 0
    duties = _duties()
    if not duties:
        return 0
    rng = Random(SEED)
    by_code = {d.code: d for d in duties}
    shares = instructor_shares({d.code: len(o) for d, o in duties.items()}, INSTRUCTORS)
    hashed = make_password(password)
    made = 0
    number = 0
    for code in sorted(shares):
        division = by_code[code]
        team = []
        for _ in range(shares[code]):
            number += 1
            team.append(_instructor(number, division, rng, hashed))
        for i, org in enumerate(duties[division]):
            # Each instructor's first organization has a follow-up open, overdue for some.
            made += _assign_and_visit(
                head, team[i % len(team)], org, rng, open_follow_up=i < len(team)
            )
    ensure_demo_pre_review(rng, hashed, head)
    return made


def _instructor(number: int, division: Department, rng: Random, password: str) -> User:
    return User.objects.create(
        username=USERNAME.format(number),
        role=Role.PARTY_INSTRUCTOR,
        full_name=people.person_name(rng, rng.choice("MF")),
        department=division,
        password=password,
        is_demo=True,
    )


def _assign_and_visit(
    head: User, instructor: User, org: Organization, rng: Random, *, open_follow_up: bool
) -> int:
    assignment = services.assignment_start(
        actor=head, instructor_id=instructor.pk, organization=org.uscc or "", started_on=ASSIGNED_ON
    )
    today = timezone.localdate()
    if open_follow_up:
        on = max(date(today.year, 1, 1), today - timedelta(days=rng.randint(3, 25)))
        services.visit_record(
            actor=instructor,
            assignment_pk=assignment.pk,
            visited_on=on,
            topics=rng.choice(TOPICS),
            findings="支部换届到期未换届",
            follow_ups="督促召开党员大会完成支部换届",
            follow_up_due=on + timedelta(days=15),
        )
        return 1
    last_year = date(today.year - 1, rng.randint(3, 11), rng.randint(1, 28))
    _visit(instructor, assignment, last_year, rng, follow_up=False)
    if rng.random() < 0.6:
        this_year = today - timedelta(
            days=rng.randint(0, max(0, (today - date(today.year, 1, 1)).days))
        )
        _visit(instructor, assignment, this_year, rng, follow_up=rng.random() < 0.35)
    return 1


def _visit(
    instructor: User, assignment: InstructorAssignment, on: date, rng: Random, *, follow_up: bool
) -> None:
    finding = rng.choice(FINDINGS)
    follow_ups = f"督促整改：{finding}" if follow_up and finding != "无" else ""
    services.visit_record(
        actor=instructor,
        assignment_pk=assignment.pk,
        visited_on=on,
        topics=rng.choice(TOPICS),
        findings=finding,
        follow_ups=follow_ups,
        follow_up_due=on + timedelta(days=rng.choice((7, 15, 30))) if follow_ups else None,
    )


def ensure_demo_pre_review(rng: Random, password: str, head: User) -> int:
    """A change application of a pre-reviewed organization, accepted and awaiting its
    division's pre-review; with the organization's account and the division's reviewer."""
    clerk = User.objects.filter(username=CLERK).first()
    duties = _duties()
    if clerk is None or not duties or User.objects.filter(username=PRE_REVIEW_APPLICANT).exists():
        return 0
    # An organization registered where the head's registration division decides.
    division, org = next(
        (d, o)
        for d in sorted(duties, key=lambda d: d.code)
        for o in duties[d]
        if o.jurisdiction_id == head.jurisdiction_id
    )
    account = User.objects.create(
        username=PRE_REVIEW_APPLICANT,
        role=Role.ORGANIZATION,
        full_name=people.person_name(rng, "F"),
        organization=org,
        password=password,
        is_demo=True,
    )
    User.objects.create(
        username=PRE_REVIEWER,
        role=Role.DEPARTMENT_LIAISON,
        full_name=people.person_name(rng, "M"),
        department=division,
        password=password,
        is_demo=True,
    )
    data: dict[str, Any] = {
        "domicile": "日照市东港区海曲东路196号",
        "reason": "原办公场所租期届满，经理事会决议迁址",
    }
    if org.supervisory_unit_id is not None:
        # RG-6: within 30 days of the supervisory unit's consent.
        consent_on = timezone.localdate() - timedelta(days=2)
        data["supervisory_consent_on"] = consent_on.isoformat()
    app = app_services.application_create(
        actor=account, kind="change", org_type=org.org_type, jurisdiction_code="", data=data
    )
    for row in app_selectors.material_rows(app):
        if row.material.required:
            upload = SimpleUploadedFile(f"{row.material.label}.pdf", _PDF, "application/pdf")
            app_services.material_upload(
                actor=account, application=app, key=row.material.key, upload=upload
            )
    fire(process=APPLICATION, key=app.pk, action="submit", actor=account)
    fire(process=APPLICATION, key=app.pk, action="accept", actor=clerk)
    return 1
