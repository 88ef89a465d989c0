"""Pages of the party-building brand 日出初光 暖益港城: the programs, one program with its
members and activities, an activity planned, reported held or cancelled, and the showcase
(what the public portal publishes, read through ``selectors.brand.showcase_for``)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socorg.core import access, workflow
from socorg.core.decorators import request_user, staff_view
from socorg.core.navigation import FacePage, register_face_pages
from socorg.core.views.workflow import fire_posted
from socorg.core.worklist import register_item_url
from socorg.party import access as party_access
from socorg.party.forms.brand import ActivityForm, HeldForm, MemberForm
from socorg.party.selectors import brand as selectors
from socorg.party.services import brand as services

FACE = "structure"


@staff_view("brand.view")
def brand_list(request: HttpRequest) -> HttpResponse:
    programs = list(selectors.program_rows(request_user(request)))
    return render(request, "party/brand/list.html", {"active_face": FACE, "programs": programs})


def _detail_page(
    request: HttpRequest, pk: int, member_form: MemberForm | None = None
) -> HttpResponse:
    user = request_user(request)
    context = {
        "active_face": FACE,
        "detail": selectors.program_detail(user, pk),
        "can_manage": access.has_perm(user, "brand.manage"),
        "member_form": member_form or MemberForm(initial=MemberForm.today()),
    }
    return render(request, "party/brand/detail.html", context, status=400 if member_form else 200)


@staff_view("brand.view")
def brand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


@require_POST
@staff_view("brand.manage")
def brand_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    party_access.access_brand_program(user, pk, write=True)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.brand_member_add(actor=user, program=pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(name)s 已加入品牌。") % {"name": member.organization})
            return redirect("party:brand_detail", pk=pk)
    return _detail_page(request, pk, form)


@staff_view("brand.manage")
def brand_activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    program = party_access.access_brand_program(user, pk, write=True)
    posted = request.POST.get("starts_on", "")
    try:
        day = date.fromisoformat(posted) if posted else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    members = selectors.member_choices(program, day)
    form = ActivityForm(
        request.POST or None, members=members, initial={"starts_on": day, "ends_on": day}
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.brand_activity_plan(
                actor=user,
                program=pk,
                data=form.activity_input(),
                organization_ids=form.cleaned_data["organizations"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已登记活动计划。"))
            return redirect("party:brand_activity_detail", pk=activity.pk)
    context = {"active_face": FACE, "program": program, "form": form}
    return render(request, "party/brand/activity_new.html", context)


def _activity_page(
    request: HttpRequest, pk: int, held_form: HeldForm | None = None
) -> HttpResponse:
    user = request_user(request)
    detail = selectors.activity_detail(user, pk)
    process = workflow.get_process("brand_activity")
    context = {
        "active_face": FACE,
        "detail": detail,
        "actions": workflow.available_actions(process, detail.activity, user),
        "held_form": held_form or HeldForm(),
        "history": [
            (h, process.state_label(h.to_state))
            for h in workflow.history(process, detail.activity).select_related("actor")
        ],
    }
    return render(
        request, "party/brand/activity_detail.html", context, status=400 if held_form else 200
    )


@staff_view("brand.view")
def brand_activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, pk)


@require_POST
@staff_view("brand.manage")
def brand_activity_held(request: HttpRequest, pk: int) -> HttpResponse:
    """Report the activity held, with the people it reached."""
    user = request_user(request)
    party_access.access_brand_activity(user, pk, write=True)
    form = HeldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.brand_activity_report_held(
                actor=user,
                pk=pk,
                participants=data["participants"],
                volunteers=data["volunteers"],
                comment=data["comment"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except workflow.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记活动开展情况。"))
            return redirect("party:brand_activity_detail", pk=pk)
    return _activity_page(request, pk, form)


@require_POST
@staff_view("brand.manage")
def brand_activity_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """The other buttons of the activity (cancel, with its reason)."""
    refusal = fire_posted(request, workflow.get_process("brand_activity"), pk)
    if refusal is not None:
        messages.error(request, refusal.message)
    return redirect("party:brand_activity_detail", pk=pk)


@staff_view("brand.view")
def brand_showcase(request: HttpRequest, pk: int) -> HttpResponse:
    showcase = selectors.showcase_for(request_user(request), pk)
    context = {"active_face": FACE, "showcase": showcase, "program_pk": pk}
    return render(request, "party/brand/showcase.html", context)


def register() -> None:
    """Called from ``PartyConfig.ready``."""
    register_face_pages(
        FACE, [FacePage(gettext_lazy("日出初光 暖益港城"), "party:brand_list", "bi-sunrise")]
    )
    register_item_url(
        "brand_activity", lambda a: reverse("party:brand_activity_detail", args=[a.pk])
    )
