"""Enforcement cases API: the uniform process endpoints (``GET /case/{id}``,
``POST /case/{id}/transitions``) with the fields declared here, and the scoped case list.

No ``from __future__ import annotations``: django-ninja reads the live annotations."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from socorg.core.api import (
    ERRORS,
    WorkflowItemOut,
    caller,
    permission,
    register_item_fields,
    register_permission,
)
from socorg.core.models import User
from socorg.supervision.models import Case
from socorg.supervision.processes import CASE
from socorg.supervision.selectors import cases as selectors

router = Router(tags=["行政处罚"])

register_permission(CASE.name, "case.view")


class CaseOut(WorkflowItemOut):
    number: str = Field(description="案件编号")
    uscc: str | None
    organization: str
    source: str = Field(
        description="案件来源：sweep / inspection / complaint / campaign / referral"
    )
    source_type: str = Field(description="来源对象类型")
    source_id: str = Field(description="来源对象编号")
    facts: str
    opened_on: date
    joint_departments: list[str] = Field(description="联合执法部门")
    penalty: str = Field(
        description="处罚种类：warning / suspension / revocation / confiscation / fine"
    )
    fine_amount: Decimal | None
    suspension_months: int | None
    legal_basis: str
    noticed_on: date | None
    notice_number: str
    statement_due_on: date | None
    hearing_due_on: date | None
    statement_received_on: date | None
    hearing_requested: bool
    hearing_held_on: date | None
    decided_on: date | None
    decision_number: str
    served_on: date | None
    executed_on: date | None
    closed_on: date | None
    attachments: list[str] = Field(description="证据和文书的文件名")


def _case_values(case: Case, _user: User) -> dict[str, Any]:
    org = case.organization
    return {
        "number": case.number,
        "uscc": org.uscc,
        "organization": org.name,
        "source": case.source,
        "source_type": case.source_type,
        "source_id": case.source_id,
        "facts": case.facts,
        "opened_on": case.opened_on,
        "joint_departments": [d.name for d in case.joint_departments.all()],
        "penalty": case.penalty,
        "fine_amount": case.fine_amount,
        "suspension_months": case.suspension_months,
        "legal_basis": case.legal_basis,
        "noticed_on": case.noticed_on,
        "notice_number": case.notice_number,
        "statement_due_on": case.statement_due_on,
        "hearing_due_on": case.hearing_due_on,
        "statement_received_on": case.statement_received_on,
        "hearing_requested": case.hearing_requested,
        "hearing_held_on": case.hearing_held_on,
        "decided_on": case.decided_on,
        "decision_number": case.decision_number,
        "served_on": case.served_on,
        "executed_on": case.executed_on,
        "closed_on": case.closed_on,
        "attachments": [a.original_name for a in selectors.case_attachments(case)],
    }


register_item_fields(CASE.name, CaseOut, _case_values)


class CaseRowOut(Schema):
    id: int
    number: str
    organization: str
    state: str
    penalty: str
    opened_on: date
    decided_on: date | None
    decision_number: str


@router.get(
    "/cases",
    response={200: list[CaseRowOut], **ERRORS},
    summary="行政处罚案件列表（按数据范围）",
    openapi_extra=permission("case.view"),
)
def case_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    return [
        {
            "id": case.pk,
            "number": case.number,
            "organization": case.organization.name,
            "state": case.state,
            "penalty": case.penalty,
            "opened_on": case.opened_on,
            "decided_on": case.decided_on,
            "decision_number": case.decision_number,
        }
        for case in selectors.case_list(user, limit=500)
    ]
