"""Pages of the dormant-organization cleanup (DO-*): campaigns, their candidates with criteria,
evidence and state, a candidate's dispositions, and the outcome statistics of a period.

Views parse input, call one selector or service and render; reads go through ``selectors`` (the
caller's scope), writes through ``services``."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socorg.core.access import has_perm, scope_jurisdictions
from socorg.core.decorators import request_user, staff_view
from socorg.core.exports import XLSX_CONTENT_TYPE
from socorg.core.inputs import page_number
from socorg.core.views.workflow import fire_posted
from socorg.core.workflow import Process
from socorg.supervision.forms.campaigns import (
    CampaignForm,
    DecisionDocumentForm,
    PeriodForm,
    RectificationDueForm,
)
from socorg.supervision.models import CandidateState
from socorg.supervision.processes import DORMANT_CANDIDATE
from socorg.supervision.selectors import campaigns as selectors
from socorg.supervision.services import campaigns as services

FACE = {"active_face": "supervision"}
# The statistics' default period starts with the cleanup's reporting baseline (2020-01-01).
DEFAULT_START = date(2020, 1, 1)
# The registration app's page where an organization applies for deregistration (URL name).
DEREGISTRATION_APPLICATION_URL = "registration:application_new"
# What each disposition warns before the clerk confirms it.
WARNINGS = {
    "notify_rectification": gettext_lazy(
        "将向该组织下发限期整改通知，并记入其登记档案；请确认整改期限无误。"
    ),
    "confirm_reactivated": gettext_lazy("确认该组织已整改到位、恢复正常活动，线索办结。"),
    "guide_deregistration": gettext_lazy("将引导该组织自行申请注销登记；注销办结后再确认已注销。"),
    "record_deregistered": gettext_lazy("确认该组织已办结注销登记，线索办结。"),
    "propose_revocation": gettext_lazy("将该线索提请分管领导决定撤销登记。"),
    "revoke": gettext_lazy(
        "撤销登记后，该组织的登记状态变为“已撤销”，并作为公开事项记入其登记档案，不可撤回。"
    ),
    "dismiss": gettext_lazy("经核实该组织不属于僵尸型社会组织，线索办结。"),
}


@staff_view("campaign.view")
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    context = {
        **FACE,
        "rows": selectors.campaign_rows(user),
        "can_manage": has_perm(user, "campaign.manage"),
    }
    return render(request, "supervision/campaigns/campaign_list.html", context)


def _jurisdiction_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [(j.code, j.name) for j in scope_jurisdictions(request_user(request))]


@staff_view("campaign.manage")
def campaign_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CampaignForm(
        request.POST or None,
        jurisdictions=_jurisdiction_choices(request),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=user,
                name=data["name"],
                jurisdiction_code=data["jurisdiction"],
                document=data["document"],
                started_on=data["started_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已创建专项行动。"))
            return redirect("supervision:campaign_detail", pk=campaign.pk)
    return render(request, "supervision/campaigns/campaign_new.html", {**FACE, "form": form})


@staff_view("campaign.view")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    filters = selectors.CandidateFilters.parse(request.GET)
    view = selectors.campaign_page(user, pk, filters, page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **FACE,
        "view": view,
        "campaign": view.campaign,
        "filters": filters,
        "states": CandidateState.choices,
        "query": query.urlencode(),
        "can_manage": has_perm(user, "campaign.manage"),
    }
    return render(request, "supervision/campaigns/campaign_detail.html", context)


@require_POST
@staff_view("campaign.manage")
def campaign_find(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    campaign = selectors.campaign_get(user, pk)
    added = services.campaign_find_candidates(actor=user, campaign=campaign)
    messages.success(request, _("排查完成，新增 %(n)s 条线索（已有线索保持不变）。") % {"n": added})
    return redirect("supervision:campaign_detail", pk=pk)


def _candidate_context(request: HttpRequest, pk: int, **extra: Any) -> dict[str, Any]:
    user = request_user(request)
    detail = selectors.candidate_detail(user, pk)
    candidate = detail.candidate
    return {
        **FACE,
        "detail": detail,
        "candidate": candidate,
        "org": candidate.organization,
        "campaign": candidate.campaign,
        "deregistration_url": DEREGISTRATION_APPLICATION_URL,
        "due_form": extra.pop("due_form", None)
        or RectificationDueForm(initial={"due": candidate.rectification_due}),
        "document_form": extra.pop("document_form", None)
        or DecisionDocumentForm(initial={"document": candidate.decision_document}),
        "can_set_due": candidate.state == CandidateState.IDENTIFIED
        and has_perm(user, "campaign.manage"),
        "can_set_document": candidate.state == CandidateState.REVOCATION
        and has_perm(user, "campaign.decide"),
        "perms_case_handle": has_perm(user, "case.handle"),
        **extra,
    }


@staff_view("campaign.view")
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "supervision/campaigns/candidate_detail.html", _candidate_context(request, pk)
    )


@require_POST
@staff_view("campaign.manage")
def candidate_due(request: HttpRequest, pk: int) -> HttpResponse:
    form = RectificationDueForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_set_rectification_due(
                actor=request_user(request), pk=pk, due=form.cleaned_data["due"]
            )
        except ValidationError as exc:
            form.add_error("due" if "due" in exc.message_dict else None, exc.messages)
        else:
            messages.success(request, _("已保存整改期限。"))
            return redirect("supervision:candidate_detail", pk=pk)
    context = _candidate_context(request, pk, due_form=form)
    return render(request, "supervision/campaigns/candidate_detail.html", context, status=400)


@require_POST
@staff_view("campaign.decide")
def candidate_document(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionDocumentForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_set_decision_document(
                actor=request_user(request), pk=pk, document=form.cleaned_data["document"]
            )
        except ValidationError as exc:
            form.add_error("document" if "document" in exc.message_dict else None, exc.messages)
        else:
            messages.success(request, _("已保存决定书文号。"))
            return redirect("supervision:candidate_detail", pk=pk)
    context = _candidate_context(request, pk, document_form=form)
    return render(request, "supervision/campaigns/candidate_detail.html", context, status=400)


def _run(request: HttpRequest, process: Process, key: Any, data: dict[str, Any]) -> None:
    services.candidate_act(
        actor=request_user(request),
        pk=int(key),
        action=data["action"],
        comment=data["comment"],
        expected_state=data["expected_state"],
    )


@require_POST
@staff_view("campaign.view")
def candidate_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Every disposition is confirmed on its own page first, with its reason when required."""
    action = request.POST.get("action", "")
    if request.POST.get("confirmed") != "1":
        return _confirm(request, pk, action, problem="")
    refusal = fire_posted(request, DORMANT_CANDIDATE, pk, run=_run)
    if refusal:
        return _confirm(request, pk, action, problem=refusal.message)
    return redirect("supervision:candidate_detail", pk=pk)


