"""Pages of registration: the worklists, the application wizard and detail, the opinion
buttons and the overdue monitor (电子监察). Views parse input, call one service or selector,
render."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socorg.core import access, workflow
from socorg.core.decorators import request_user, staff_view
from socorg.core.models import Role, User
from socorg.core.views.workflow import fire_posted
from socorg.registration import access as registration_access
from socorg.registration.forms.applications import MaterialUploadForm, NewApplicationForm
from socorg.registration.kinds import KIND_FORMS, PrincipalsField, principals_text
from socorg.registration.models import Application, ApplicationKind, ApplicationState
from socorg.registration.processes import APPLICATION, OPINION
from socorg.registration.rules import applications as rules
from socorg.registration.selectors import applications as selectors
from socorg.registration.selectors.monitor import overdue_monitor
from socorg.registration.services import applications as services
from socorg.registration.services import decisions
from socorg.registration.services.opinions import application_accept

FACE = {"active_face": "registration"}


@staff_view("registration.view")
def home(request: HttpRequest) -> HttpResponse:
    """The registration worklist of the signed-in user, by role."""
    user = request_user(request)
    context: dict[str, Any] = {
        **FACE,
        "mine": selectors.applications_of_applicant(user)[:50]
        if user.role == Role.ORGANIZATION
        else [],
        "next_steps": [
            steps
            for app in selectors.applications_of_applicant(user)[:50]
            if (steps := selectors.next_steps(app))
        ]
        if user.role == Role.ORGANIZATION
        else [],
        "to_accept": selectors.applications_to_accept(user)[:50]
        if access.has_perm(user, "registration.accept")
        else [],
        "opinions": selectors.opinions_to_give(user)[:50],
        "to_decide": _decision_list(user) if access.has_perm(user, "registration.decide") else [],
        "escalated": selectors.opinions_escalated(user)[:50],
        "can_apply": access.has_perm(user, "registration.apply"),
        "can_monitor": access.has_perm(user, "registration.monitor"),
        "can_vet": access.has_perm(user, "principals.view"),
        "can_terms": access.has_perm(user, "terms.view"),
        "today": timezone.localdate(),
    }
    return render(request, "registration/home.html", context)


def _decision_list(user: User) -> list[tuple[selectors.DecisionRow, str | None]]:
    """The division's decision list: each application with why approving cannot succeed yet
    (None when it can), so the button is disabled with its reason rather than refused on click."""
    return [
        (row, decisions.application_approval_problem(application=row.application))
        for row in selectors.decision_rows(user)
    ]


def _kinds(user: User) -> list[tuple[str, str]]:
    founding = user.organization_id is None
    return [
        (value, str(label))
        for value, label in ApplicationKind.choices
        if (value in rules.ORGANIZATION_KINDS) != founding
    ]


@staff_view("registration.apply")
def application_new(request: HttpRequest) -> HttpResponse:
    """Wizard step 1: choose the kind (and, for founders, the type and the authority)."""
    user = request_user(request)
    form = NewApplicationForm(request.POST or None, kinds=_kinds(user))
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_create(
                actor=user,
                kind=form.cleaned_data["kind"],
                org_type=form.cleaned_data["org_type"],
                jurisdiction_code=form.cleaned_data["jurisdiction"] or "371100",
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            return redirect("registration:application_edit", pk=app.pk)
    return render(request, "registration/application_new.html", {**FACE, "form": form})


@staff_view("registration.apply")
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Wizard step 2: fill in the kind's form (saved as a draft) and upload the materials."""
    user = request_user(request)
    app = registration_access.access_application(user, pk)
    form = KIND_FORMS[app.kind](request.POST or None, initial=app.data)
    field_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = {name: form[name].data for name in form.fields if form[name].data is not None}
        try:
            services.application_update(actor=user, application=app, data=data)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("registration:application_edit", pk=app.pk)
        except ValidationError as exc:
            field_errors = _field_errors(exc, form.fields)
            messages.error(request, _("草稿未保存：请按各项下方的提示修改后再保存。"))
        uploaded = _upload_chosen(request, app)
        if not field_errors:
            if not uploaded:
                messages.success(request, _("草稿已保存。"))
            return _checked_edit_page(app)
    if "name" in form.fields and app.kind in rules.NAME_CHECKED_KINDS:
        form.fields["name"].widget.attrs.update(
            {
                "hx-get": reverse("registration:application_name_check", args=[app.pk]),
                "hx-trigger": "load, keyup changed delay:500ms, input changed delay:500ms",
                "hx-target": "#name-check",
                "aria-describedby": "name-check",
            }
        )
    for name in field_errors:
        if name in form.fields:
            form.fields[name].widget.attrs["class"] = "is-invalid"
            form.fields[name].widget.attrs["aria-invalid"] = "true"
            form.fields[name].widget.attrs["aria-describedby"] = f"{name}-feedback"
    actions = workflow.available_actions(APPLICATION, app, user)
    warnings = _submission_warnings(request, app) if not field_errors else {}
    for name in warnings:
        if name in form.fields and name not in field_errors:
            form.fields[name].widget.attrs["aria-describedby"] = f"{name}-warning"
    context = {
        **FACE,
        "app": app,
        "form": form,
        "fields": [
            (form[name], field_errors.get(name, []), warnings.get(name, [])) for name in form.fields
        ],
        "form_errors": field_errors.get("", []),
        "summary": _warning_summary(warnings, form),
        "material_warnings": warnings.get(services.MATERIALS, []),
        "name_check": "name" in form.fields and app.kind in rules.NAME_CHECKED_KINDS,
        "materials": selectors.material_rows(app),
        "actions": actions,
        "buttons": [(act, None) for act in actions],
        "editable": app.state in services.EDITABLE,
    }
    return render(request, "registration/application_edit.html", context)


