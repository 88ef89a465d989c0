"""The generic progress page of a background job, polled by htmx until the job finishes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from socorg.core.access import access_task_progress
from socorg.core.decorators import request_user
from socorg.core.progress import progress_context


@login_required
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The caller's own job (404 for anyone else): the partial for htmx, else a full page."""
    progress = access_task_progress(request_user(request), pk)
    partial = request.headers.get("HX-Request") == "true"
    template = "core/progress.html" if partial else "core/progress_page.html"
    response = render(request, template, progress_context(progress))
    patch_vary_headers(response, ["HX-Request"])
    response["Cache-Control"] = "no-store"
    return response
