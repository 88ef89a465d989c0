"""The signed-in user's in-app notices (站内通知): the list, and opening one (which marks it
read and follows its link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socorg.core.decorators import request_user
from socorg.core.inputs import page_number
from socorg.core.notices import notice_mark_read, notice_page, safe_link


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """The caller's own notices, newest first."""
    page = notice_page(request_user(request), page_number(request.GET.get("page")))
    return render(request, "core/notices.html", {"page": page})


@require_POST
@login_required
def notice_open(request: HttpRequest) -> HttpResponse:
    """Mark the caller's notice read and follow its link (back to the list when it has none)."""
    raw = request.POST.get("notice", "")
    back = reverse("notice_list")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        messages.error(request, _("未找到该通知。"))
        return redirect(back)
    try:
        notice = notice_mark_read(user=request_user(request), pk=int(raw))
    except Http404:
        messages.error(request, _("未找到该通知。"))
        return redirect(back)
    return redirect(safe_link(notice.link) or f"{back}#notice-{notice.pk}")