def _checked_edit_page(app: Application) -> HttpResponse:
    """The application page after a save or a refused submission: with the submission's
    checks shown beside the fields (``?check=1``)."""
    url = reverse("registration:application_edit", args=[app.pk])
    return redirect(f"{url}?check=1")


def _submission_warnings(
    request: HttpRequest, app: Application
) -> dict[str, list[services.SubmitProblem]]:
    """What the submission would refuse, by field: asked after each save of a draft and after a
    refused submission (the same checks as the submit guard); nothing on a first visit."""
    if request.GET.get("check") != "1" or app.state not in services.EDITABLE:
        return {}
    out: dict[str, list[services.SubmitProblem]] = {}
    for problem in services.submission_problems(app):
        out.setdefault(problem.field, []).append(problem)
    return out


@dataclass(frozen=True)
class SummaryLine:
    """One line of the summary above the form: the problem, and the anchor and label of the
    place on the page where it is shown ("" for the application as a whole)."""

    problem: services.SubmitProblem
    anchor: str
    label: str


def _warning_summary(
    warnings: dict[str, list[services.SubmitProblem]], form: Any
) -> list[SummaryLine]:
    """The summary above the form, in the page's order: the fields, the materials, the rest."""
    lines = []
    order = [*form.fields, services.MATERIALS]
    for field in sorted(warnings, key=lambda f: order.index(f) if f in order else len(order)):
        problems = warnings[field]
        if field in form.fields:
            anchor, label = f"field-{field}", str(form.fields[field].label)
        elif field == services.MATERIALS:
            anchor, label = "materials", _("申请材料")
        else:
            anchor, label = "", ""
        lines += [SummaryLine(problem, anchor, label) for problem in problems]
    return lines


def _upload_chosen(request: HttpRequest, app: Application) -> bool:
    """Upload the files chosen on the application page (``file-<material key>``), whether or
    not the draft could be saved: a chosen file cannot be kept across a reload. Says whether a
    file was chosen; each upload reports its own result."""
    chosen = [
        (name.removeprefix("file-"), upload)
        for name in request.FILES
        if name.startswith("file-") and (upload := request.FILES.get(name)) is not None
    ]
    for key, upload in chosen:
        try:
            services.material_upload(
                actor=request_user(request), application=app, key=key, upload=upload
            )
        except ValidationError as exc:
            messages.error(request, _("上传失败：%(e)s") % {"e": "；".join(exc.messages)})
        else:
            messages.success(
                request, _("草稿已保存，材料“%(name)s”已上传。") % {"name": upload.name}
            )
    return bool(chosen)


def _field_errors(exc: ValidationError, fields: Any) -> dict[str, list[str]]:
    """The errors of a refused save by form field (``data.<field>``); the rest under ``""``."""
    out: dict[str, list[str]] = {}
    if not hasattr(exc, "error_dict"):
        out[""] = list(exc.messages)
        return out
    for key, errors in exc.message_dict.items():
        name = key.removeprefix("data.")
        out.setdefault(name if name in fields else "", []).extend(errors)
    return out


