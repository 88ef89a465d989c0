"""Pages of party branches: the branch list and a new branch, 应建未建 (PB-1) with its
evidence, and the 两个覆盖 report with its charts and export. ``register`` adds the face's
pages and the party reviewer's waiting work."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.core import access
from socorg.core.decorators import request_user, staff_view
from socorg.core.models import Role, User
from socorg.core.navigation import FacePage, register_face_pages
from socorg.core.worklist import WorkCount, register_work_provider, reverse_or_none
from socorg.party import access as party_access
from socorg.party import workbooks
from socorg.party.forms.bodies import BranchForm
from socorg.party.models import BranchKind
from socorg.party.selectors import bodies as body_selectors
from socorg.party.selectors import branches as selectors
from socorg.party.services import branches as services

PAGE_SIZE = 50
ELECTION_NOTICE_DAYS = 90  # a branch whose 换届 falls within this many days is listed as due
BY_LABELS = {
    "jurisdiction": gettext_lazy("区划"),
    "type": gettext_lazy("类型"),
    "department": gettext_lazy("党建管理部门"),
    "committee": gettext_lazy("隶属机构"),
}


def _as_of(request: HttpRequest) -> date:
    text = request.GET.get("on", "")[:10]
    try:
        on = date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        on = timezone.localdate()
    return min(max(on, date(2000, 1, 1)), timezone.localdate())


@staff_view("party.view")
def branch_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    organization = request.GET.get("organization", "")[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in BranchKind.values else ""
    rows = selectors.branch_rows(user, organization=organization, kind=kind)
    due = request.GET.get("due") == "1"
    if due:
        rows = rows.filter(
            next_election_on__lte=timezone.localdate() + timedelta(days=ELECTION_NOTICE_DAYS),
            dissolved_on__isnull=True,
        )
    context = {
        "active_face": "structure",
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "organization": organization,
        "kind": kind,
        "due": due,
        "kinds": BranchKind.choices,
        "today": timezone.localdate(),
        "can_record": access.has_perm(user, "party.record_branch"),
    }
    return render(request, "party/branches/branch_list.html", context)


@staff_view("party.record_branch")
def branch_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    initial = {"organizations": request.GET.get("organization", "")[:30]}
    form = BranchForm(request.POST or None, bodies=body_selectors.bodies(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            orgs = [party_access.access_party_organization(user, c) for c in form.usccs()]
            body = body_selectors.bodies().filter(pk=data["body"]).first() if data["body"] else None
            services.branch_record(
                actor=user,
                name=data["name"],
                kind=data["kind"],
                organizations=orgs,
                founded_on=data["founded_on"],
                secretary=data["secretary"],
                members_total=data["members_total"],
                members_full_time=data["members_full_time"],
                body=body,
                elected_on=data["elected_on"],
                next_election_on=data["next_election_on"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect(reverse("party:branch_list"))
    return render(
        request, "party/branches/branch_form.html", {"active_face": "structure", "form": form}
    )


@staff_view("party.view")
def unbuilt_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    listing = selectors.unbuilt(user)
    context = {
        "active_face": "structure",
        "listing": listing,
        "page": Paginator(listing.rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_record": access.has_perm(user, "party.record_branch"),
    }
    return render(request, "party/branches/unbuilt_list.html", context)


@staff_view("party.view")
def party_coverage(request: HttpRequest) -> HttpResponse:
    """两个覆盖 on an as-of date by jurisdiction, type, department and committee, with the
    trend by year."""
    user = request_user(request)
    on = _as_of(request)
    reports = list(selectors.coverage_all(user, on))
    context = {
        "active_face": "structure",
        "on": on,
        "today": timezone.localdate(),
        "summary": reports[0].summary,
        "reports": [(r.by, BY_LABELS[r.by], r) for r in reports],
        "trend": selectors.coverage_trend(user, on=on),
    }
    return render(request, "party/branches/party_coverage.html", context)


@staff_view("party.view")
def party_coverage_export(request: HttpRequest) -> HttpResponse:
    handle, filename = services.party_coverage_export(
        actor=request_user(request), on=_as_of(request)
    )
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=workbooks.XLSX_CONTENT_TYPE
    )
    return cast(HttpResponse, response)


# --- the party reviewer's home ----------------------------------------------------------------------


def party_work(user: User) -> list[WorkCount]:
    """The party-building reviewer's waiting work: organizations that should build a branch,
    branches whose 换届 is due, organizations in scope with no affiliation."""
    if user.role != Role.PARTY_BUILDING_REVIEWER:
        return []
    soon = timezone.localdate() + timedelta(days=ELECTION_NOTICE_DAYS)
    due = (
        party_access.scope_party_branches(user)
        .filter(dissolved_on__isnull=True, next_election_on__lte=soon)
        .count()
    )
    return [
        WorkCount(
            _("应建未建党组织的社会组织"),
            len(selectors.unbuilt(user).rows),
            reverse_or_none("party:unbuilt_list"),
            "exclamation-triangle",
        ),
        WorkCount(
            _("应换届的党组织"),
            due,
            reverse_or_none("party:branch_list", query={"due": "1"}),
            "calendar-event",
        ),
    ]


def register() -> None:
    register_face_pages(
        "structure",
        [
            FacePage(gettext_lazy("党建工作机构"), "party:body_list", "bi-flag"),
            FacePage(gettext_lazy("社会组织党组织"), "party:branch_list", "bi-people"),
            FacePage(gettext_lazy("应建未建"), "party:unbuilt_list", "bi-exclamation-triangle"),
            FacePage(gettext_lazy("两个覆盖"), "party:party_coverage", "bi-graph-up"),
        ],
    )
    register_work_provider(party_work)
