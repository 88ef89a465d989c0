"""Pages of annual reports (AR-*): the organization's 年度报告 page (its years, the filing form,
the audit report, the submission) and the staff's list and review page (the report by
section, RG-12's flags, AR-3's automatic fail grounds, the process's actions, AR-4's revision).
Parse input, call one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import workflow
from socorg.core.access import has_perm
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.core.models import Role
from socorg.core.views.workflow import fire_posted
from socorg.supervision.forms.annual_reports import (
    AnnualReportForm,
    AuditReportForm,
    FalsifiedForm,
    ReportFilterForm,
    ReviseForm,
    initial_value,
)
from socorg.supervision.processes import ANNUAL_REPORT
from socorg.supervision.rules import annual_reports as rules
from socorg.supervision.selectors import annual_reports as selectors
from socorg.supervision.services import annual_reports as services

FACE = "supervision"


@staff_view("annual_report.view")
def home(request: HttpRequest) -> HttpResponse:
    """The supervision face opens on the annual reports: the organization's own page, or the
    staff list."""
    if request_user(request).role == Role.ORGANIZATION:
        return annual_report_mine(request)
    return annual_report_list(request)


@staff_view("annual_report.file")
def annual_report_mine(request: HttpRequest) -> HttpResponse:
    """The organization's 年度报告: its years with state, due date and conclusion; the year
    now open can be started here."""
    user = request_user(request)
    organization = user.organization
    year = selectors.last_year()
    problem = services.year_problem(organization, year, selectors.today()) if organization else ""
    rows = (
        selectors.organization_years(user, organization, None if problem else year)
        if organization
        else []
    )
    open_report = next((r.report for r in rows if r.year == year), None)
    context = {
        "active_face": FACE,
        "org": organization,
        "open_pending": open_report is None or open_report.state in ("draft", "returned"),
        "open_year": year,
        "open_problem": problem,
        "rows": rows,
        "due_on": services.due_on(organization, year) if organization and not problem else None,
        # Once this year's report is in: when the next one opens and falls due.
        "next_year": year + 1,
        "next_due_on": services.due_on(organization, year + 1) if organization else None,
    }
    return render(request, "supervision/annual_reports/mine.html", context)


@require_POST
@staff_view("annual_report.file")
def annual_report_start(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else 0
    try:
        report = services.annual_report_start(actor=user, year=year)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("supervision:annual_report_mine")
    messages.success(request, _("已创建 %(year)s 年度报告草稿。") % {"year": year})
    return redirect("supervision:annual_report_edit", pk=report.pk)


@staff_view("annual_report.file")
def annual_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The filing form (one per type, by section); 保存草稿 keeps whatever is valid in kind and
    bounds, 报送 saves then submits (the rules' problems shown beside their fields)."""
    user = request_user(request)
    report = selectors.report_for(user, pk)
    detail = selectors.report_detail(user, pk)
    if not detail["editable"] or report.organization_id != user.organization_id:
        return redirect("supervision:annual_report_detail", pk=pk)
    initial = {
        f.key: initial_value(f, report.data.get(f.key)) for f in rules.fields_for(report.org_type)
    }
    form = AnnualReportForm(request.POST or None, org_type=report.org_type, initial=initial)
    problems: dict[str, str] = {} if request.method == "POST" else detail["problems"]
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_save(actor=user, report=report, data=form.data_values())
        except ValidationError as exc:
            form.add_problems({k: "；".join(v) for k, v in exc.message_dict.items()})
        except workflow.StaleState as exc:
            messages.warning(request, str(exc))
            return redirect("supervision:annual_report_detail", pk=pk)
        else:
            if "submit" not in request.POST:
                messages.success(request, _("草稿已保存。"))
                return redirect("supervision:annual_report_edit", pk=pk)
            if request.POST.get("confirmed") == "1":
                refusal = _submit(request, report)
                if refusal is None:
                    return redirect("supervision:annual_report_detail", pk=pk)
                messages.error(request, refusal)
            else:
                return redirect("supervision:annual_report_confirm", pk=pk)
        detail = selectors.report_detail(user, pk)
        problems = detail["problems"] if not form.errors else {}
    context = {
        "active_face": FACE,
        **detail,
        "form": form,
        "form_sections": _form_sections(form, report.org_type, problems, detail),
        "problems": problems if not form.errors else {},
        "upload_form": AuditReportForm(),
        "submit_action": selectors.submit_action(report),
        "has_previous": bool(selectors.previous_values(report)),
    }
    return render(request, "supervision/annual_reports/edit.html", context)


def _submit(request: HttpRequest, report: Any) -> str | None:
    act = selectors.submit_action(report)
    try:
        services.annual_report_fire(
            actor=request_user(request),
            report_id=report.pk,
            action=act.name,
            expected_state=request.POST.get("expected_state", ""),
        )
    except workflow.WorkflowError as exc:
        return str(exc)
    messages.success(request, _("年度报告已报送。"))
    return None


