"""Staff pages of the registry: organization list and profile, data corrections.

Views parse input, call one selector or service, and render. Every read goes through
``registry.selectors`` (which applies the caller's data scope); every write through
``registry.services`` or the workflow engine."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access
from socorg.core.attachments import attachments_of
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.core.profile_sections import profile_sections
from socorg.core.views.workflow import fire_posted
from socorg.registry import access as registry_access
from socorg.registry import exports, selectors, services
from socorg.registry.forms import CorrectionProposeForm, OrganizationFilterForm
from socorg.registry.processes import DATA_CORRECTION

# Attachments owned by the organization itself (its registration certificates).
CERTIFICATE_OWNER = "registry.organization"


def _page_number(request: HttpRequest) -> int:
    return page_number(request.GET.get("page"))


def _is_htmx_partial(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


# --- Organizations ------------------------------------------------------------------------------


@staff_view("registry.browse")
def organization_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = OrganizationFilterForm(request.GET, choices=selectors.organization_filter_choices(user))
    filters = form.filters()
    context = {
        "active_face": "registry",
        "form": form,
        "filters": filters,
        "page": (page := selectors.organization_list_page(user, filters, _page_number(request))),
        "outside_scope": 0 if page.rows else selectors.matches_outside_scope(user, filters),
        "books": selectors.BOOK_CHOICES,
        "book": filters.effective_book,
        "can_export": access.has_perm(user, "registry.export"),
        "can_view_corrections": access.has_perm(user, "registry.view_corrections"),
    }
    template = "registry/organization_list.html"
    if _is_htmx_partial(request):
        template = "registry/_organization_browser.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_view("registry.export")
def organization_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an xlsx file; an invalid filter sends the clerk back to the list,
    where the error is shown next to the field."""
    user = request_user(request)
    form = OrganizationFilterForm(request.GET, choices=selectors.organization_filter_choices(user))
    if not form.is_valid():
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(f"{reverse('registry:organization_list')}?{request.GET.urlencode()}")
    handle, filename = exports.organization_workbook(actor=user, filters=form.filters())
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE
    )
    return cast(HttpResponse, response)  # staff_view is typed for HttpResponse


@staff_view("registry.view")
def organization_detail(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    try:
        record = selectors.organization_record(user, key)
    except Http404:
        if not registry_access.outside_scope(user, key):
            raise
        scope = {"active_face": "registry"}
        return render(request, "registry/out_of_scope.html", scope, status=403)
    context = {
        "active_face": "registry",
        "record": record,
        "org": record.organization,
        "can_propose": access.has_perm(user, "registry.propose_correction"),
        "can_browse": access.has_perm(user, "registry.browse"),
        "can_export": access.has_perm(user, "registry.export"),
        "can_view_departments": access.has_perm(user, "departments.view"),
        "certificates": attachments_of(
            owner_type=CERTIFICATE_OWNER, owner_id=record.organization.pk
        ),
        "today": timezone.localdate(),
        # Tabs of other capabilities (credit status…), each rendered by its own template.
        "sections": profile_sections(user, record.organization),
    }
    return render(request, "registry/organization_detail.html", context)


@staff_view("registry.export")
def organization_profile_export(request: HttpRequest, key: str) -> HttpResponse:
    """One organization's profile as an xlsx workbook (基本信息, 负责人, 事件, 分支机构)."""
    handle, filename = exports.organization_profile_workbook(actor=request_user(request), key=key)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE
    )
    return cast(HttpResponse, response)  # staff_view is typed for HttpResponse


# --- Data corrections ---------------------------------------------------------------------------


@staff_view("registry.propose_correction")
def correction_propose(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    organization = registry_access.access_organization(user, key)
    form = CorrectionProposeForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.correction_propose(
                actor=user,
                organization=organization,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("更正申请已提交，等待科室负责人审批。"))
            return redirect("registry:correction_detail", pk=correction.pk)
    context = {"active_face": "registry", "org": organization, "form": form}
    return render(request, "registry/correction_propose.html", context)


@staff_view("registry.view_corrections")
def correction_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    view = request.GET.get("view", selectors.CorrectionList.TODO)
    if view not in selectors.CorrectionList.values:
        view = selectors.CorrectionList.TODO
    state = request.GET.get("state", "")
    if state not in DATA_CORRECTION.states:
        state = ""
    context = {
        "active_face": "registry",
        "view": view,
        "views": selectors.CorrectionList.choices,
        "state": state,
        "states": list(DATA_CORRECTION.states.items()),
        "page": selectors.correction_page(user, view, state, _page_number(request)),
        "can_decide": access.has_perm(user, "registry.decide_correction"),
        "today": timezone.localdate(),
    }
    return render(request, "registry/correction_list.html", context)


def _render_correction(
    request: HttpRequest, pk: int, *, refused: str = "", comment: str = ""
) -> HttpResponse:
    detail = selectors.correction_detail(request_user(request), pk)
    context = {
        "active_face": "registry",
        "detail": detail,
        "correction": detail.correction,
        "refused": refused,
        "comment": comment,
        "today": timezone.localdate(),
    }
    return render(request, "registry/correction_detail.html", context)


@staff_view("registry.view_corrections")
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_correction(request, pk)


@require_POST
@staff_view("registry.view_corrections")
def correction_transition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = fire_posted(request, DATA_CORRECTION, pk)
    if refusal:
        return _render_correction(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("registry:correction_detail", pk=pk)
