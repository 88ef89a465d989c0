"""Pages of random inspections (双随机、一公开, RI-*): the plans of the caller's jurisdictions, a
plan with its strata, pools, commitment, the commit and draw steps and the drawn organizations
with their inspectors, the verification bundle as JSON, and the inspector's own tasks where a
finding is recorded per matter (a phone-sized page).

Views parse input, call one selector or service and render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import workflow
from socorg.core.access import has_perm, scope_jurisdictions
from socorg.core.decorators import request_user, staff_view
from socorg.core.views.workflow import fire_posted
from socorg.core.workflow import Process, available_actions
from socorg.supervision.forms.cases import RectificationForm
from socorg.supervision.forms.inspections import AssignForm, FindingForm, PlanForm
from socorg.supervision.processes import INSPECTION_PLAN
from socorg.supervision.selectors import inspections as selectors
from socorg.supervision.services import inspections as services

FACE = {"active_face": "supervision"}


def _jurisdictions(request: HttpRequest) -> list[tuple[str, str]]:
    return [(j.code, j.name) for j in scope_jurisdictions(request_user(request))]


def _list(request: HttpRequest, form: PlanForm | None = None, status: int = 200) -> HttpResponse:
    user = request_user(request)
    context = {
        **FACE,
        "plans": selectors.plan_list(user),
        "can_plan": has_perm(user, "inspection.plan"),
        "form": form
        or PlanForm(
            jurisdictions=_jurisdictions(request), initial={"year": timezone.localdate().year}
        ),
    }
    return render(request, "supervision/inspections/plan_list.html", context, status=status)


@staff_view("inspection.view")
def plan_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@require_POST
@staff_view("inspection.plan")
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST, jurisdictions=_jurisdictions(request))
    if form.is_valid():
        try:
            plan = services.plan_create(
                actor=request_user(request),
                jurisdiction_code=form.cleaned_data["jurisdiction"],
                year=form.cleaned_data["year"],
            )
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已制定抽查计划，请核对后锁定名录库。"))
            return redirect("supervision:inspection_plan_detail", pk=plan.pk)
    return _list(request, form, status=400)


def _detail(
    request: HttpRequest, pk: int, form: AssignForm | None = None, status: int = 200
) -> HttpResponse:
    user = request_user(request)
    detail = selectors.plan_detail(user, pk)
    context = {
        **FACE,
        "detail": detail,
        "plan": detail.plan,
        "actions": available_actions(INSPECTION_PLAN, detail.plan, user),
        "can_assign": has_perm(user, "inspection.plan") and detail.plan.state == "drawn",
        "assign_form": form or AssignForm(),
    }
    return render(request, "supervision/inspections/plan_detail.html", context, status=status)


@staff_view("inspection.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _run(request: HttpRequest, process: Process, key: Any, data: dict[str, Any]) -> None:
    action = data["action"]
    if action == "commit":
        services.plan_commit(actor=request_user(request), plan_id=int(key))
    elif action == "draw":
        services.plan_draw(actor=request_user(request), plan_id=int(key))
    else:
        raise ValidationError(_("未知的操作。"))


@require_POST
@staff_view("inspection.view")
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("action") and request.POST.get("confirmed") != "1":
        INSPECTION_PLAN.access(request_user(request), pk)
        messages.warning(request, _("请先勾选确认后再执行该操作。"))
        return redirect("supervision:inspection_plan_detail", pk=pk)
    refusal = fire_posted(request, INSPECTION_PLAN, pk, run=_run)
    if refusal:
        messages.error(request, refusal.message)
    return redirect("supervision:inspection_plan_detail", pk=pk)


@require_POST
@staff_view("inspection.plan")
def plan_assign(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.plan_detail(request_user(request), pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_add(
                actor=request_user(request),
                plan_id=pk,
                uscc=form.cleaned_data["uscc"],
                inspector_user_id=form.cleaned_data["inspector"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已指派检查人员。"))
            return redirect("supervision:inspection_plan_detail", pk=pk)
    return _detail(request, pk, form, status=400)


@staff_view("inspection.view")
def plan_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(request_user(request), pk).plan
    response = HttpResponse(
        json.dumps(selectors.plan_bundle(plan), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="inspection-plan-{plan.pk}.json"'
    return response


def _subject(
    request: HttpRequest,
    pk: int,
    form: RectificationForm | None = None,
    *,
    finding: int = 0,
    focus: int = 0,
) -> HttpResponse:
    user = request_user(request)
    detail = selectors.subject_detail(user, pk)
    context = {
        **FACE,
        "detail": detail,
        "subject": detail.subject,
        "plan": detail.subject.plan,
        "can_follow_up": has_perm(user, "case.handle"),
        "form": form or RectificationForm(),
        "form_finding": finding,
        "focus": focus or finding,
    }
    return render(
        request,
        "supervision/inspections/subject.html",
        context,
        status=400 if form is not None else 200,
    )


@staff_view("inspection.view")
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One drawn organization: its inspectors, each matter's finding and what followed it (a
    rectification notice, a case)."""
    return _subject(request, pk)


