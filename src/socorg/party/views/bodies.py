"""Pages of party-building bodies and affiliation: the 两新工委 and its industry committees
with their organizations, an organization's affiliation history and its change with the
adjusting document, and the bulk re-affiliation from a workbook (the shared import)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.access import access_task_progress
from socorg.core.decorators import request_user, staff_view
from socorg.core.progress import progress_context
from socorg.party import access as party_access
from socorg.party import selectors, workbooks
from socorg.party.forms import ResponsibilityImportForm
from socorg.party.forms.bodies import AffiliationChangeForm
from socorg.party.rules import affiliations as affiliation_rules
from socorg.party.selectors import bodies as body_selectors
from socorg.party.selectors import branches as branch_selectors
from socorg.party.services import imports
from socorg.party.services.affiliations import affiliation_change

PAGE_SIZE = 50


@staff_view("party.view")
def body_list(request: HttpRequest) -> HttpResponse:
    """The bodies with their organizations' numbers; ``?body=CODE`` opens one body's
    organizations and the changes into and out of it."""
    user = request_user(request)
    code = request.GET.get("body", "")[:20]
    context: dict[str, Any] = {
        "active_face": "structure",
        "rows": body_selectors.body_rows(user),
        "documents": body_selectors.affiliation_documents(),
        "can_affiliate": access.has_perm(user, "party.affiliate"),
    }
    if code:
        body = party_access.access_body(user, code)
        orgs = body_selectors.body_organizations(user, body)
        context.update(
            body=body,
            page=Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page")),
            changes=body_selectors.body_changes(user, body)[:100],
        )
    return render(request, "party/bodies/body_list.html", context)


@staff_view("party.view")
def affiliation_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    """An organization's affiliation history; the form changes it (with its document)."""
    user = request_user(request)
    organization = party_access.access_party_organization(user, uscc)
    can_change = access.has_perm(user, "party.affiliate")
    form = AffiliationChangeForm(
        request.POST if request.method == "POST" else None,
        bodies=body_selectors.bodies(),
        documents=selectors.source_documents(),
    )
    if request.method == "POST":
        access.require_perm(user, "party.affiliate")
        if form.is_valid():
            data = form.cleaned_data
            try:
                affiliation_change(
                    actor=user,
                    organization=organization,
                    body=body_selectors.bodies().get(pk=data["body"]),
                    changed_on=data["changed_on"],
                    source_document=selectors.source_document_get(data["source_document"])
                    if data["source_document"]
                    else None,
                    note=data["note"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return redirect(reverse("party:affiliation_detail", args=[uscc]))
    history = body_selectors.affiliation_history(organization)
    issuers = body_selectors.document_issuer_counts(
        {r.source_document_id for r in history if r.source_document_id}
    )
    context = {
        "active_face": "structure",
        "organization": organization,
        "history": [(r, issuers.get(r.source_document_id or 0, 0)) for r in reversed(history)],
        "current": body_selectors.current_affiliation(organization.pk),
        "branches": branch_selectors.organization_branches(organization),
        "figures": branch_selectors.organization_figures(organization),
        "form": form if can_change else None,
    }
    return render(
        request,
        "party/bodies/affiliation_detail.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _add_errors(form: AffiliationChangeForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@staff_view("party.affiliate")
def affiliation_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled re-affiliation workbook with its adjusting document; the page then
    shows the job's progress (the same import as the responsibility map's)."""
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
            progress = imports.affiliation_import_start(
                actor=user, upload=form.cleaned_data["file"], document=form.document_input()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect(f"{reverse('party:affiliation_import')}?task={progress.pk}")
    context: dict[str, Any] = {"active_face": "structure", "form": form}
    if progress is not None:
        context.update(progress_context(progress))
    return render(request, "party/bodies/affiliation_import.html", context)


@staff_view("party.affiliate")
def affiliation_import_template(request: HttpRequest) -> HttpResponse:
    data = affiliation_rules.template_workbook(body_selectors.body_refs())
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    disposition = content_disposition_header(True, _("党组织隶属关系调整模板.xlsx"))
    response["Content-Disposition"] = disposition or "attachment"
    return response
