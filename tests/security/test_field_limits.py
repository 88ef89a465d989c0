"""Whatever is stored is bounded: every long text has a limit in its model, its form and its
schema; an application's data holds only its kind's fields, each of its type and length, the
whole bounded; workbook cells too. A value over its limit is refused with a clear message and
nothing is written, not even an audit row (the audit log is append-only: a 10 MB value there
would stay forever)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from socorg.core import workflow
from socorg.core.models import AuditLog, Role
from socorg.core.text import JSON_MAX_CHARS, LONG_TEXT_MAX
from socorg.party import workbooks
from socorg.party.rules import COL_NAME, TEMPLATE_HEADERS
from socorg.registration.models import Application
from socorg.registry.models import DataCorrection, Organization
from socorg.registry.processes import DATA_CORRECTION
from socorg.registry.rules.organizations import make_uscc
from tests import factories as f
from tests.factories import login
from tests.registration.conftest import establishment_data, rule_params
from tests.security.test_control_characters import _input_models, operations, project_forms

__all__ = ["rule_params"]

TOO_LONG = "会" * (LONG_TEXT_MAX + 1)

# JSON fields written only by the system's own code, never from a caller's input as such.
SYSTEM_JSON_FIELDS = {
    "core.AuditLog.before",
    "core.AuditLog.after",
    "core.RuleParameter.value",  # the administrator's, through the audited admin form
    "core.TaskProgress.result",
    "registry.OrganizationEvent.details",
    "registration.Opinion.basis",  # a copy of the application's data (validated when saved)
    "registry.DataCorrection.original",
    "registry.PrincipalCandidateReview.findings",
    "registry.PrincipalCandidate.findings",
    # Written by supervision's rules and the sweep, never from a caller's input.
    "supervision.AnnualReport.flags",
    "supervision.AnnualReport.auto_fail",
    "supervision.CreditListing.evidence",
    "supervision.SweepRun.counts",
    "supervision.CleanupCampaign.criteria",
    "supervision.DormantCandidate.criteria",
    "supervision.DormantCandidate.evidence",
    # Copied from the rule parameters and the risk facts when a plan is made and committed.
    "supervision.InspectionPlan.ratios",
    "supervision.InspectionPlan.weights",
    "supervision.PlanOrganization.causes",
}
# JSON fields holding a caller's input, each with its schema.
VALIDATED_JSON_FIELDS = {
    "registration.Application.data": "registration.services.applications.checked_data",
    "registry.DataCorrection.changes": "CORRECTABLE_FIELDS, each value through Organization.full_clean",
    "supervision.AnnualReport.data": "supervision.rules.annual_reports (the type's form)",
}
# Text fields of core whose every writer bounds them (no migration of core here).
BOUNDED_BY_WRITER = {
    "core.Transition.comment": "core.workflow.comment_problem",
    "core.TaskProgress.message": "written by the task code only",
}


def _label(model: type[models.Model], field: models.Field) -> str:
    return f"{model._meta.app_label}.{model.__name__}.{field.name}"


def project_fields(kind: type) -> list[tuple[str, Any]]:
    return [
        (_label(model, field), field)
        for model in apps.get_models()
        if model.__module__.startswith("socorg.")
        for field in model._meta.get_fields()
        if isinstance(field, kind)
    ]


@pytest.mark.parametrize("label,field", project_fields(models.TextField), ids=lambda v: str(v))
def test_every_text_field_has_a_limit_its_model_enforces(label: str, field: Any) -> None:
    if label in BOUNDED_BY_WRITER:
        return
    assert field.max_length, label
    assert any(isinstance(v, MaxLengthValidator) for v in field.validators), label


def test_every_json_field_is_either_the_systems_or_validated() -> None:
    labels = {label for label, _field in project_fields(models.JSONField)}
    assert labels == SYSTEM_JSON_FIELDS | set(VALIDATED_JSON_FIELDS)


# Form fields bounded otherwise: a pattern, a JSON value of the audited admin, Django's own
# password fields of the admin's user creation (administrators only).
UNBOUNDED_FORM_FIELDS = (forms.RegexField, forms.JSONField)
ADMIN_PASSWORDS = {"UserCreationForm.password1", "UserCreationForm.password2"}


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda c: c.__qualname__)
def test_every_text_field_of_every_form_has_a_limit(form_class: type) -> None:
    for name, field in form_class.base_fields.items():
        label = f"{form_class.__qualname__}.{name}"
        if not isinstance(field, forms.CharField) or label in ADMIN_PASSWORDS:
            continue
        if not isinstance(field, UNBOUNDED_FORM_FIELDS):
            assert field.max_length, label


def _bounded(info: Any) -> bool:
    metadata = {type(m).__name__ for m in info.metadata}
    return "MaxLen" in metadata or "_PydanticGeneralMetadata" in metadata


@pytest.mark.parametrize(
    "path,operation",
    operations(),
    ids=[f"{'/'.join(op.methods)} {path}" for path, op in operations()],
)
def test_every_text_field_of_every_api_schema_has_a_limit(path: str, operation: Any) -> None:
    for model in operation.models:
        for param in model.model_fields.values():
            for schema in _input_models(param.annotation):
                for name, info in schema.model_fields.items():
                    if info.annotation in (str, str | None):
                        assert _bounded(info), f"{path}: {schema.__name__}.{name}"


# --- the API ---------------------------------------------------------------------------------


def test_api_refuses_a_purpose_over_its_limit_and_writes_nothing(
    city, donggang_registrar, as_user
) -> None:
    before = Organization.objects.count(), AuditLog.objects.count()
    response = as_user(donggang_registrar).post(
        "/organizations",
        {
            "uscc": make_uscc(org_type="social_group", area_code="371102", serial="MJ900001"),
            "name": "日照市东港区围棋协会",
            "org_type": "social_group",
            "level": "county",
            "jurisdiction": "371102",
            "category": "sports",
            "established_on": "2009-04-20",
            "purpose": TOO_LONG,
            "business_scope": TOO_LONG,
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["purpose"] == [f"长度不能超过 {LONG_TEXT_MAX} 个字符。"]
    assert "business_scope" in errors
    assert (Organization.objects.count(), AuditLog.objects.count()) == before


def test_api_refuses_a_workflow_comment_over_its_limit(city, city_registrar, as_user) -> None:
    org = city.city_org
    correction = as_user(city_registrar).post(
        "/data_correction",
        {"organization": org.uscc, "changes": {"domicile": "海曲路8号"}, "reason": "核对"},
    )
    pk = correction.json()["id"]
    before = AuditLog.objects.count()
    response = as_user(city_registrar).post(
        f"/data_correction/{pk}/transitions", {"action": "withdraw", "comment": TOO_LONG}
    )
    assert response.status_code == 422
    assert AuditLog.objects.count() == before


def test_the_workflow_engine_refuses_a_comment_over_its_limit(
    city, city_registrar, as_user
) -> None:
    as_user(city_registrar).post(
        "/data_correction",
        {
            "organization": city.city_org.uscc,
            "changes": {"domicile": "海曲路8号"},
            "reason": "核对",
        },
    )
    correction = DataCorrection.objects.get()
    with pytest.raises(workflow.ActionRefused, match="意见不能超过"):
        workflow.fire(
            process=DATA_CORRECTION,
            key=correction.pk,
            action="withdraw",
            actor=city_registrar,
            comment=TOO_LONG,
        )


@pytest.fixture
def founder(city):
    return f.user("founder", Role.ORGANIZATION)


def apply(as_user, founder, data: Any) -> Any:
    return as_user(founder).post(
        "/applications",
        {
            "kind": "establishment",
            "org_type": "social_group",
            "jurisdiction": "371100",
            "data": data,
        },
    )


def test_ten_megabytes_of_application_data_are_refused(city, founder, as_user, rule_params) -> None:
    before = Application.objects.count(), AuditLog.objects.count()
    response = apply(as_user, founder, {"purpose": "会" * 10_000_000})
    assert 400 <= response.status_code < 500
    assert (Application.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"nickname": "x"}, "data", "没有这些项目：nickname"),
        ({"name": {"a": 1}}, "data.name", "应为文本"),
        ({"registered_funds": True}, "data.registered_funds", "应为数字"),
        ({"name": "会" * 101}, "data.name", "100"),
        ({"purpose": TOO_LONG}, "data.purpose", str(LONG_TEXT_MAX)),
        ({"established_extra": [{"x": "y"}] * 600}, "data", "项数过多"),
        ({"a": "x" * (JSON_MAX_CHARS + 1)}, "data", "内容过长"),
        (
            {"principals": [{"name": "张三", "id_number": "x", "post": "chair", "pwn": 1}]},
            "data.principals",
            "只能包含",
        ),
    ],
)
def test_application_data_outside_its_kinds_form_is_refused(
    city, founder, as_user, rule_params, data: dict[str, Any], field: str, message: str
) -> None:
    before = Application.objects.count(), AuditLog.objects.count()
    response = apply(as_user, founder, data)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert message in json.dumps(errors.get(field), ensure_ascii=False), errors
    assert (Application.objects.count(), AuditLog.objects.count()) == before


def test_a_draft_within_its_form_is_saved(city, founder, as_user, rule_params) -> None:
    response = apply(as_user, founder, establishment_data())
    assert response.status_code == 200, response.content
    assert Application.objects.get().data["name"] == establishment_data()["name"]


def test_a_partial_draft_is_saved(city, founder, as_user, rule_params) -> None:
    response = apply(as_user, founder, {"name": "日照市围棋协会"})
    assert response.status_code == 200, response.content


# --- the pages -------------------------------------------------------------------------------


def test_form_refuses_a_reason_over_its_limit_and_writes_nothing(
    client, city, city_registrar
) -> None:
    before = DataCorrection.objects.count(), AuditLog.objects.count()
    response = login(client, city_registrar).post(
        reverse("registry:correction_propose", args=[city.city_org.uscc]),
        {"fields_to_change": ["purpose"], "new_purpose": TOO_LONG, "reason": TOO_LONG},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "reason" in form.errors and "new_purpose" in form.errors
    assert str(LONG_TEXT_MAX) in form.errors["reason"][0]
    assert (DataCorrection.objects.count(), AuditLog.objects.count()) == before


# --- workbooks -------------------------------------------------------------------------------


def test_a_workbook_cell_with_a_control_character_is_a_row_error() -> None:
    cells = [TEMPLATE_HEADERS, ("51371100MA12345678", "日照市\x01协会", "EDU")]
    sheet = workbooks._read_rows(iter(cells), max_rows=10)
    (row,) = sheet.rows
    assert [(e.row, e.column) for e in row.errors] == [(2, COL_NAME)]
    assert "控制字符" in row.errors[0].message and row.values[COL_NAME] == ""


def test_a_workbook_cell_loses_invisible_characters_and_line_breaks() -> None:
    cells = [TEMPLATE_HEADERS, ("51371100MA12345678", "日照市\u200b物流\n协会", "EDU")]
    (row,) = workbooks._read_rows(iter(cells), max_rows=10).rows
    assert row.values[COL_NAME] == "日照市物流 协会" and row.errors == ()


def test_an_overlong_workbook_cell_is_a_row_error() -> None:
    (row,) = workbooks._read_rows(iter([TEMPLATE_HEADERS, ("x", TOO_LONG)]), max_rows=10).rows
    assert row.errors and "内容过长" in row.errors[0].message


def test_a_row_with_a_refused_cell_is_not_imported() -> None:
    (raw,) = workbooks._read_rows(iter([TEMPLATE_HEADERS, ("x", "a\x00b")]), max_rows=10).rows
    result = workbooks.validate_sheet(workbooks.Sheet(TEMPLATE_HEADERS, (raw,)), lambda r: (r, []))
    assert result.rows == [] and not result.ok
