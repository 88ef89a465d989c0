"""Pages of the liaison officers (联络员制度): the roster by department with its flags, a
liaison designated and a service ended, the training sessions with their attendance and
materials, and a liaison's own page (linked from their home)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socorg.core import access
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.core.models import Role, User
from socorg.core.navigation import FacePage, register_face_pages
from socorg.core.worklist import Section, register_section_provider
from socorg.party import access as party_access
from socorg.party.forms.liaisons import (
    AttendanceForm,
    LiaisonEndForm,
    LiaisonForm,
    MaterialForm,
    TrainingForm,
)
from socorg.party.selectors import liaisons as selectors
from socorg.party.services import liaisons as services

FACE = "structure"


@staff_view("liaison.view")
def liaison_roster(request: HttpRequest) -> HttpResponse:
    """Departments with their current liaisons; the flags filter the list."""
    user = request_user(request)
    flag = request.GET.get("flag", "")
    flag = flag if flag in selectors.FLAGS else ""
    q = request.GET.get("q", "")[:40]
    context = {
        "active_face": FACE,
        "flag": flag,
        "q": q,
        "summary": selectors.roster_summary(user),
        "page": selectors.roster_page(
            user, flag=flag, q=q, number=page_number(request.GET.get("page"))
        ),
        "can_manage": access.has_perm(user, "liaison.manage"),
    }
    return render(request, "party/liaisons/roster.html", context)


@staff_view("liaison.manage")
def liaison_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    departments = list(selectors.roster_departments(user).values_list("code", "name"))
    initial = {"department": request.GET.get("department", "")[:20]}
    form = LiaisonForm(request.POST or None, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            liaison = services.liaison_designate(
                actor=user,
                department_code=form.cleaned_data["department"],
                data=form.liaison_input(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("已登记 %(name)s 为本部门联络员。") % {"name": liaison.name}
            )
            return redirect("party:department_detail", code=liaison.department.code)
    return render(request, "party/liaisons/new.html", {"active_face": FACE, "form": form})


@staff_view("liaison.manage")
def liaison_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a service (POST from the department's page; GET shows the form alone)."""
    user = request_user(request)
    liaison = party_access.access_liaison(user, pk, write=True)
    form = LiaisonEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.liaison_end(actor=user, pk=pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已登记 %(name)s 离任。") % {"name": liaison.name})
            return redirect("party:department_detail", code=liaison.department.code)
    context = {"active_face": FACE, "form": form, "liaison": liaison}
    return render(request, "party/liaisons/end.html", context)


# --- training ------------------------------------------------------------------------------


@staff_view("liaison.view")
def training_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    context = {
        "active_face": FACE,
        "trainings": selectors.training_rows(user),
        "summary": selectors.roster_summary(user),
        "can_train": access.has_perm(user, "liaison.train"),
    }
    return render(request, "party/liaisons/training_list.html", context)


@staff_view("liaison.train")
def training_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = TrainingForm(request.POST or None, initial=TrainingForm.today())
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(actor=user, data=form.training_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已创建培训，请上传材料并登记签到。"))
            return redirect("party:training_detail", pk=training.pk)
    return render(request, "party/liaisons/training_new.html", {"active_face": FACE, "form": form})


def _training_page(
    request: HttpRequest,
    pk: int,
    *,
    attendance: AttendanceForm | None = None,
    material: MaterialForm | None = None,
) -> HttpResponse:
    user = request_user(request)
    detail = selectors.training_detail(user, pk)
    candidates = [(x.pk, f"{x.department.name} · {x.name}") for x in detail.candidates]
    context = {
        "active_face": FACE,
        "detail": detail,
        "can_train": access.has_perm(user, "liaison.train"),
        "attendance_form": attendance or AttendanceForm(candidates=candidates),
        "material_form": material or MaterialForm(),
    }
    status = 400 if (attendance or material) else 200
    return render(request, "party/liaisons/training_detail.html", context, status=status)


@staff_view("liaison.view")
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _training_page(request, pk)


@require_POST
@staff_view("liaison.train")
def training_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    detail = selectors.training_detail(user, pk)
    candidates = [(x.pk, f"{x.department.name} · {x.name}") for x in detail.candidates]
    form = AttendanceForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.training_attendance_record(
                actor=user, pk=pk, liaison_ids=form.cleaned_data["liaisons"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已登记 %(n)s 人签到。") % {"n": len(rows)})
            return redirect(reverse("party:training_detail", args=[pk]) + "#attendance")
    return _training_page(request, pk, attendance=form)


@require_POST
@staff_view("liaison.train")
def training_material(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    party_access.access_training(user, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_material_add(actor=user, pk=pk, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已上传培训材料。"))
            return redirect(reverse("party:training_detail", args=[pk]) + "#materials")
    return _training_page(request, pk, material=form)


# --- the liaison's page ------------------------------------------------------------------------


@staff_view("liaison.page")
def liaison_page(request: HttpRequest) -> HttpResponse:
    page = selectors.liaison_page(request_user(request))
    return render(request, "party/liaisons/page.html", {"active_face": FACE, "page": page})


def liaison_home_section(user: User) -> list[Section]:
    """A liaison's home leads to their page: the department, and how much waits there."""
    if user.role != Role.DEPARTMENT_LIAISON or not access.has_perm(user, "liaison.page"):
        return []
    page = selectors.liaison_page(user)
    return [Section("liaison_page", "party/liaisons/home/_liaison_page.html", page)]


def _is_liaison(user: User) -> bool:
    return user.role == Role.DEPARTMENT_LIAISON


def register() -> None:
    """Called from ``PartyConfig.ready``."""
    register_face_pages(
        FACE,
        [
            FacePage(
                gettext_lazy("我的联络员工作页"),
                "party:liaison_page",
                "bi-person-vcard",
                _is_liaison,
            ),
            FacePage(gettext_lazy("联络员"), "party:liaison_roster", "bi-person-lines-fill"),
            FacePage(gettext_lazy("联络员培训"), "party:training_list", "bi-mortarboard"),
        ],
    )
    register_section_provider(liaison_home_section)
