"""Pages of enforcement cases (行政处罚) in the 监督管理 face: the list in the caller's scope,
opening a case, and one case with its process actions in one 办理 panel, the forms its stage
needs (evidence, intended penalty, statement and hearing, rectification notice), its documents
and evidence; the case's section on the organization's registry profile.

Views parse input, call one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access as core_access
from socorg.core import workflow
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.core.profile_sections import ProfileSection, register_profile_section
from socorg.core.views.workflow import fire_posted
from socorg.core.worklist import register_item_url
from socorg.registry import access as registry_access
from socorg.registry.models import Organization, OrgStatus
from socorg.supervision import access
from socorg.supervision.forms.cases import (
    CaseFilterForm,
    CaseOpenForm,
    DepartmentsForm,
    EvidenceForm,
    HearingForm,
    PenaltyForm,
    RectificationForm,
    StatementForm,
)
from socorg.supervision.models import CaseState
from socorg.supervision.selectors import cases as selectors
from socorg.supervision.services import cases as services

FACE = "supervision"


def _process() -> workflow.Process:
    return workflow.get_process("case")


@staff_view("case.view")
def case_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CaseFilterForm(request.GET)
    state = q = ""
    if form.is_valid():
        state, q = form.cleaned_data["state"] or "", form.cleaned_data["q"] or ""
    context = {
        "active_face": FACE,
        "form": form,
        "state": state,
        "states": CaseState,
        "page": selectors.case_page(
            user, state=state, q=q, number=page_number(request.GET.get("page"))
        ),
        "can_open": core_access.has_perm(user, "case.handle"),
    }
    return render(request, "supervision/cases/list.html", context)


@staff_view("case.handle")
def case_open(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CaseOpenForm(request.POST or None, initial={"organization": request.GET.get("uscc", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = registry_access.access_organization(user, data["organization"])
            case = services.case_open(
                actor=user,
                organization_id=organization.pk,
                source=data["source"],
                facts=data["facts"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已立案，案件编号 %(n)s。") % {"n": case.number})
            return redirect("supervision:case_detail", pk=case.pk)
    return render(request, "supervision/cases/open.html", {"active_face": FACE, "form": form})


# The page of each kind of source a case can be opened from.
SOURCE_PAGES = {
    access.COMPLAINT_OWNER: "supervision:complaint_detail",
    access.FINDING_OWNER: "supervision:inspection_finding_detail",
    services.CANDIDATE_OWNER: "supervision:candidate_detail",
}


def _source_url(case: Any) -> str:
    name = SOURCE_PAGES.get(case.source_type)
    if not name or not case.source_id.isdigit():
        return ""
    return reverse(name, kwargs={"pk": int(case.source_id)})


def _render_case(
    request: HttpRequest,
    pk: int,
    *,
    refused: str = "",
    comment: str = "",
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    detail = selectors.case_detail(user, pk)
    case = detail.case
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "evidence_form": EvidenceForm(),
        "penalty_form": PenaltyForm(
            initial={
                "penalty": case.penalty,
                "fine_amount": case.fine_amount,
                "suspension_months": case.suspension_months,
                "legal_basis": case.legal_basis,
            }
        ),
        "statement_form": StatementForm(
            initial={
                "received_on": case.statement_received_on or today,
                "statement": case.statement,
                "answer": case.statement_answer,
                "hearing_requested": case.hearing_requested,
            }
        ),
        "hearing_form": HearingForm(initial={"held_on": today}),
        "rectification_form": RectificationForm(),
        "departments_form": DepartmentsForm(
            initial={"departments": [d.pk for d in detail.departments]},
            choices=selectors.enforcement_departments(),
        ),
    }
    context = {
        "active_face": FACE,
        "detail": detail,
        "case": case,
        "org": case.organization,
        "refused": refused,
        "comment": comment,
        "can_handle": core_access.has_perm(user, "case.handle"),
        "source_url": _source_url(case),
        "can_view_registry": core_access.has_perm(user, "registry.view"),
        **defaults,
        **(forms or {}),
    }
    return render(request, "supervision/cases/detail.html", context, status=status)


@staff_view("case.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, pk)


@require_POST
@staff_view("case.view")
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = fire_posted(request, _process(), pk)
    if refusal:
        return _render_case(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("supervision:case_detail", pk=pk)


def _case_form_post(
    request: HttpRequest, pk: int, form_name: str, form: Any, run: Any, done: str
) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_detail(user, pk).case
    if form.is_valid():
        try:
            run(user, case, form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except workflow.StaleState as exc:
            messages.warning(request, str(exc))
            return redirect("supervision:case_detail", pk=pk)
        else:
            messages.success(request, done)
            return redirect("supervision:case_detail", pk=pk)
    return _render_case(request, pk, forms={form_name: form})


@require_POST
@staff_view("case.handle")
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, case: Any, data: dict[str, Any]) -> None:
        services.case_evidence_add(
            actor=user,
            case=case,
            upload=data["file"],
            expected_state=request.POST.get("expected_state") or None,
        )

    form = EvidenceForm(request.POST, request.FILES)
    return _case_form_post(request, pk, "evidence_form", form, run, _("证据已上传。"))


@require_POST
@staff_view("case.handle")
def case_penalty(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, case: Any, data: dict[str, Any]) -> None:
        services.case_penalty_set(
            actor=user,
            case=case,
            data=services.PenaltyInput(
                penalty=data["penalty"],
                legal_basis=data["legal_basis"],
                fine_amount=data["fine_amount"],
                suspension_months=data["suspension_months"],
            ),
            expected_state=request.POST.get("expected_state") or None,
        )

    form = PenaltyForm(request.POST)
    return _case_form_post(request, pk, "penalty_form", form, run, _("处罚内容已保存。"))


@require_POST
@staff_view("case.handle")
def case_statement(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, case: Any, data: dict[str, Any]) -> None:
        services.case_statement_record(
            actor=user,
            case=case,
            received_on=data["received_on"],
            statement=data["statement"],
            answer=data["answer"],
            hearing_requested=data["hearing_requested"],
            expected_state=request.POST.get("expected_state") or None,
        )

    form = StatementForm(request.POST)
    return _case_form_post(request, pk, "statement_form", form, run, _("陈述申辩已登记。"))


@require_POST
@staff_view("case.handle")
def case_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, case: Any, data: dict[str, Any]) -> None:
        services.case_hearing_record(
            actor=user,
            case=case,
            held_on=data["held_on"],
            expected_state=request.POST.get("expected_state") or None,
        )

    form = HearingForm(request.POST)
    return _case_form_post(request, pk, "hearing_form", form, run, _("听证已登记。"))


@require_POST
@staff_view("case.handle")
def case_rectification(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, case: Any, data: dict[str, Any]) -> None:
        services.case_rectification_notice(
            actor=user, case=case, requirements=data["requirements"], due_on=data["due_on"]
        )

    form = RectificationForm(request.POST)
    return _case_form_post(
        request, pk, "rectification_form", form, run, _("责令整改通知书已生成。")
    )


@require_POST
@staff_view("case.handle")
def case_from_candidate(request: HttpRequest, pk: int) -> HttpResponse:
    """立案处罚 from a cleanup candidate proposed for revocation (DO-2)."""
    try:
        case = services.case_open_from_candidate(actor=request_user(request), candidate_id=pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("supervision:candidate_detail", pk=pk)
    messages.success(request, _("已立案，案件编号 %(n)s。") % {"n": case.number})
    return redirect("supervision:case_detail", pk=case.pk)


@require_POST
@staff_view("case.handle")
def case_from_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """立案查处 from a random-inspection finding that found a problem."""
    try:
        case = services.case_open_from_finding(actor=request_user(request), finding_id=pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("supervision:inspection_finding_detail", pk=pk)
    messages.success(request, _("已立案，案件编号 %(n)s。") % {"n": case.number})
    return redirect("supervision:case_detail", pk=case.pk)


@require_POST
@staff_view("case.handle")
def case_from_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    """立案查处 from a complaint verified as true."""
    try:
        case = services.case_open_from_complaint(actor=request_user(request), complaint_id=pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("supervision:complaint_detail", pk=pk)
    messages.success(request, _("已立案，案件编号 %(n)s。") % {"n": case.number})
    return redirect("supervision:case_detail", pk=case.pk)


@require_POST
@staff_view("case.handle")
def case_departments(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, case: Any, data: dict[str, Any]) -> None:
        services.case_departments_set(
            actor=user, case=case, department_ids=list(data["departments"])
        )

    form = DepartmentsForm(request.POST, choices=selectors.enforcement_departments())
    return _case_form_post(request, pk, "departments_form", form, run, _("联合执法部门已保存。"))


def case_url(case: Any) -> str:
    return reverse("supervision:case_detail", kwargs={"pk": case.pk})


def case_profile_section(user: Any, organization: Organization) -> ProfileSection | None:
    """The organization's enforcement cases as a tab of its registry profile."""
    if not core_access.has_perm(user, "case.view"):
        return None
    cases = selectors.cases_of(user, organization)
    return ProfileSection(
        key="cases",
        label=_("行政处罚"),
        template="supervision/cases/_profile_section.html",
        data={
            "cases": cases,
            "can_open": core_access.has_perm(user, "case.handle")
            and organization.status in (OrgStatus.REGISTERED, OrgStatus.SUSPENDED),
        },
        count=len(cases),
    )


def register() -> None:
    register_item_url("case", case_url)
    register_profile_section(case_profile_section)


urlpatterns = [
    path("", case_list, name="case_list"),
    path("new/", case_open, name="case_open"),
    path("candidates/<int:pk>/", case_from_candidate, name="case_from_candidate"),
    path("findings/<int:pk>/", case_from_finding, name="case_from_finding"),
    path("complaints/<int:pk>/", case_from_complaint, name="case_from_complaint"),
    path("<int:pk>/", case_detail, name="case_detail"),
    path("<int:pk>/transition/", case_transition, name="case_transition"),
    path("<int:pk>/evidence/", case_evidence, name="case_evidence"),
    path("<int:pk>/penalty/", case_penalty, name="case_penalty"),
    path("<int:pk>/statement/", case_statement, name="case_statement"),
    path("<int:pk>/hearing/", case_hearing, name="case_hearing"),
    path("<int:pk>/rectification/", case_rectification, name="case_rectification"),
    path("<int:pk>/departments/", case_departments, name="case_departments"),
]
