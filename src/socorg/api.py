"""The JSON API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="socorg API",
    version="1.0.0",
    description="社会组织登记管理平台接口",
    urls_namespace="api",
)
