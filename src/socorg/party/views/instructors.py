"""Pages of the instructors (党建工作指导员): the workload of every instructor in scope with the
headline figures (instructors → organizations), one instructor's assignments and visit log, an
assignment's visits with the forms to record a visit, close a follow-up and end the
assignment; and the instructor's home sections (their organizations and due follow-ups).

Views parse input, call one selector or service and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access, calendar, workflow
from socorg.core.decorators import request_user, staff_view
from socorg.core.models import Role, User
from socorg.core.worklist import (
    DUE_SOON_WORKING_DAYS,
    Section,
    WorkCount,
    register_item_url,
    register_section_provider,
    register_work_provider,
)
from socorg.party import access as party_access
from socorg.party.forms.instructors import (
    AssignmentEndForm,
    AssignmentForm,
    FollowUpCloseForm,
    VisitForm,
)
from socorg.party.models import InstructorAssignment, InstructorVisit, VisitState
from socorg.party.selectors import instructors as selectors
from socorg.party.services import instructors as services

FACE = "structure"


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@staff_view("instructors.view")
def instructor_list(request: HttpRequest) -> HttpResponse:
    """The workload of every instructor in scope, and how many organizations they cover."""
    report = selectors.instructor_workloads(request_user(request))
    context = {"active_face": FACE, "report": report}
    return render(request, "party/instructors/list.html", context)


def _render_instructor(
    request: HttpRequest, instructor: User, form: AssignmentForm | None = None
) -> HttpResponse:
    user = request_user(request)
    can_assign = access.has_perm(user, "instructors.assign")
    context = {
        "active_face": FACE,
        "instructor": instructor,
        "assignments": selectors.instructor_assignments(user, instructor),
        "visits": selectors.instructor_visits(user, instructor),
        "can_assign": can_assign,
        "form": form or (AssignmentForm() if can_assign else None),
        "today": timezone.localdate(),
    }
    return render(request, "party/instructors/detail.html", context)


@staff_view("instructors.view")
def instructor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instructor = party_access.access_instructor(request_user(request), pk)
    return _render_instructor(request, instructor)


@require_POST
@staff_view("instructors.assign")
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    instructor = party_access.access_instructor(user, pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_start(
                actor=user,
                instructor_id=instructor.pk,
                organization=data["organization"],
                started_on=data["started_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request,
                _("已选派%(i)s担任%(o)s的党建工作指导员。")
                % {"i": instructor, "o": assignment.organization},
            )
            return redirect("party:instructor_detail", pk=instructor.pk)
    return _render_instructor(request, instructor, form)


def _render_assignment(
    request: HttpRequest,
    assignment: InstructorAssignment,
    *,
    visit_form: VisitForm | None = None,
    end_form: AssignmentEndForm | None = None,
    close_errors: dict[int, str] | None = None,
) -> HttpResponse:
    user = request_user(request)
    running = assignment.ended_on is None
    may_visit = access.has_perm(user, "instructors.visit") and assignment.instructor_id == user.pk
    may_end = access.has_perm(user, "instructors.assign") and running
    context = {
        "active_face": FACE,
        "assignment": assignment,
        "visits": selectors.assignment_visits(user, assignment),
        "visit_form": visit_form or (VisitForm() if may_visit else None),
        "end_form": end_form or (AssignmentEndForm() if may_end else None),
        "may_close": may_visit,
        "close_errors": close_errors or {},
        "today": timezone.localdate(),
    }
    return render(request, "party/instructors/assignment.html", context)


@staff_view("instructors.view")
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = party_access.access_assignment(request_user(request), pk)
    return _render_assignment(request, assignment)


@require_POST
@staff_view("instructors.assign")
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    assignment = party_access.access_assignment(user, pk)
    form = AssignmentEndForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_end(
                actor=user,
                pk=assignment.pk,
                end_on=form.cleaned_data["end_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("选派已结束，记录保留在选派历史中。"))
            return redirect("party:assignment_detail", pk=assignment.pk)
    return _render_assignment(request, assignment, end_form=form)


@require_POST
@staff_view("instructors.visit")
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    assignment = party_access.access_assignment(user, pk)
    form = VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(
                actor=user,
                assignment_pk=assignment.pk,
                visited_on=data["visited_on"],
                topics=data["topics"],
                findings=data["findings"],
                follow_ups=data["follow_ups"],
                follow_up_due=data["follow_up_due"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("走访记录已保存。"))
            return redirect("party:assignment_detail", pk=assignment.pk)
    return _render_assignment(request, assignment, visit_form=form)


@require_POST
@staff_view("instructors.visit")
def visit_close(request: HttpRequest, pk: int) -> HttpResponse:
    """跟进办结: the result is the transition's comment (required)."""
    user = request_user(request)
    visit = party_access.access_visit(user, pk)
    form = FollowUpCloseForm(request.POST)
    problem = ""
    if form.is_valid():
        try:
            services.visit_follow_up_close(
                actor=user, pk=visit.pk, result=form.cleaned_data["result"]
            )
        except workflow.WorkflowError as exc:
            problem = str(exc)
        else:
            messages.success(request, _("跟进事项已办结。"))
            return redirect("party:assignment_detail", pk=visit.assignment_id)
    else:
        problem = _("请填写跟进结果。")
    return _render_assignment(request, visit.assignment, close_errors={visit.pk: problem})


# --- the instructor's home --------------------------------------------------------------------


def visit_url(visit: InstructorVisit) -> str:
    return reverse("party:assignment_detail", kwargs={"pk": visit.assignment_id})


def instructor_work(user: User) -> list[WorkCount]:
    """An instructor's waiting work: open follow-ups (overdue or due soon)."""
    if user.role != Role.PARTY_INSTRUCTOR or not access.has_perm(user, "instructors.visit"):
        return []
    horizon = calendar.add_working_days(timezone.localdate(), DUE_SOON_WORKING_DAYS)
    due = selectors.follow_ups_due(user, horizon=horizon).count()
    url = f"{reverse('party:instructor_detail', kwargs={'pk': user.pk})}#visits"
    return [WorkCount(_("到期的走访跟进事项"), due, url, "flag")]


def instructor_sections(user: User) -> list[Section]:
    """The instructor's organizations (with their last visit) and open follow-ups."""
    if user.role != Role.PARTY_INSTRUCTOR or not access.has_perm(user, "instructors.view"):
        return []
    today = timezone.localdate()
    data: dict[str, Any] = {
        "organizations": selectors.my_organizations(user, today=today),
        "follow_ups": list(selectors.follow_ups_due(user)[:20]),
        "today": today,
        "year": today.year,
        "open_state": VisitState.FOLLOW_UP_OPEN,
    }
    return [Section("instructor_home", "party/instructors/home/_instructor.html", data)]


def register() -> None:
    register_item_url("instructor_visit", visit_url)
    register_work_provider(instructor_work)
    register_section_provider(instructor_sections)
