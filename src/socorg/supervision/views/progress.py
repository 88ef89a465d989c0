"""Filing progress of annual reports: the bureau's breakdown by supervisory unit, jurisdiction
and type with a chart and an export; every follower's list of their organizations' filings;
reminders to those that have not filed."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.supervision.exports import progress as exports
from socorg.supervision.forms.progress import ProgressFilterForm, RemindForm
from socorg.supervision.rules.progress import default_year
from socorg.supervision.selectors import progress as selectors
from socorg.supervision.services.progress import annual_report_remind


def _query(filters: selectors.ProgressFilters, **extra: str | int) -> str:
    values: dict[str, str | int] = {
        "year": filters.year,
        "state": filters.state,
        "late": "on" if filters.late else "",
        "org_type": filters.org_type,
        "department": "" if filters.department is None else filters.department,
        "jurisdiction": "" if filters.jurisdiction is None else filters.jurisdiction,
        "q": filters.q,
        **extra,
    }
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


@staff_view("annual_report.progress")
def progress(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ProgressFilterForm(request.GET)
    filters = form.filters(default_year(timezone.localdate()))
    report = selectors.progress_report(user, filters.year)
    page, rows = selectors.filing_page(user, filters, page_number(request.GET.get("page")))
    context = {
        "active_face": "supervision",
        "form": form,
        "filters": filters,
        "report": report,
        "page": page,
        "rows": rows,
        "query": _query(filters),
        "year_query": _query(filters, year=""),
        "can_remind": access.has_perm(user, "annual_report.remind"),
        "show_departments": len(report.by_department) > 1,
        "show_jurisdictions": len(report.by_jurisdiction) > 1,
    }
    return render(request, "supervision/progress/progress.html", context)


@staff_view("annual_report.progress")
def progress_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an xlsx file; an invalid filter sends the clerk back to the page."""
    user = request_user(request)
    form = ProgressFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(f"{reverse('supervision:progress')}?{request.GET.urlencode()}")
    handle, filename = exports.progress_workbook(
        actor=user, filters=form.filters(default_year(timezone.localdate()))
    )
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE
    )
    return cast(HttpResponse, response)


@require_POST
@staff_view("annual_report.remind")
def progress_remind(request: HttpRequest) -> HttpResponse:
    """Remind the ticked organizations (or every one of the list that has not filed), then go
    back to the list as it was."""
    user = request_user(request)
    form = RemindForm(request.POST)
    back = reverse("supervision:progress")
    filters_form = ProgressFilterForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) + form.errors.get("organization", []):
            messages.error(request, str(error))
        if "year" in form.errors:
            messages.error(request, _("报告年度有误，请刷新页面后重试。"))
        return redirect(back)
    year = form.cleaned_data["year"]
    filters = filters_form.filters(year)
    back = f"{back}?{_query(filters)}"
    ids = form.cleaned_data["organization"]
    if form.cleaned_data["everyone"]:
        ids = selectors.unfiled_ids(user, filters)
    done = annual_report_remind(actor=user, year=year, organization_ids=ids)
    if done["organizations"]:
        messages.success(
            request,
            _("已向 %(orgs)s 个组织发送报送提醒（站内通知 %(notices)s 条）。")
            % {"orgs": done["organizations"], "notices": done["notices"]},
        )
    else:
        messages.info(
            request,
            _("没有发出新的提醒：所选组织已报送、今天已提醒过，或没有可接收通知的账号。"),
        )
    return redirect(back)


urlpatterns = [
    path("", progress, name="progress"),
    path("export/", progress_export, name="progress_export"),
    path("remind/", progress_remind, name="progress_remind"),
]