NAME_ADVICE = {
    "invalid": gettext_lazy(
        "请按上面的提示修改名称的构成：行政区划＋字号（含行业表述）＋组织形式，例如“日照市××协会”。"
    ),
    "conflict": gettext_lazy("请更换字号，避免与上面的名称相同或近似，再核对一次。"),
}


@staff_view("registration.apply")
def application_name_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed name checked as it is typed (htmx): a fragment with the verdict, the name's
    parts, each hit with its reason, and what to change."""
    app = registration_access.access_application(request_user(request), pk)
    name = request.GET.get("name", "")[:100]
    context: dict[str, Any] = {"name": name}
    try:
        context["check"] = selectors.proposed_name_check(app, name)
    except ValidationError as exc:
        context["problems"] = exc.messages
    if check := context.get("check"):
        context["advice"] = NAME_ADVICE.get(check.verdict, "")
    return render(request, "registration/_name_check.html", context)


@require_POST
@staff_view("registration.apply")
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    app = registration_access.access_application(user, pk)
    form = MaterialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("registration:application_edit", pk=pk)
    try:
        services.material_upload(
            actor=user,
            application=app,
            key=form.cleaned_data["key"],
            upload=form.cleaned_data["file"],
        )
    except ValidationError as exc:
        messages.error(request, _("上传失败：%(e)s") % {"e": "；".join(exc.messages)})
    else:
        messages.success(request, _("材料已上传。"))
    return redirect("registration:application_edit", pk=pk)


@staff_view("registration.view")
def application_detail(request: HttpRequest, pk: int, refused: str = "") -> HttpResponse:
    user = request_user(request)
    app = registration_access.access_application(user, pk)
    actions = workflow.available_actions(APPLICATION, app, user)
    opinions = [
        (row, workflow.available_actions(OPINION, row.opinion, user) if row.own else [])
        for row in selectors.opinions_for(user, app)
    ]
    context = {
        **FACE,
        "app": app,
        "opinions": opinions,
        # One place to act: the user's own opinion buttons sit in the 办理 panel.
        "own_opinions": [(row, acts) for row, acts in opinions if acts],
        "buttons": _buttons(app, actions),
        "materials": selectors.material_rows(app),
        "data_rows": _data_rows(app.kind, app.data),
        "actions": actions,
        "consult_choices": _consult_choices(app, actions),
        "history": [
            (APPLICATION.action(t.action).label, APPLICATION.state_label(t.to_state), t)
            for t in workflow.history(APPLICATION, app)
        ],
        "deadline": workflow.item_deadline(APPLICATION, app),
        "refused": refused,
        "today": timezone.localdate(),
        "is_applicant": user.role == Role.ORGANIZATION,
        "next_steps": selectors.next_steps(app),
    }
    return render(request, "registration/application_detail.html", context)


def _buttons(
    app: Application, actions: list[workflow.Action]
) -> list[tuple[workflow.Action, str | None]]:
    """Each button of the 办理 panel with why it cannot succeed yet (None when it can): 准予登记
    is shown disabled, with its reason beside it, until every opinion allows it; 不予登记 while
    a division's pre-review is outstanding."""
    return [(act, _button_problem(app, act)) for act in actions]


def _button_problem(app: Application, act: workflow.Action) -> str | None:
    if act.name == "approve":
        return decisions.application_approval_problem(application=app)
    if act.name == "refuse":
        return decisions.application_pre_review_problem(application=app)
    return None


def _consult_choices(
    app: Application, actions: list[workflow.Action]
) -> list[selectors.ConsultChoice]:
    """RG-14: the departments to consult, offered with 受理 of a direct registration."""
    accepting = app.state == ApplicationState.SUBMITTED and any(a.name == "accept" for a in actions)
    return selectors.consultation_choices(app) if accepting and selectors.is_direct(app) else []


