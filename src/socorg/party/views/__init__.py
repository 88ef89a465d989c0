"""Pages of the party-building face: departments and their responsibility map, the map's bulk
import from a workbook, and the party-building coverage report.

Views parse input, call one selector or service and render; reads go through ``selectors`` (the
caller's scope), writes through ``services``."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.access import access_task_progress
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.core.models import DepartmentKind
from socorg.core.progress import progress_context
from socorg.party import access as party_access
from socorg.party import rules, selectors, workbooks
from socorg.party.forms import ResponsibilityImportForm
from socorg.party.selectors import liaisons as liaison_selectors
from socorg.party.services import imports, responsibilities

PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    return page_number(request.GET.get("page"))


# --- Departments --------------------------------------------------------------------------------


@staff_view("departments.view")
def department_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in DepartmentKind.values:
        kind = ""
    q = request.GET.get("q", "")[:40]
    context = {
        "active_face": "structure",
        "can_coverage": access.has_perm(request_user(request), "responsibility.coverage"),
        "departments": liaison_selectors.with_liaison_flags(
            selectors.department_rows(request_user(request), kind=kind, q=q)
        ),
        "kinds": DepartmentKind.choices,
        "kind": kind,
        "q": q,
    }
    return render(request, "party/department_list.html", context)


@staff_view("departments.view")
def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    department = party_access.access_department(user, code)
    context = {
        "active_face": "structure",
        "department": department,
        "page": selectors.department_responsibility_page(user, department, _page_number(request)),
        "liaisons": liaison_selectors.department_liaisons(user, department)
        if access.has_perm(user, "liaison.view")
        else None,
        "can_manage_liaisons": access.has_perm(user, "liaison.manage"),
    }
    return render(request, "party/department_detail.html", context)


# --- The responsibility map's import ------------------------------------------------------------


@staff_view("responsibility.import")
def responsibility_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled workbook; after the upload the page shows the job's progress."""
    user = request_user(request)
    task = request.GET.get("task", "")
    progress = access_task_progress(user, task) if task.isdigit() else None
    form = ResponsibilityImportForm(
        request.POST or None,
        request.FILES or None,
        documents=selectors.source_documents(),
        initial=ResponsibilityImportForm.initial_from(progress.result if progress else None),
    )
    if request.method == "POST" and form.is_valid():
        try:
            progress = imports.responsibility_import_start(
                actor=user, upload=form.cleaned_data["file"], document=form.document_input()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect(f"{reverse('party:responsibility_import')}?task={progress.pk}")
    context: dict[str, Any] = {"active_face": "structure", "form": form}
    if progress is not None:
        context.update(progress_context(progress))
    return render(request, "party/responsibility_import.html", context)


@staff_view("responsibility.import")
def responsibility_import_template(request: HttpRequest) -> HttpResponse:
    """The blank workbook, with the department list."""
    data = rules.template_workbook(selectors.template_departments())
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    disposition = content_disposition_header(True, _("部门职责导入模板.xlsx"))
    response["Content-Disposition"] = disposition or "attachment"
    return response


# --- Coverage -----------------------------------------------------------------------------------


@staff_view("responsibility.coverage")
def coverage_report(request: HttpRequest) -> HttpResponse:
    """Registered organizations without a current party-building manager, with the figures."""
    report = selectors.coverage_report(request_user(request), request.GET.get("level", "city"))
    page = Paginator(report.uncovered, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "active_face": "structure",
        "can_import": access.has_perm(request_user(request), "responsibility.import"),
        "report": report,
        "page": page,
        "levels": [("city", _("市管")), ("county", _("区县管")), ("all", _("全部"))],
    }
    return render(request, "party/coverage_report.html", context)


@staff_view("responsibility.coverage")
def coverage_export(request: HttpRequest) -> HttpResponse:
    """The uncovered list as an xlsx file."""
    handle, filename = responsibilities.coverage_export_workbook(
        actor=request_user(request), level=request.GET.get("level", "city")
    )
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=workbooks.XLSX_CONTENT_TYPE
    )
    return cast(HttpResponse, response)  # staff_view is typed for HttpResponse
