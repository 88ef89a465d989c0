from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from socorg.core import access

# The six faces; later capabilities fill in the rest. (label, url name or None, permission)
FACES = (
    ("registry", _("登记库"), "registry:organization_list", "registry.view"),
    ("registration", _("登记审批"), None, None),
    ("supervision", _("监督管理"), None, None),
    ("structure", _("体制与党建"), "registry:department_list", "departments.view"),
    ("support", _("培育扶持"), None, None),
    ("insights", _("统计分析"), "registry:coverage_report", "responsibility.coverage"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_faces": []}
    faces = []
    for key, label, url_name, perm in FACES:
        enabled = bool(url_name) and (perm is None or access.has_perm(user, perm))
        faces.append({"key": key, "label": label, "url": reverse(url_name) if enabled else None})
    return {"nav_faces": faces, "can": {p: access.has_perm(user, p) for p in access.PERMISSIONS}}