def _data_rows(kind: str, data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The proposed data with the form's Chinese labels, principals as text."""
    form = KIND_FORMS[kind]()
    rows = []
    for key, value in data.items():
        field = form.fields.get(key)
        if isinstance(field, PrincipalsField):
            shown = principals_text(value)
        elif field is not None and isinstance(value, list):
            shown = field.prepare_value(value)
        else:
            shown = value
        rows.append(
            (_read_only_label(field) if field is not None else key, _label(key, field, shown))
        )
    return rows


# How to type a field ("（每行：姓名 身份证号 职务）") belongs to the form, not to the page that reads it.
ENTRY_INSTRUCTION = re.compile(r"\s*[（(](?:每行[：:]|one per line)[^）)]*[）)]\s*$")


def _read_only_label(field: Any) -> str:
    return ENTRY_INSTRUCTION.sub("", str(field.label))


DEPARTMENT_FIELDS = frozenset({"supervisory_unit", "industry_regulator"})


def _label(key: str, field: Any, value: Any) -> Any:
    """Chinese labels for codes: choices by their label, departments by their name."""
    if key in DEPARTMENT_FIELDS and isinstance(value, str):
        dept = selectors.department_by_code(value)
        return dept.name if dept is not None else value
    if key == "consulted_departments" and isinstance(value, list):
        return "、".join(_label("industry_regulator", None, v) for v in value)
    choices = getattr(field, "choices", None)
    if choices and isinstance(value, str):
        return dict((str(k), str(v)) for k, v in choices).get(value, value)
    return value


def _run(request: HttpRequest, process: workflow.Process, key: Any, data: dict[str, Any]) -> None:
    """受理 goes with the chosen departments to consult (RG-14); other actions fire as they are."""
    if process is APPLICATION and data["action"] == "accept":
        codes = request.POST.getlist("consulted_departments")
        application_accept(
            actor=request_user(request),
            pk=key,
            codes=codes if request.POST.get("consult_choice") else None,
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


# Actions that end an application: a confirmation step first (it works without script), and a
# refusal's reason is asked for there; the workflow refuses a refusal without one.
IRREVERSIBLE = {
    "withdraw": gettext_lazy("撤回后申请即告结束，不能恢复；如需办理，须重新申请。"),
    "refuse_acceptance": gettext_lazy(
        "不予受理后申请即告结束，申请人将看到您填写的理由。请写明不予受理的原因和依据。"
    ),
    "refuse": gettext_lazy(
        "不予登记后申请即告结束，申请人将看到您填写的理由。请写明不予登记的原因和依据。"
    ),
}


@require_POST
@staff_view("registration.view")
def application_transition(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "")
    if action in IRREVERSIBLE and request.POST.get("confirmed") != "1":
        return _confirm(request, pk, action, problem="")
    refusal = fire_posted(request, APPLICATION, pk, run=_run)
    if refusal and action in IRREVERSIBLE:
        return _confirm(request, pk, action, problem=refusal.message)
    if refusal and action == "submit" and (app := _own_draft(request, pk)):
        # The reasons go beside the fields they concern, on the applicant's form.
        messages.error(request, _("尚不能提交：请按下列各项及其旁边的提示补充或修改后再提交。"))
        return _checked_edit_page(app)
    if refusal:
        messages.error(request, refusal.message)
    return redirect("registration:application_detail", pk=pk)


def _confirm(request: HttpRequest, pk: int, action: str, problem: str) -> HttpResponse:
    """The confirmation step of an action that ends the application (and the reason of a
    refusal), with what was typed kept."""
    app = registration_access.access_application(request_user(request), pk)
    editable = app.state in services.EDITABLE and _is_applicant(request, app)
    context = {
        **FACE,
        "app": app,
        "act": APPLICATION.action(action),
        "warning": IRREVERSIBLE[action],
        "problem": problem,
        "comment": request.POST.get("comment", ""),
        "expected_state": request.POST.get("expected_state", ""),
        "back": "registration:application_edit" if editable else "registration:application_detail",
    }
    return render(request, "registration/application_confirm.html", context)


def _own_draft(request: HttpRequest, pk: int) -> Application | None:
    """The application if the signed-in user may still edit it (its applicant, or its
    organization's account), else None."""
    user = request_user(request)
    app = registration_access.access_application(user, pk)
    if app.state not in services.EDITABLE:
        return None
    return None if services.application_owner_problem(application=app, actor=user) else app


def _is_applicant(request: HttpRequest, app: Application) -> bool:
    return app.applicant_id == request_user(request).pk


@require_POST
@staff_view("registration.review")
def opinion_transition(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = registration_access.access_opinion(request_user(request), pk)
    refusal = fire_posted(request, OPINION, pk, run=_run)
    if refusal:
        messages.error(request, refusal.message)
    return redirect("registration:application_detail", pk=opinion.application_id)


@staff_view("registration.monitor")
def monitor(request: HttpRequest) -> HttpResponse:
    """电子监察: clocks due within 2 working days or overdue, per department and person."""
    context = {**FACE, "monitor": overdue_monitor(request_user(request))}
    return render(request, "registration/monitor.html", context)