def _confirm(request: HttpRequest, pk: int, action: str, problem: str) -> HttpResponse:
    detail = selectors.candidate_detail(request_user(request), pk)
    act = next((a for a in detail.actions if a.name == action), None)
    if act is None:
        messages.warning(request, _("该操作当前不可执行，请刷新后查看。"))
        return redirect("supervision:candidate_detail", pk=pk)
    context = {
        **FACE,
        "candidate": detail.candidate,
        "act": act,
        "warning": WARNINGS.get(action, ""),
        "problem": problem,
        "document_missing": action == "revoke" and not detail.candidate.decision_document,
        "comment": request.POST.get("comment", ""),
        "expected_state": request.POST.get("expected_state", detail.candidate.state),
    }
    status = 400 if problem else 200
    return render(request, "supervision/campaigns/candidate_confirm.html", context, status=status)


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = DEFAULT_START, today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or DEFAULT_START
        end = form.cleaned_data["end"] or today
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


@staff_view("campaign.view")
def statistics(request: HttpRequest) -> HttpResponse:
    """DO-2's outcomes over a chosen period, by outcome, jurisdiction and level."""
    form, start, end = _period(request)
    stats = selectors.outcome_statistics(request_user(request), start, end)
    context = {
        **FACE,
        "form": form,
        "stats": stats,
        "export_query": f"start={start.isoformat()}&end={end.isoformat()}",
        "chart": {
            "categories": [row.level_label for row in stats.by_level],
            "series": [
                _serie(_("注销登记"), "review", stats, "deregistered"),
                _serie(_("撤销登记"), "refused", stats, "revoked"),
                _serie(_("整改激活"), "approved", stats, "reactivated"),
            ],
        },
    }
    return render(request, "supervision/campaigns/statistics.html", context)


def _serie(
    name: str, meaning: str, stats: selectors.OutcomeStatistics, kind: str
) -> dict[str, Any]:
    """One outcome as a series of the stacked chart, one bar per level."""
    return {
        "name": name,
        "meaning": meaning,
        "data": [getattr(row, kind) for row in stats.by_level],
    }


@staff_view("campaign.view")
def statistics_export(request: HttpRequest) -> HttpResponse:
    _form, start, end = _period(request)
    user = request_user(request)
    stats = selectors.outcome_statistics(user, start, end)
    handle, filename = services.statistics_workbook(actor=user, stats=stats)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    return cast(HttpResponse, response)


urlpatterns = [
    path("", campaign_list, name="campaign_list"),
    path("new/", campaign_new, name="campaign_new"),
    path("statistics/", statistics, name="campaign_statistics"),
    path("statistics/export/", statistics_export, name="campaign_statistics_export"),
    path("<int:pk>/", campaign_detail, name="campaign_detail"),
    path("<int:pk>/find/", campaign_find, name="campaign_find"),
    path("candidates/<int:pk>/", candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/due/", candidate_due, name="candidate_due"),
    path("candidates/<int:pk>/document/", candidate_document, name="candidate_document"),
    path("candidates/<int:pk>/transition/", candidate_transition, name="candidate_transition"),
]
