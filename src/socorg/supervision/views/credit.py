"""Pages of the credit lists (CR-2 … CR-6): the two lists for staff, a listing with its rule in
words, evidence, history and action panel, a listing by decision, an officer's contact attempt,
and the organization's own credit page (its notices to answer, its listings to apply against).

Views parse input, call one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core import access as core_access
from socorg.core import workflow
from socorg.core.decorators import request_user, staff_view
from socorg.core.inputs import page_number
from socorg.core.profile_sections import ProfileSection, register_profile_section
from socorg.core.views.workflow import fire_posted
from socorg.core.worklist import (
    Section,
    WorkCount,
    register_item_url,
    register_section_provider,
    register_work_provider,
)
from socorg.registry import access as registry_access
from socorg.registry.models import Organization
from socorg.supervision import access
from socorg.supervision.forms.credit import (
    ContactAttemptForm,
    DelistingApplicationForm,
    ListingFilterForm,
    ManualListingForm,
    ResponseForm,
)
from socorg.supervision.models import CreditListing, ListingState
from socorg.supervision.selectors import credit as selectors
from socorg.supervision.services import credit as services

FACE = "supervision"


def _process() -> workflow.Process:
    return workflow.get_process("credit_listing")


# --- the lists ---------------------------------------------------------------------------------


@staff_view("credit.view")
def listing_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ListingFilterForm(request.GET, jurisdictions=selectors.jurisdiction_choices(user))
    filters = form.filters()
    context = {
        "active_face": FACE,
        "form": form,
        "filters": filters,
        "page": selectors.listing_page(user, filters, page_number(request.GET.get("page"))),
        "lists": selectors.list_choices(),
        "today": timezone.localdate(),
    }
    return render(request, "supervision/credit/listing_list.html", context)


# --- one listing -------------------------------------------------------------------------------


def _render_listing(
    request: HttpRequest,
    pk: int,
    *,
    refused: str = "",
    comment: str = "",
    response_form: ResponseForm | None = None,
    apply_form: DelistingApplicationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = selectors.listing_detail(request_user(request), pk)
    listing = detail.listing
    context = {
        "active_face": FACE,
        "detail": detail,
        "listing": listing,
        "org": listing.organization,
        "refused": refused,
        "comment": comment,
        "response_form": response_form or ResponseForm(),
        "apply_form": apply_form
        or DelistingApplicationForm(initial={"expected_state": listing.state}),
        "contact_form": ContactAttemptForm(initial={"made_on": timezone.localdate()}),
        "is_org": core_access.has_perm(request_user(request), "credit.respond"),
        "can_view_registry": core_access.has_perm(request_user(request), "registry.view"),
        "today": timezone.localdate(),
    }
    return render(request, "supervision/credit/listing_detail.html", context, status=status)


@staff_view("credit.view")
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_listing(request, pk)


@require_POST
@staff_view("credit.view")
def listing_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """The officers' panel: approve or refuse a delisting application, correct a listing,
    withdraw a notice. Each action with a required reason says so under the buttons."""
    refusal = fire_posted(request, _process(), pk)
    if refusal:
        return _render_listing(request, pk, refused=refusal.message, comment=refusal.comment)
    return redirect("supervision:credit_listing", pk=pk)


@require_POST
@staff_view("credit.respond")
def listing_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization answers a notice within its window."""
    user = request_user(request)
    listing = access.access_listing(user, pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.listing_respond(
                actor=user, listing=listing, response=form.cleaned_data["response"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("陈述申辩意见已提交，登记管理机关将予以核实。"))
            return redirect(_back(request, listing))
    return _render_listing(request, pk, response_form=form)


@require_POST
@staff_view("credit.respond")
def listing_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization applies to be delisted after meeting its duty (CR-3)."""
    user = request_user(request)
    listing = access.access_listing(user, pk)
    form = DelistingApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.listing_apply_delisting(
                actor=user,
                listing=listing,
                statement=form.cleaned_data["statement"],
                expected_state=form.cleaned_data["expected_state"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except workflow.WorkflowError as exc:
            form.add_error("statement", str(exc))
        else:
            messages.success(request, _("移出申请已提交，登记管理机关将在规定时限内核实办理。"))
            return redirect(_back(request, listing))
    return _render_listing(request, pk, apply_form=form)


def _back(request: HttpRequest, listing: CreditListing) -> str:
    if request.POST.get("back") == "mine":
        return reverse("supervision:credit_mine")
    return reverse("supervision:credit_listing", kwargs={"pk": listing.pk})


# --- the organization's own page ---------------------------------------------------------------


@staff_view("credit.respond")
def own_credit(request: HttpRequest) -> HttpResponse:
    """信用状况: the organization's notices to answer, its listings and what it may apply for."""
    user = request_user(request)
    organization = selectors.own_organization(user)
    if organization is None:
        raise Http404(_("该账号未关联社会组织。"))
    status = selectors.credit_status(user, organization)
    context = {
        "active_face": FACE,
        "org": organization,
        "status": status,
        "today": timezone.localdate(),
    }
    return render(request, "supervision/credit/own_credit.html", context)


# --- officers: listing by decision, contact attempts ------------------------------------------


@staff_view("credit.list")
def listing_create(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    organization = registry_access.access_organization(user, key)
    form = ManualListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            listing = services.listing_create_manual(
                actor=user,
                organization=organization,
                ground=data["ground"],
                evidence_text=data["evidence_text"],
                facts_on=data["facts_on"],
                decision_document=data["decision_document"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("已将该组织列入“%(list)s”。") % {"list": listing.get_list_display()},
            )
            return redirect("supervision:credit_listing", pk=listing.pk)
    context = {
        "active_face": FACE,
        "org": organization,
        "form": form,
        "status": selectors.credit_status(user, organization),
    }
    return render(request, "supervision/credit/listing_create.html", context)


@staff_view("contact.record")
def contact_record(request: HttpRequest, key: str) -> HttpResponse:
    """Record an attempt to reach the organization (a registered letter and whether it was
    signed, a call, a visit)."""
    user = request_user(request)
    organization = registry_access.access_organization(user, key)
    form = ContactAttemptForm(request.POST or None, initial={"made_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_attempt_record(
                actor=user,
                organization=organization,
                kind=data["kind"],
                made_on=data["made_on"],
                result=data["result"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("联系记录已保存。"))
            return redirect(_contact_back(request, organization))
    context = {
        "active_face": FACE,
        "org": organization,
        "form": form,
        "contacts": selectors.contacts_of(user, organization),
        "back": request.POST.get("back", "") or request.GET.get("back", ""),
    }
    return render(request, "supervision/credit/contact_form.html", context)


def _contact_back(request: HttpRequest, organization: Organization) -> str:
    back = request.POST.get("back", "")
    if back.isdigit():
        return reverse("supervision:credit_listing", kwargs={"pk": int(back)})
    key = organization.uscc or organization.pk
    return reverse("registry:organization_detail", kwargs={"key": key}) + "#credit"


# --- registrations (called from ``SupervisionConfig.ready``) -----------------------------------


def credit_profile_section(user: Any, organization: Organization) -> ProfileSection | None:
    """The organization's credit status as a tab of its registry profile."""
    if not core_access.has_perm(user, "credit.view"):
        return None
    status = selectors.credit_status(user, organization)
    return ProfileSection(
        key="credit",
        label=_("信用状况"),
        template="supervision/credit/_profile_section.html",
        data={
            "status": status,
            "can_list": core_access.has_perm(user, "credit.list"),
            "can_contact": core_access.has_perm(user, "contact.record"),
            "contacts": selectors.contacts_of(user, organization),
            "contact_form": ContactAttemptForm(initial={"made_on": timezone.localdate()}),
        },
        count=len(status.in_force) + len(status.notices),
    )


def listing_url(listing: Any) -> str:
    return reverse("supervision:credit_listing", kwargs={"pk": listing.pk})


def credit_work(user: Any) -> list[WorkCount]:
    """Delisting applications waiting for the officer's verification (CR-3 clock)."""
    if not core_access.has_perm(user, "credit.delist"):
        return []
    url = reverse("supervision:credit_list") + "?state=" + ListingState.DELISTING_REQUESTED
    return [
        WorkCount(
            label=_("待核实的移出申请"),
            count=selectors.delisting_requests_count(user),
            url=url,
            icon="shield-exclamation",
        )
    ]


def credit_home_sections(user: Any) -> list[Section]:
    """The organization account's credit status on its home page, with what it must answer."""
    if not core_access.has_perm(user, "credit.respond"):
        return []
    organization = selectors.own_organization(user)
    if organization is None:
        return []
    status = selectors.credit_status(user, organization)
    if status.is_clean and not status.past:
        return []  # nothing to tell: the home page stays as it was
    return [Section("own_credit", "supervision/credit/home/_own_credit.html", status)]


def register() -> None:
    register_profile_section(credit_profile_section)
    register_item_url("credit_listing", listing_url)
    register_work_provider(credit_work)
    register_section_provider(credit_home_sections)


urlpatterns = [
    path("listings/", listing_list, name="credit_list"),
    path("listings/<int:pk>/", listing_detail, name="credit_listing"),
    path("listings/<int:pk>/transition/", listing_transition, name="credit_transition"),
    path("listings/<int:pk>/respond/", listing_respond, name="credit_respond"),
    path("listings/<int:pk>/apply/", listing_apply, name="credit_apply"),
    path("mine/", own_credit, name="credit_mine"),
    path("organizations/<str:key>/list/", listing_create, name="credit_create"),
    path("organizations/<str:key>/contacts/", contact_record, name="credit_contact"),
]
