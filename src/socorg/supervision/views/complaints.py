"""Pages of complaints and tips. Staff (监督管理): the list in the caller's scope (a
department liaison sees only what was routed to their department), one complaint with its
process actions in one 办理 panel and the complainant's identity behind an explicit, audited
action, and the intake of a 12345 call or a referral. Public (no account, works without
JavaScript): the filing form with attachments, the page showing the tracking code, and the
tracking page (state, dates and the reply only).

Views parse input, call one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access as core_access
from socorg.core import workflow
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.core.middleware import client_address
from socorg.core.views.workflow import fire_posted
from socorg.core.worklist import WorkCount, register_item_url, register_work_provider
from socorg.supervision import access
from socorg.supervision.forms.complaints import (
    ComplaintFilterForm,
    ComplaintIntakeForm,
    ComplaintPublicForm,
    TrackForm,
    started_again,
)
from socorg.supervision.models import ComplainantIdentity, ComplaintSource, ComplaintState
from socorg.supervision.rules.complaints import tracking_code_display
from socorg.supervision.selectors import complaints as selectors
from socorg.supervision.selectors.cases import cases_from
from socorg.supervision.services import complaints as services

FACE = "supervision"


def _process() -> workflow.Process:
    return workflow.get_process("complaint")


# --- staff: the list ---------------------------------------------------------------------------


@staff_view("complaint.view")
def complaint_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ComplaintFilterForm(request.GET)
    filters = form.filters()
    context = {
        "active_face": FACE,
        "form": form,
        "filters": filters,
        "page": selectors.complaint_page(user, filters, page_number(request.GET.get("page"))),
        "counts": selectors.complaint_counts(user),
        "states": ComplaintState,
        "can_intake": core_access.has_perm(user, "complaint.intake"),
        "is_liaison": user.role == core_access.Role.DEPARTMENT_LIAISON,
    }
    return render(request, "supervision/complaints/list.html", context)


# --- staff: one complaint ----------------------------------------------------------------------


def _render_complaint(
    request: HttpRequest,
    pk: int,
    *,
    refused: str = "",
    comment: str = "",
    identity: ComplainantIdentity | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = selectors.complaint_detail(request_user(request), pk)
    context = {
        "active_face": FACE,
        "detail": detail,
        "complaint": detail.complaint,
        "org": detail.complaint.organization,
        "tracking_code": tracking_code_display(detail.complaint.tracking_code),
        "refused": refused,
        "comment": comment,
        "identity": identity,
        "can_view_registry": core_access.has_perm(request_user(request), "registry.view"),
        "bureau_itself": services.BUREAU_ITSELF,
        "cases": cases_from(request_user(request), access.COMPLAINT_OWNER, detail.complaint.pk),
        "can_open_case": core_access.has_perm(request_user(request), "case.handle"),
    }
    return render(request, "supervision/complaints/detail.html", context, status=status)


@staff_view("complaint.view")
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_complaint(request, pk)


def _run(request: HttpRequest, process: workflow.Process, key: Any, data: dict[str, Any]) -> None:
    if data["action"] == "route":
        services.complaint_route(
            actor=request_user(request),
            complaint_id=int(key),
            choice=request.POST.get("department", "")[:20],
            comment=data["comment"],
            expected_state=data["expected_state"],
        )
        return
    workflow.fire(
        process=process,
        key=key,
        action=data["action"],
        actor=request_user(request),
        comment=data["comment"],
        expected_state=data["expected_state"],
    )


@require_POST
@staff_view("complaint.view")
def complaint_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """The 办理 panel: triage, route (to the map's department or, by hand, another one),
    verify or return, reply, close or dismiss; an action with a required comment (the
    findings, the reply, the reason for a return) says so under the buttons."""
    refusal = fire_posted(request, _process(), pk, run=_run)
    if refusal:
        return _render_complaint(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("supervision:complaint_detail", pk=pk)


@require_POST
@staff_view("complaint.view")
def complaint_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """查看投诉人信息: an assigned handler's explicit, audited read of the identity. Anyone else
    is sent back to the complaint with the reason."""
    user = request_user(request)
    complaint = access.access_complaint(user, pk)
    try:
        identity = services.complainant_identity_read(actor=user, complaint=complaint)
    except PermissionDenied as exc:
        messages.warning(request, str(exc))
        return redirect("supervision:complaint_detail", pk=pk)
    return _render_complaint(request, pk, identity=identity)


@staff_view("complaint.intake")
def complaint_intake(request: HttpRequest) -> HttpResponse:
    """Staff take a complaint in from the 12345 hotline, a referral, a visit or a letter."""
    user = request_user(request)
    form = ComplaintIntakeForm(
        request.POST or None, initial={"source": ComplaintSource.HOTLINE_12345}
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_intake(actor=user, data=form.complaint_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("已登记，查询码 %(code)s，请告知投诉人凭此查询办理进度。")
                % {"code": tracking_code_display(complaint.tracking_code)},
            )
            return redirect("supervision:complaint_detail", pk=complaint.pk)
    context = {"active_face": FACE, "form": form}
    return render(request, "supervision/complaints/intake.html", context)


def complaint_url(complaint: Any) -> str:
    return reverse("supervision:complaint_detail", kwargs={"pk": complaint.pk})


def complaint_work(user: Any) -> list[WorkCount]:
    """Complaints waiting on the caller: a liaison's routed ones, the bureau's to triage,
    route or answer."""
    if not (
        core_access.has_perm(user, "complaint.handle")
        or core_access.has_perm(user, "complaint.verify")
    ):
        return []
    return [
        WorkCount(
            label=_("待办理的投诉举报"),
            count=selectors.open_complaints_count(user),
            url=reverse("supervision:complaint_list"),
            icon="megaphone",
        )
    ]


def register() -> None:
    register_item_url("complaint", complaint_url)
    register_work_provider(complaint_work)


urlpatterns = [
    path("", complaint_list, name="complaint_list"),
    path("new/", complaint_intake, name="complaint_intake"),
    path("<int:pk>/", complaint_detail, name="complaint_detail"),
    path("<int:pk>/transition/", complaint_transition, name="complaint_transition"),
    path("<int:pk>/identity/", complaint_identity, name="complaint_identity"),
]


# --- public --------------------------------------------------------------------------------------


def complaint_file(request: HttpRequest) -> HttpResponse:
    """The public filing form (anonymous allowed). Rate-limited per client address; a
    honeypot field and a minimum fill time signed in the form keep scripts out without a
    captcha. A refusal keeps what was typed (files must be chosen again) and writes nothing."""
    form = ComplaintPublicForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if selectors.complaint_filing_throttled(client_address(request) or "unknown"):
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            try:
                complaint = services.complaint_file_public(
                    data=form.complaint_input(), uploads=form.cleaned_data["attachments"]
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                request.session["complaint_filed"] = complaint.tracking_code
                return redirect("complaints:complaint_filed")
        if status == 200:
            status = 400
    # A form sent back keeps its start time (the person has spent it), unless it was forged.
    context = {"form": form, "started": started_again(request.POST.get("started", ""))}
    return render(request, "supervision/complaints/public_file.html", context, status=status)


def complaint_filed(request: HttpRequest) -> HttpResponse:
    """The tracking code, once, right after filing (kept in the filer's session only)."""
    code = request.session.get("complaint_filed", "")
    context = {"tracking_code": tracking_code_display(code) if code else ""}
    return render(request, "supervision/complaints/public_filed.html", context)


def complaint_track(request: HttpRequest) -> HttpResponse:
    """Progress by tracking code: state, dates and the public reply, nothing else."""
    form = TrackForm(request.GET or None)
    tracking = None
    status = 200
    if form.is_bound and form.is_valid():
        tracking = selectors.complaint_track(form.cleaned_data["code"])
        if tracking is None:
            form.add_error("code", _("未找到该查询码对应的投诉举报，请核对后重新输入。"))
    context = {"form": form, "tracking": tracking, "states": ComplaintState}
    return render(request, "supervision/complaints/public_track.html", context, status=status)


public_urlpatterns = [
    path("", complaint_file, name="complaint_file"),
    path("filed/", complaint_filed, name="complaint_filed"),
    path("track/", complaint_track, name="complaint_track"),
]
