"""A liaison's one page (联络员工作页) shows exactly their department's items: its
organizations, the joint-review opinions it owes, its organizations' annual-report filing, the
inspections the liaison is assigned to and the complaints routed to it — and nothing of
another department's. The sections after the organizations come from other capabilities
through ``core.liaison_sections``; the liaison's home leads to the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socorg.core.liaison_sections import liaison_sections
from socorg.core.models import Role
from socorg.core.rule_defaults import load_rule_defaults
from socorg.party.selectors import liaisons as selectors
from socorg.registration.models import (
    Application,
    ApplicationKind,
    ApplicationState,
    Opinion,
    OpinionRole,
    OpinionState,
)
from socorg.registry.models import Organization
from socorg.supervision.models import (
    Complaint,
    ComplaintState,
    InspectionMatter,
    InspectionMatterList,
    InspectionPlan,
    PlanAssignment,
    PlanInspector,
    PlanOrganization,
    PlanState,
)
from socorg.supervision.models.inspections import InspectorKind
from socorg.supervision.rules.complaints import tracking_code_new
from tests import factories as f
from tests.party.liaison_helpers import health_department, serving

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _opinion(city, department, org: Organization, title: str) -> Opinion:
    app = Application.objects.create(
        kind=ApplicationKind.CHANGE,
        org_type=org.org_type,
        jurisdiction=city.city,
        organization=org,
        title=title,
        state=ApplicationState.JOINT_REVIEW,
        applicant=f.user(f"applicant_{org.pk}", Role.ORGANIZATION, organization=org),
    )
    return Opinion.objects.create(
        application=app,
        department=department,
        role=OpinionRole.SUPERVISORY_UNIT_CONSENT,
        state=OpinionState.PENDING,
        due_on=TODAY + timedelta(days=5),
    )


def _complaint(department, org: Organization, subject: str) -> Complaint:
    return Complaint.objects.create(
        tracking_code=tracking_code_new(),
        organization=org,
        subject=subject,
        content="以培训名义收费。",
        received_on=TODAY,
        routed_on=TODAY,
        department=department,
        state=ComplaintState.ROUTED,
    )


def _assignment(plan: InspectionPlan, org: Organization, user, department) -> PlanAssignment:
    subject = PlanOrganization.objects.create(
        plan=plan, organization=org, uscc=org.uscc, stratum="city", weight=1, selected=True
    )
    inspector = PlanInspector.objects.create(
        plan=plan, user=user, kind=InspectorKind.LIAISON_OFFICER, department=department
    )
    return PlanAssignment.objects.create(subject=subject, inspector=inspector)


@pytest.fixture
def two_departments(city, edu_liaison):
    """市教育局 and 市卫健委, each with an organization, an opinion to give, a routed
    complaint, an inspection assignment of its liaison and an unfiled annual report."""
    load_rule_defaults()
    health = health_department(city)
    serving(city.edu, "赵磊", user=edu_liaison)
    serving(health.department, "钱芳", user=health.liaison)
    _opinion(city, city.edu, city.edu_org, "教育学会住所变更")
    _opinion(city, health.department, health.organization, "医学会住所变更")
    _complaint(city.edu, city.edu_org, "教育学会违规收费")
    _complaint(health.department, health.organization, "医学会违规评比")
    matters, _ = InspectionMatterList.objects.get_or_create(
        version=1, defaults={"published_on": TODAY}
    )
    InspectionMatter.objects.create(matter_list=matters, code="annual_report", name="年度工作报告")
    plan = InspectionPlan.objects.create(
        jurisdiction=city.city,
        year=TODAY.year,
        name="随机抽查计划",
        state=PlanState.DRAWN,
        matter_list=matters,
        ratios={"city": "0.04"},
        algorithm="efraimidis-spirakis-sha256-v1",
        commitment="0" * 64,
        pool_hash="0" * 64,
    )
    _assignment(plan, city.edu_org, edu_liaison, city.edu)
    _assignment(plan, health.organization, health.liaison, health.department)
    return health


def test_the_liaison_page_shows_exactly_their_departments_items(
    client, city, edu_liaison, two_departments
) -> None:
    f.login(client, edu_liaison)
    response = client.get(reverse("party:liaison_page"))
    assert response.status_code == 200
    page = response.content.decode()
    for mine in ("日照市教育学会", "教育学会住所变更", "教育学会违规收费", "赵磊"):
        assert mine in page, mine
    for theirs in ("日照市医学会", "医学会住所变更", "医学会违规评比", "钱芳", "卫生健康"):
        assert theirs not in page, theirs


def test_each_registered_section_counts_only_the_department_s_own_items(
    city, edu_liaison, two_departments
) -> None:
    sections = {s.key: s for s in liaison_sections(edu_liaison)}
    assert list(sections) == ["opinions", "annual_reports", "inspections", "complaints"]
    assert sections["opinions"].count == 1
    assert [o.application.title for o in sections["opinions"].data["rows"]] == ["教育学会住所变更"]
    assert sections["complaints"].count == 1
    assert [c.subject for c in sections["complaints"].data] == ["教育学会违规收费"]
    assert sections["inspections"].count == 1
    assert [t.subject.organization.name for t in sections["inspections"].data] == ["日照市教育学会"]
    tally = sections["annual_reports"].data.tally
    assert (tally.total, tally.unfiled) == (1, 1)


def test_the_other_liaison_sees_the_mirror_image(client, city, two_departments) -> None:
    f.login(client, two_departments.liaison)
    page = client.get(reverse("party:liaison_page")).content.decode()
    assert "医学会住所变更" in page and "医学会违规评比" in page
    assert "教育学会" not in page


def test_the_page_figures_count_the_departments_organizations(
    city, edu_liaison, two_departments
) -> None:
    f.organization(where=city.city, name="日照市教育技术协会", supervisory_unit=city.edu)
    page = selectors.liaison_page(edu_liaison)
    assert (page.organization_total, page.supervised) == (2, 2)
    assert page.me is not None and page.me.name == "赵磊"


def test_the_liaison_home_leads_to_the_liaison_page(
    client, city, edu_liaison, two_departments
) -> None:
    f.login(client, edu_liaison)
    home = client.get("/").content.decode()
    assert reverse("party:liaison_page") in home
    assert "进入联络员工作页" in home


def test_bureau_staff_have_no_liaison_page(client, city, city_registrar) -> None:
    f.login(client, city_registrar)
    assert client.get(reverse("party:liaison_page")).status_code == 403
    assert "进入联络员工作页" not in client.get("/").content.decode()


def test_an_unregistered_liaison_account_is_told_so(client, city, edu_liaison) -> None:
    load_rule_defaults()
    f.login(client, edu_liaison)
    page = client.get(reverse("party:liaison_page")).content.decode()
    assert "尚未登记为本部门的在任联络员" in page
    assert "本部门无在任联络员" in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_liaison_page_queries_do_not_grow_with_rows(
    client, city, edu_liaison, two_departments
) -> None:
    f.login(client, edu_liaison)
    url = reverse("party:liaison_page")
    client.get(url)
    few = _queries(client, url)
    f.make_orgs(city.city, 20, supervisory_unit=city.edu)
    for n in range(5):
        _complaint(city.edu, city.edu_org, f"投诉{n}")
    assert _queries(client, url) == few
