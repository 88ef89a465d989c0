"""Staff pages of terms and term transitions (TT-1): the 换届管理 list, the filing and its
detail. Parse input, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access
from socorg.core.decorators import request_user, staff_view
from socorg.core.views.workflow import fire_posted
from socorg.registration.forms.terms import TermFilterForm, TermTransitionForm
from socorg.registration.processes import TERM_TRANSITION
from socorg.registration.selectors import principals as ps
from socorg.registration.selectors import terms as ts
from socorg.registration.services import terms as services
from socorg.registration.views.principals import page_number
from socorg.registry import access as registry_access


@staff_view("terms.view")
def term_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = TermFilterForm(request.GET)
    filters = form.filters()
    page, counts = ts.term_page(
        user, status=filters["status"], q=filters["q"], page=page_number(request)
    )
    context = {
        "active_face": "registration",
        "form": form,
        "filters": filters,
        "page": page,
        "counts": counts,
        "windows": ts.windows(),
        "transitions": ts.transition_page(user, 1).object_list[:10],
        "can_file": access.has_perm(user, "terms.file"),
    }
    return render(request, "registration/term_list.html", context)


@staff_view("terms.file")
def term_transition_file(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
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
            return redirect("registration:term_transition_detail", pk=filing.pk)
    context = {
        "active_face": "registration",
        "org": organization,
        "form": form,
        "term": ts.current_term(organization),
        "has_reviews": reviews.exists(),
        "today": timezone.localdate(),
    }
    return render(request, "registration/term_transition_file.html", context)


@staff_view("terms.view")
def term_transition_detail(
    request: HttpRequest, pk: int, refused: str = "", comment: str = ""
) -> HttpResponse:
    context = {
        "active_face": "registration",
        **ts.transition_detail(request_user(request), pk),
        "refused": refused,
        "comment": comment,
    }
    return render(request, "registration/term_transition_detail.html", context)


@require_POST
@staff_view("terms.view")
def term_transition_transition(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = fire_posted(request, TERM_TRANSITION, pk, done=_("已办理：%(label)s。"))
    if refusal:
        return term_transition_detail(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("registration:term_transition_detail", pk=pk)
