from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from socorg.core import access
from socorg.core.models import Role
from socorg.core.navigation import page_url
from socorg.core.notices import unread_count
from socorg.core.worklist import user_scope_label

# The six faces of the product, each opening on one page. A face whose page does not exist yet
# (its URL name does not resolve) is shown disabled as "建设中"; a face whose page the user may
# not open (the permission its view declares with ``staff_view``) is shown disabled too.
# (key, label, url name, icon)
FACES: tuple[tuple[str, Promise, str, str], ...] = (
    ("registry", _("登记库"), "registry:organization_list", "bi-journal-text"),
    ("registration", _("登记审批"), "registration:home", "bi-clipboard-check"),
    ("supervision", _("监督管理"), "supervision:home", "bi-shield-check"),
    ("structure", _("体制与党建"), "party:department_list", "bi-diagram-3"),
    ("support", _("培育扶持"), "support:home", "bi-flower1"),
    # 统计分析 opens once the insights capability has its own page; the coverage report is
    # reached from 体制与党建.
    ("insights", _("统计分析"), "insights:home", "bi-bar-chart"),
)


@dataclass(frozen=True)
class Face:
    key: str
    label: Promise
    icon: str
    url: str | None
    # Built but closed to this role (as opposed to not built yet).
    forbidden: bool = False


def _face(user: Any, key: str, label: Promise, url_name: str, icon: str) -> Face:
    page = page_url(url_name)
    if page is None:
        return Face(key, label, icon, None)
    url, perm = page
    if perm is not None and not access.has_perm(user, perm):
        return Face(key, label, icon, None, forbidden=True)
    return Face(key, label, icon, url)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The top bar: faces for the signed-in user, what they may do (``can``), their scope, and
    which face the page belongs to when the view did not say (``active_face``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_faces": []}
    faces = [_face(user, *spec) for spec in FACES]
    if user.role == Role.ORGANIZATION:
        # An organization account is shown only what it may use, not the staff's faces.
        faces = [face for face in faces if not face.forbidden]
    return {
        "nav_faces": faces,
        "active_face": _face_of_path(faces, request.path),
        "can": {p: access.has_perm(user, p) for p in access.PERMISSIONS},
        "user_scope": user_scope_label(user),
        # The audit administrator's page, beside the faces (it belongs to none of them).
        "nav_audit_url": reverse("audit_log") if access.has_perm(user, "audit.view") else "",
        # Read once, only by a page that shows the top bar (a callable, counted when used).
        "nav_unread_notices": lambda: unread_count(user),
    }


def _face_of_path(faces: list[Face], path: str) -> str:
    """Fallback for pages whose view sets no ``active_face``: the face whose page the path is under."""
    for face in faces:
        if face.url and path.startswith(face.url):
            return face.key
    return ""


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """The request's Content-Security-Policy nonce for inline ``<script>``/``<style>`` blocks."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
