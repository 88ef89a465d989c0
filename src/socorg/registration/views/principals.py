"""Staff pages of principal candidate review (TT-4) and term transitions (TT-1): parse input,
call one selector or service, render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access
from socorg.core.decorators import staff_view
from socorg.core.models import User
from socorg.core.workflow_views import fire_posted
from socorg.registry import access as registry_access
from socorg.registry import principal_selectors as ps
from socorg.registry import principal_services as services
from socorg.registry.models import PrincipalReviewState
from socorg.registry.principal_forms import (
    CandidateFormSet,
    PrincipalReviewForm,
    TermFilterForm,
    TermTransitionForm,
    candidates_of,
)
from socorg.registry.principal_processes import PRINCIPAL_REVIEW, TERM_TRANSITION


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


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
        "page": ps.review_page(_user(request), state, _page_number(request)),
    }
    return render(request, "registry/principal_review_list.html", context)


@staff_view("principals.submit")
def principal_review_submit(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
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
            return redirect("registry:principal_review_detail", pk=review.pk)
    context = {"active_face": "registration", "org": organization, "form": form, "formset": formset}
    return render(request, "registry/principal_review_submit.html", context)


def _render_review(
    request: HttpRequest, pk: int, *, refused: str = "", comment: str = ""
) -> HttpResponse:
    detail = ps.review_detail(_user(request), pk)
    context = {
        "active_face": "registration",
        "detail": detail,
        "review": detail.review,
        "org": detail.review.organization,
        "refused": refused,
        "comment": comment,
        "can_file": access.has_perm(_user(request), "terms.file"),
    }
    return render(request, "registry/principal_review_detail.html", context)


@staff_view("principals.view")
def principal_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, pk)


@require_POST
@staff_view("principals.view")
def principal_review_transition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = fire_posted(request, PRINCIPAL_REVIEW, pk, done=_("已办理：%(label)s。"))
    if refusal:
        return _render_review(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("registry:principal_review_detail", pk=pk)


# --- Term transitions -------------------------------------------------------------------------


@staff_view("terms.view")
def term_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TermFilterForm(request.GET)
    filters = form.filters()
    page, counts = ps.term_page(
        user, status=filters["status"], q=filters["q"], page=_page_number(request)
    )
    context = {
        "active_face": "registration",
        "form": form,
        "filters": filters,
        "page": page,
        "counts": counts,
        "windows": ps.windows(),
        "transitions": ps.transition_page(user, 1).object_list[:10],
        "can_file": access.has_perm(user, "terms.file"),
    }
    return render(request, "registry/term_list.html", context)


@staff_view("terms.file")
def term_transition_file(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    organization = registry_access.access_organization(user, key)
    reviews = ps.approved_reviews(user, organization)
    form = TermTransitionForm(request.POST or None, request.FILES or None, reviews=reviews)
    if request.method == "POST" and form.is_valid():
        try:
            filing = services.term_transition_file(
                actor=user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("换届备案已提交，等待登记机关审核。"))
            return redirect("registry:term_transition_detail", pk=filing.pk)
    context = {
        "active_face": "registration",
        "org": organization,
        "form": form,
        "term": ps.current_term(organization),
        "has_reviews": reviews.exists(),
        "today": timezone.localdate(),
    }
    return render(request, "registry/term_transition_file.html", context)


@staff_view("terms.view")
def term_transition_detail(
    request: HttpRequest, pk: int, refused: str = "", comment: str = ""
) -> HttpResponse:
    context = {
        "active_face": "registration",
        **ps.transition_detail(_user(request), pk),
        "refused": refused,
        "comment": comment,
    }
    return render(request, "registry/term_transition_detail.html", context)


@require_POST
@staff_view("terms.view")
def term_transition_transition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = fire_posted(request, TERM_TRANSITION, pk, done=_("已办理：%(label)s。"))
    if refusal:
        return term_transition_detail(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("registry:term_transition_detail", pk=pk)
