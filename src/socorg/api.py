"""The JSON API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json.

Authentication: ``Authorization: Bearer <token>`` or the browser session (with CSRF for unsafe
methods). The workflow routes are generated from the process registry, which the apps fill in
``AppConfig.ready``; this module is imported by the URL configuration, after that."""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI

from socorg.core.api import (
    API_AUTH,
    FastJSONRenderer,
    enforce_declared_permissions,
    install_error_handlers,
    workflow_router,
)
from socorg.registry.api import router as registry_router

if not apps.ready:
    raise ImproperlyConfigured("socorg.api must be imported after the apps are ready.")

api = NinjaAPI(
    title="socorg API",
    version="1.0.0",
    description="社会组织登记管理平台接口",
    urls_namespace="api",
    auth=API_AUTH,
    renderer=FastJSONRenderer(),
)
install_error_handlers(api)
api.add_router("", registry_router)
api.add_router("", "socorg.registration.api.names.router")
api.add_router("", "socorg.registration.api.applications.router")
api.add_router("", "socorg.supervision.api.annual_reports.router")
api.add_router("", "socorg.supervision.api.credit.router")
api.add_router("", "socorg.supervision.api.complaints.router")
api.add_router("", "socorg.supervision.api.inspections.router")
api.add_router("", "socorg.supervision.api.cases.router")
api.add_router("", "socorg.party.api.brand.router")
api.add_router("", "socorg.party.api.instructors.router")
api.add_router("", "socorg.party.api.bodies.router")
api.add_router("", "socorg.party.api.branches.router")
# Last: the app routers above declare their processes' item fields before the routes are built.
api.add_router("", workflow_router())
# Each operation's declared permission (``x-permission``) is checked before its code runs.
enforce_declared_permissions(api)