def _form_sections(
    form: AnnualReportForm, org_type: str, problems: dict[str, str], detail: dict[str, Any]
) -> list[dict[str, Any]]:
    sections = []
    flags = detail["flag_messages"]
    previous = selectors.previous_values(detail["report"])
    for section in rules.SECTIONS:
        fields = [
            {
                "bound": form[f.key],
                "field": f,
                "problem": problems.get(f.key, ""),
                "flag": flags.get(f.key, ""),
                "previous": previous.get(f.key, ""),
            }
            for f in rules.fields_for(org_type)
            if f.section == section.key
        ]
        if fields:
            sections.append({"section": section, "fields": fields})
    return sections


@staff_view("annual_report.file")
def annual_report_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step of the submission (works without script)."""
    user = request_user(request)
    detail = selectors.report_detail(user, pk)
    if not detail["editable"]:
        return redirect("supervision:annual_report_detail", pk=pk)
    report = detail["report"]
    if request.method == "POST":
        refusal = _submit(request, report)
        if refusal is None:
            return redirect("supervision:annual_report_detail", pk=pk)
        messages.error(request, refusal)
        return redirect("supervision:annual_report_edit", pk=pk)
    context = {"active_face": FACE, **detail, "submit_action": selectors.submit_action(report)}
    return render(request, "supervision/annual_reports/confirm.html", context)


@require_POST
@staff_view("annual_report.file")
def audit_report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report = selectors.report_for(user, pk)
    form = AuditReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的财务审计报告（PDF）。"))
    else:
        try:
            services.audit_report_attach(
                actor=user, report=report, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("财务审计报告已上传。"))
    return redirect("supervision:annual_report_edit", pk=pk)


@staff_view("annual_report.view")
def annual_report_list(request: HttpRequest) -> HttpResponse:
    """Reports in the user's scope, filtered by year, state and conclusion."""
    user = request_user(request)
    form = ReportFilterForm(request.GET)
    filters = form.filters()
    page = selectors.report_page(
        user, selectors.ReportFilters(**filters), page=page_number(request.GET.get("page"))
    )
    context = {"active_face": FACE, "form": form, "page": page, "filters": filters}
    return render(request, "supervision/annual_reports/list.html", context)


@staff_view("annual_report.view")
def annual_report_detail(
    request: HttpRequest, pk: int, refused: str = "", comment: str = ""
) -> HttpResponse:
    """The report read-only by section, for the organization and its reviewers."""
    user = request_user(request)
    detail = selectors.report_detail(user, pk)
    report = detail["report"]
    # The organization submits from its filing form; the review buttons are the staff's.
    actions = [a for a in detail["actions"] if not a.name.startswith("submit_")]
    context = {
        "active_face": FACE,
        **detail,
        "actions": actions,
        "refused": refused,
        "comment": comment,
        "is_owner": user.organization_id == report.organization_id,
        "falsified_form": FalsifiedForm() if has_perm(user, "annual_report.review") else None,
        "revise_form": ReviseForm() if has_perm(user, "annual_report.revise") else None,
    }
    return render(request, "supervision/annual_reports/detail.html", context)


@require_POST
@staff_view("annual_report.view")
def annual_report_transition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = fire_posted(request, ANNUAL_REPORT, pk, done=_("已办理：%(label)s。"))
    if refusal:
        return annual_report_detail(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("supervision:annual_report_detail", pk=pk)


@require_POST
@staff_view("annual_report.review")
def annual_report_falsified(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report = selectors.report_for(user, pk)
    form = FalsifiedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择认定并填写理由。"))
    else:
        try:
            services.annual_report_mark_falsified(
                actor=user,
                report=report,
                falsified=form.cleaned_data["falsified"] == "true",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("认定已记录。"))
    return redirect("supervision:annual_report_detail", pk=pk)


@require_POST
@staff_view("annual_report.revise")
def annual_report_revise(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report = selectors.report_for(user, pk)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择更正后的结论并填写更正理由。"))
    else:
        try:
            services.annual_report_revise_conclusion(
                actor=user,
                report=report,
                conclusion=form.cleaned_data["conclusion"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("年检结论已更正。"))
    return redirect("supervision:annual_report_detail", pk=pk)


urlpatterns = [
    path("", annual_report_list, name="annual_report_list"),
    path("home/", home, name="home"),
    path("mine/", annual_report_mine, name="annual_report_mine"),
    path("start/", annual_report_start, name="annual_report_start"),
    path("<int:pk>/", annual_report_detail, name="annual_report_detail"),
    path("<int:pk>/edit/", annual_report_edit, name="annual_report_edit"),
    path("<int:pk>/confirm/", annual_report_confirm, name="annual_report_confirm"),
    path("<int:pk>/audit-report/", audit_report_upload, name="annual_report_audit_report"),
    path("<int:pk>/transition/", annual_report_transition, name="annual_report_transition"),
    path("<int:pk>/falsified/", annual_report_falsified, name="annual_report_falsified"),
    path("<int:pk>/revise/", annual_report_revise, name="annual_report_revise"),
]
