"""Term transitions (TT-1, RG-8, TT-4): the filing needs an approved vetting and a PDF audit
report; approval closes the old term and opens the next one; the 换届管理 windows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from socorg.core import workflow
from socorg.core.models import AuditLog, Deadline, DepartmentKind, Role, Transition
from socorg.core.workflow import ActionRefused
from socorg.registration.processes import PRINCIPAL_REVIEW, TERM_TRANSITION
from socorg.registration.rules.terms import add_months, add_years
from socorg.registration.selectors import terms as ts
from socorg.registration.services.principals import CandidateInput, principal_review_submit
from socorg.registration.services.terms import term_transition_file
from socorg.registry.models import (
    EventKind,
    Principal,
    PrincipalCandidateReview,
    Responsibility,
    ResponsibilityKind,
    Term,
    TermReminder,
    TermTransition,
    TermTransitionState,
)
from tests import factories as f
from tests.registration.principals.conftest import id_number

pytestmark = pytest.mark.django_db
TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "审计报告.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def approved(city, edu_account, party_reviewer, edu_reviewer) -> PrincipalCandidateReview:
    review = principal_review_submit(
        actor=edu_account,
        organization=city.edu_org,
        election_on=TODAY,
        candidates=[
            CandidateInput(
                "李新", id_number(date(1970, 5, 1)), "chair", is_legal_representative=True
            ),
            CandidateInput(
                "赵秘书", id_number(date(1985, 9, 9)), "secretary_general", is_paid=True
            ),
        ],
    )
    for action, actor in (("party_agree", party_reviewer), ("unit_agree_final", edu_reviewer)):
        workflow.fire(process=PRINCIPAL_REVIEW, key=review.pk, action=action, actor=actor)
    review.refresh_from_db()
    return review


def file(actor, city, review, **kw):
    values = {
        "actor": actor,
        "organization": city.edu_org,
        "review": review,
        "election_on": TODAY,
        "starts_on": TODAY,
        "ends_on": add_years(TODAY, 5) - timedelta(days=1),
        "audit_report": pdf(),
    }
    values.update(kw)
    return term_transition_file(**values)


def test_tt1_approval_opens_the_next_term_and_closes_the_old(
    city, edu_term, approved, edu_account, city_registrar, media
) -> None:
    filing = file(edu_account, city, approved)
    assert filing.audit_report.sha256 and filing.previous_term == edu_term
    workflow.fire(process=TERM_TRANSITION, key=filing.pk, action="approve", actor=city_registrar)
    new = Term.objects.get(organization=city.edu_org, number=2)
    assert (new.starts_on, new.ends_on) == (filing.starts_on, filing.ends_on)
    edu_term.refresh_from_db()
    assert edu_term.ends_on == TODAY - timedelta(days=1)  # early transition shortens the old term
    old_chair = Principal.objects.get(term=edu_term)
    assert old_chair.ends_on == TODAY - timedelta(days=1)
    assert sorted(Principal.objects.filter(term=new).values_list("person__name", flat=True)) == [
        "李新",
        "赵秘书",
    ]
    city.edu_org.refresh_from_db()
    assert city.edu_org.legal_representative == "李新"
    event = city.edu_org.events.get(kind=EventKind.LEGAL_REPRESENTATIVE_CHANGED)
    assert event.details["before"] == "王会长"
    assert AuditLog.objects.filter(action="term_transition.apply").exists()


def test_tt4_filing_needs_an_approved_vetting(city, edu_term, edu_account, media) -> None:
    pending = principal_review_submit(
        actor=edu_account,
        organization=city.edu_org,
        election_on=TODAY,
        candidates=[
            CandidateInput(
                "李新", id_number(date(1970, 5, 1)), "chair", is_legal_representative=True
            )
        ],
    )
    with pytest.raises(ValidationError) as exc:
        file(edu_account, city, pending)
    assert "review" in exc.value.message_dict
    with pytest.raises(ValidationError):
        file(edu_account, city, None)
    assert TermTransition.objects.count() == 0


def test_rg8_filing_needs_the_audit_report(city, edu_term, approved, edu_account, media) -> None:
    with pytest.raises(ValidationError) as exc:
        file(edu_account, city, approved, audit_report=None)
    assert "财务审计报告" in exc.value.message_dict["audit_report"][0]


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "审计报告.docx", b"PK\x03\x04...", content_type="application/octet-stream"
        ),
        SimpleUploadedFile(
            "审计报告.pdf", b"<html><script>x</script>", content_type="application/pdf"
        ),
    ],
    ids=["docx", "html-named-pdf"],
)
def test_rg8_audit_report_must_be_a_pdf_and_nothing_is_written(
    city, edu_term, approved, edu_account, media, upload
) -> None:
    with pytest.raises(ValidationError) as exc:
        file(edu_account, city, approved, audit_report=upload)
    assert "audit_report" in exc.value.message_dict
    assert TermTransition.objects.count() == 0
    assert not AuditLog.objects.filter(action="term_transition.file").exists()


def test_tt1_term_longer_than_five_years_is_refused(
    city, edu_term, approved, edu_account, media
) -> None:
    with pytest.raises(ValidationError) as exc:
        file(edu_account, city, approved, ends_on=add_years(TODAY, 5))
    assert "不得超过5年" in exc.value.message_dict["ends_on"][0]


def test_tt1_a_vetting_serves_one_filing_only(city, edu_term, approved, edu_account, media) -> None:
    file(edu_account, city, approved)
    with pytest.raises(ValidationError):
        file(edu_account, city, approved)


def test_tt1_nothing_half_written_when_the_terms_changed_meanwhile(
    city, edu_term, approved, edu_account, city_registrar, media
) -> None:
    filing = file(edu_account, city, approved)
    Term.objects.create(
        organization=city.edu_org, number=2, starts_on=TODAY, ends_on=add_years(TODAY, 1)
    )
    with pytest.raises(ValidationError):
        workflow.fire(
            process=TERM_TRANSITION, key=filing.pk, action="approve", actor=city_registrar
        )
    filing.refresh_from_db()
    assert filing.state == TermTransitionState.SUBMITTED and filing.new_term is None
    assert Principal.objects.filter(term=edu_term, ends_on__isnull=True).exists()
    assert not Principal.objects.filter(person__name="李新").exists()


def test_tt1_filing_page_refuses_a_wrong_file_type(
    city, edu_term, approved, edu_account, client, media
) -> None:
    client.force_login(edu_account)
    url = reverse("registration:term_transition_file", args=[city.edu_org.uscc])
    data = {
        "review": approved.pk,
        "election_on": TODAY.isoformat(),
        "starts_on": TODAY.isoformat(),
        "ends_on": (add_years(TODAY, 5) - timedelta(days=1)).isoformat(),
        "audit_report": SimpleUploadedFile(
            "报告.xlsx", b"PK\x03\x04", content_type="application/octet-stream"
        ),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "不支持该文件类型" in response.content.decode()
    assert TermTransition.objects.count() == 0


# --- 换届管理 windows (TT-1) ---------------------------------------------------------------


def _org_with_term(city, name: str, ends_on: date):
    org = f.organization(where=city.city, name=name)
    Term.objects.create(
        organization=org, number=1, starts_on=add_years(ends_on, -5), ends_on=ends_on
    )
    return org


def test_tt1_expiring_and_overdue_lists_have_exact_boundaries(city, city_registrar) -> None:
    today = date(2026, 5, 31)
    until, since = add_months(today, 3), add_years(today, -1)
    assert until == date(2026, 8, 31) and since == date(2025, 5, 31)
    cases = {
        "not yet": until + timedelta(days=1),
        "last expiring": until,
        "ends today": today,
        "ended yesterday": today - timedelta(days=1),
        "one year late": since,
        "over a year late": since - timedelta(days=1),
    }
    for label, ends in cases.items():
        _org_with_term(city, f"日照市{label}协会", ends)

    def names(status: str) -> set[str]:
        page, _ = ts.term_page(city_registrar, status=status, today=today)
        return {
            row.term.organization.name.removeprefix("日照市").removesuffix("协会") for row in page
        }

    assert names("expiring") == {"last expiring", "ends today"}
    assert names("overdue") == {"ended yesterday", "one year late"}
    assert names("overdue_long") == {"over a year late"}
    assert "not yet" not in names("")
    _, counts = ts.term_page(city_registrar, today=today)
    assert counts == {"expiring": 2, "overdue": 2, "overdue_long": 1}


def test_tt1_list_is_scoped_and_only_the_latest_term_counts(city, lanshan_registrar) -> None:
    today = date(2026, 5, 31)
    org = _org_with_term(city, "日照市东港测试协会", today)  # city-level: outside 岚山
    ls = f.organization(where=city.lanshan, name="日照市岚山区换届协会")
    Term.objects.create(
        organization=ls, number=1, starts_on=date(2016, 1, 1), ends_on=date(2020, 12, 31)
    )
    Term.objects.create(
        organization=ls, number=2, starts_on=date(2021, 1, 1), ends_on=date(2025, 12, 31)
    )
    page, counts = ts.term_page(lanshan_registrar, today=today)
    assert [row.term.number for row in page] == [2]
    assert counts["overdue"] == 1 and counts["overdue_long"] == 0
    assert org.name not in {row.term.organization.name for row in page}


def test_tt1_remind_command_is_idempotent_and_audited(city, capsys) -> None:
    _org_with_term(city, "日照市提醒协会", date(2026, 6, 30))
    call_command("terms", "remind", "--today", "2026-05-31")
    call_command("terms", "remind", "--today", "2026-05-31")
    assert TermReminder.objects.filter(kind="expiring").count() == 1
    assert AuditLog.objects.filter(action="term_reminder.create").count() == 2
    assert "即将届满 1 条" in capsys.readouterr().out


def test_tt1_term_list_page_renders_for_registrar(city, city_registrar, client) -> None:
    _org_with_term(city, "日照市页面协会", date.today() + timedelta(days=10))
    client.force_login(city_registrar)
    page = client.get(reverse("registration:term_list")).content.decode()
    assert "日照市页面协会" in page and "即将届满" in page


# --- the division's pre-review (前置审查) ------------------------------------------------------


def test_a_filing_of_a_pre_reviewed_organization_waits_for_its_division_before_the_decision(
    city, edu_term, approved, edu_account, city_registrar, media
) -> None:

    division = f.department("MZJ-YL", "日照市民政局养老服务科", DepartmentKind.DIVISION, city.city)
    reviewer = f.user("yl_reviewer", Role.DEPARTMENT_LIAISON, department=division)
    Responsibility.objects.create(
        organization=city.edu_org,
        department=division,
        kind=ResponsibilityKind.PRE_REVIEW,
        effective_from=date(2022, 2, 15),
    )
    filing = file(edu_account, city, approved)
    assert filing.state == TermTransitionState.PRE_REVIEW
    clock = Deadline.objects.get(
        process="term_transition", object_id=str(filing.pk), closed_at__isnull=True
    )
    assert clock.rule_id == "RG-14" and clock.state == TermTransitionState.PRE_REVIEW

    for action, comment in (("approve", ""), ("return", "材料不全")):
        with pytest.raises(ActionRefused, match="业务科室前置审查尚未完成"):
            workflow.fire(
                process=TERM_TRANSITION,
                key=filing.pk,
                action=action,
                actor=city_registrar,
                comment=comment,
            )
    filing.refresh_from_db()
    assert filing.state == TermTransitionState.PRE_REVIEW
    assert not Transition.objects.filter(process="term_transition", object_id=str(filing.pk))
    assert not Term.objects.filter(organization=city.edu_org, number=2).exists()

    workflow.fire(
        process=TERM_TRANSITION,
        key=filing.pk,
        action="pre_review_consent",
        actor=reviewer,
        comment="经审查，同意换届",
    )
    clock.refresh_from_db()
    assert clock.closed_at is not None
    workflow.fire(process=TERM_TRANSITION, key=filing.pk, action="approve", actor=city_registrar)
    assert Term.objects.filter(organization=city.edu_org, number=2).exists()


def test_only_the_division_holding_the_duty_gives_the_pre_review(
    city, edu_term, approved, edu_account, edu_reviewer, media
) -> None:

    division = f.department("MZJ-YL", "日照市民政局养老服务科", DepartmentKind.DIVISION, city.city)
    Responsibility.objects.create(
        organization=city.edu_org,
        department=division,
        kind=ResponsibilityKind.PRE_REVIEW,
        effective_from=date(2022, 2, 15),
    )
    filing = file(edu_account, city, approved)
    with pytest.raises(ActionRefused, match="前置审查应由日照市民政局养老服务科出具"):
        workflow.fire(
            process=TERM_TRANSITION, key=filing.pk, action="pre_review_consent", actor=edu_reviewer
        )


def test_a_filing_without_a_division_duty_goes_straight_to_the_registrar(
    city, edu_term, approved, edu_account, media
) -> None:
    assert file(edu_account, city, approved).state == TermTransitionState.SUBMITTED
