"""The brand activity's process routes (``/brand_activity/{id}`` and its transitions, built by
``core.api.workflow_router``): the permission behind them and the fields an item shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router

from socorg.core.api import WorkflowItemOut, register_item_fields, register_permission
from socorg.core.models import User
from socorg.party.processes import BRAND_ACTIVITY

router = Router(tags=["体制与党建"])

register_permission(BRAND_ACTIVITY.name, "brand.view")


class BrandActivityOut(WorkflowItemOut):
    program: str = Field(description="品牌名称")
    title: str
    starts_on: date
    ends_on: date
    venue: str
    participants: int | None = Field(description="参与人次（登记为已开展时填写）")
    organizations: list[str] = Field(description="参与组织的统一社会信用代码")


def _activity_values(activity: Any, user: User) -> dict[str, Any]:
    return {
        "program": activity.program.name,
        "title": activity.title,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "venue": activity.venue,
        "participants": activity.participants,
        "organizations": [o.uscc or "" for o in activity.organizations.order_by("name")],
    }


register_item_fields(BRAND_ACTIVITY.name, BrandActivityOut, _activity_values)
