"""The audit administrator's pages: search the audit log (read only) and export the result."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socorg.core import selectors
from socorg.core.access import has_perm
from socorg.core.audit import export
from socorg.core.audit.display import describe
from socorg.core.decorators import request_user, staff_view
from socorg.core.forms import AuditSearchForm


def _form(request: HttpRequest) -> AuditSearchForm:
    return AuditSearchForm(request.GET if request.GET else None)


def _render(request: HttpRequest, form: AuditSearchForm) -> HttpResponse:
    user = request_user(request)
    page = selectors.audit_page(user=user, filters=form.filters(), page=request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "entries": describe(page.object_list),
        "can_export": has_perm(user, "audit.export"),
        "active_face": "",
    }
    return render(request, "core/audit_log.html", context, status=400 if form.errors else 200)


@require_GET
@staff_view("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    return _render(request, _form(request))


@require_GET
@staff_view("audit.export")
def audit_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return _render(request, form)  # the errors, and nothing exported
    handle, filename = export.audit_workbook(actor=request_user(request), filters=form.filters())
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=export.XLSX_CONTENT_TYPE
    )
    return cast(HttpResponse, response)  # staff_view is typed for HttpResponse