@staff_view("inspection.view")
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding's stable address (a case opened from it links here): its organization's page
    with that finding marked."""
    return _subject(request, selectors.finding_subject_id(request_user(request), pk), focus=pk)


@require_POST
@staff_view("case.handle")
def finding_rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """下达责令整改通知书 on a finding with issues."""
    user = request_user(request)
    subject = selectors.finding_subject_id(user, pk)
    form = RectificationForm(request.POST)
    if form.is_valid():
        try:
            finding = services.finding_rectification_notice(
                actor=user,
                finding_id=pk,
                requirements=form.cleaned_data["requirements"],
                due_on=form.cleaned_data["due_on"],
            )
        except workflow.StaleState as exc:
            messages.warning(request, str(exc))
            return redirect("supervision:inspection_subject", pk=subject)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("已下达责令整改通知书 %(n)s，并告知该组织。")
                % {"n": finding.rectification_number},
            )
            return redirect(
                reverse("supervision:inspection_subject", kwargs={"pk": subject}) + f"#finding-{pk}"
            )
    return _subject(request, subject, form, finding=pk)


def _mine(request: HttpRequest, form: FindingForm | None = None, status: int = 200) -> HttpResponse:
    context = {
        **FACE,
        "tasks": selectors.my_tasks(request_user(request)),
        "form": form,
        "results": FindingForm.base_fields["result"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "supervision/inspections/mine.html", context, status=status)


@staff_view("inspection.record")
def my_inspections(request: HttpRequest) -> HttpResponse:
    return _mine(request)


@require_POST
@staff_view("inspection.record")
def finding_record(request: HttpRequest) -> HttpResponse:
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_record(
                actor=request_user(request),
                subject_id=form.cleaned_data["subject"],
                matter_id=form.cleaned_data["matter"],
                result=form.cleaned_data["result"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已记录检查结果，并告知该组织。"))
            return redirect("supervision:inspection_mine")
    messages.error(
        request,
        _("检查结果未保存：%(why)s")
        % {"why": "；".join(str(e) for errors in form.errors.values() for e in errors)},
    )
    return _mine(request, form, status=400)


urlpatterns = [
    path("", plan_list, name="inspection_plan_list"),
    path("new/", plan_new, name="inspection_plan_new"),
    path("mine/", my_inspections, name="inspection_mine"),
    path("mine/finding/", finding_record, name="inspection_finding"),
    path("<int:pk>/", plan_detail, name="inspection_plan_detail"),
    path("<int:pk>/transition/", plan_transition, name="inspection_plan_transition"),
    path("<int:pk>/assign/", plan_assign, name="inspection_plan_assign"),
    path("<int:pk>/bundle.json", plan_bundle, name="inspection_plan_bundle"),
    path("subjects/<int:pk>/", subject_detail, name="inspection_subject"),
    path("findings/<int:pk>/", finding_detail, name="inspection_finding_detail"),
    path(
        "findings/<int:pk>/rectification/",
        finding_rectification,
        name="inspection_finding_rectification",
    ),
]
