from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/organization_list.html", {})


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/department_list.html", {})


@login_required
def coverage_report(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/coverage_report.html", {})
