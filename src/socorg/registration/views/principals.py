"""Staff pages of principal candidate review (TT-4): parse input, call one selector or service,
render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access, inputs
from socorg.core.decorators import request_user, staff_view
from socorg.core.views.workflow import fire_posted
from socorg.registration.forms.principals import (
    CandidateFormSet,
    PrincipalReviewForm,
    candidates_of,
)
from socorg.registration.processes import PRINCIPAL_REVIEW
from socorg.registration.selectors import principals as ps
from socorg.registration.services import principals as services
from socorg.registry import access as registry_access
from socorg.registry.models import PrincipalReviewState


def page_number(request: HttpRequest) -> int:
    return inputs.page_number(request.GET.get("page"))


def _add_errors(form: Any, formset: Any, exc: ValidationError) -> None:
    for name, problems in exc.message_dict.items():
        if name == "candidates":
            formset._non_form_errors = formset.error_class(problems)
        else:
            form.add_error(name if name in form.fields else None, problems)


# --- Principal candidate review -----------------------------------------------------------------


@staff_view("principals.view")
def principal_review_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in PrincipalReviewState.values:
        state = ""
    context = {
        "active_face": "registration",
        "state": state,
        "states": PrincipalReviewState.choices,
        "page": ps.review_page(request_user(request), state, page_number(request)),
    }
    return render(request, "registration/principal_review_list.html", context)


@staff_view("principals.submit")
def principal_review_submit(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    organization = registry_access.access_organization(user, key)
    form = PrincipalReviewForm(request.POST or None)
    formset = CandidateFormSet(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            review = services.principal_review_submit(
                actor=user,
                organization=organization,
                election_on=form.cleaned_data["election_on"],
                candidates=candidates_of(formset),
            )
        except ValidationError as exc:
            _add_errors(form, formset, exc)
        else:
            messages.success(request, _("候选人名单已提交，等待党建工作机构和业务主管单位审核。"))
            return redirect("registration:principal_review_detail", pk=review.pk)
    context = {"active_face": "registration", "org": organization, "form": form, "formset": formset}
    return render(request, "registration/principal_review_submit.html", context)


def _render_review(
    request: HttpRequest, pk: int, *, refused: str = "", comment: str = ""
) -> HttpResponse:
    detail = ps.review_detail(request_user(request), pk)
    context = {
        "active_face": "registration",
        "detail": detail,
        "review": detail.review,
        "org": detail.review.organization,
        "refused": refused,
        "comment": comment,
        "can_file": access.has_perm(request_user(request), "terms.file"),
    }
    return render(request, "registration/principal_review_detail.html", context)


@staff_view("principals.view")
def principal_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, pk)


@require_POST
@staff_view("principals.view")
def principal_review_transition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = fire_posted(request, PRINCIPAL_REVIEW, pk, done=_("已办理：%(label)s。"))
    if refusal:
        return _render_review(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("registration:principal_review_detail", pk=pk)
