"""Data scope of the party-building face: which departments a user may see.

The department scope itself (``scope_departments``) is defined in :mod:`socorg.core.access`,
beside the jurisdiction scope, because it is a scope over core's own models that the registry's
filters need too (and the registry may not import this app). This module is where the face's
pages and selectors reach it, and where a single department is looked up for a page."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from socorg.core.access import scope_departments
from socorg.core.models import Department, User

__all__ = ["access_department", "scope_departments"]


def access_department(user: User, code: str) -> Department:
    """The department with ``code`` if the user may see it; 404 otherwise."""
    department = scope_departments(user).select_related("jurisdiction").filter(code=code).first()
    if department is None:
        raise Http404(_("未找到该部门。"))
    return department
