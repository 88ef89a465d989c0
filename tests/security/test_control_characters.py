"""One control character in a stored value breaks every Excel export that holds it, and NUL is
refused by PostgreSQL outright. Every way in refuses them (forms, API schemas, paths and query
strings), keeps line breaks in long text, and drops invisible characters from single-line
values; nothing is written when input is refused."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.http import QueryDict
from django.urls import reverse
from ninja.params.models import ParamModel
from pydantic import BaseModel

import socorg
from socorg.api import api
from socorg.core.inputs import CleanInputMixin, InputSchema
from socorg.core.models import AuditLog, Role, User
from socorg.core.text import UnsafeText, clean_json, clean_line, clean_text
from socorg.registry.models import DataCorrection, Organization
from socorg.registry.rules.organizations import make_uscc
from tests import factories as f
from tests.factories import login

CONTROL_CHARACTERS = ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\ud800", "\uffff"]


def organization_record(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "uscc": make_uscc(org_type="social_group", area_code="371102", serial="MJ900001"),
        "name": "日照市东港区围棋协会",
        "org_type": "social_group",
        "level": "county",
        "jurisdiction": "371102",
        "management_mode": "dual_management",
        "supervisory_unit": "EDU",
        "category": "sports",
        "established_on": "2009-04-20",
    }
    values.update(overrides)
    return values


def written() -> tuple[int, int, int]:
    return Organization.objects.count(), DataCorrection.objects.count(), AuditLog.objects.count()


# --- the rules of text -----------------------------------------------------------------------


@pytest.mark.parametrize("char", CONTROL_CHARACTERS)
def test_every_control_character_is_refused_with_its_position(char: str) -> None:
    for clean in (clean_line, clean_text):
        with pytest.raises(UnsafeText, match=r"第 3 个字符是不可见的控制字符（U\+"):
            clean("协会" + char)


def test_long_text_keeps_line_breaks_and_tabs() -> None:
    assert clean_text("第一条\r\n\t团结会员\r第二条  ") == "第一条\n\t团结会员\n第二条"


def test_single_line_drops_invisible_characters_and_line_breaks() -> None:
    assert clean_line(" \u200b日照市\u200d围棋\ufeff协会\u202e\n ") == "日照市围棋协会"
    assert clean_line("\u200b\u200c\u2060\ufeff") == ""


def test_nested_json_is_checked_in_keys_and_values_and_names_the_place() -> None:
    assert clean_json({"a": ["x\r\ny", 1, None]}) == {"a": ["x\ny", 1, None]}
    with pytest.raises(UnsafeText, match="principals.0.name"):
        clean_json({"principals": [{"name": "张\x00三"}]})
    with pytest.raises(UnsafeText):
        clean_json({"na\x01me": "x"})


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x01", "\ud800"])
def test_api_refuses_a_control_character_in_an_organization_and_writes_nothing(
    city, donggang_registrar, as_user, char: str
) -> None:
    before = written()
    response = as_user(donggang_registrar).post(
        "/organizations", organization_record(name=f"日照市东港区{char}围棋协会")
    )
    assert response.status_code == 422, response.content
    assert "控制字符" in response.json()["errors"]["name"][0]
    assert written() == before


def test_api_refuses_a_control_character_in_a_data_correction(
    city, city_registrar, as_user
) -> None:
    before = written()
    response = as_user(city_registrar).post(
        "/data_correction",
        {
            "organization": city.city_org.uscc,
            "changes": {"domicile": "海曲路\x018号"},
            "reason": "核对",
        },
    )
    assert response.status_code == 422, response.content
    assert "控制字符" in response.json()["errors"]["changes"][0]
    assert written() == before


def test_api_refuses_a_control_character_in_application_data(city, as_user) -> None:
    founder = f.user("founder", Role.ORGANIZATION)
    before = AuditLog.objects.count()
    response = as_user(founder).post(
        "/applications",
        {
            "kind": "establishment",
            "org_type": "social_group",
            "jurisdiction": "371100",
            "data": {"name": "日照市围棋协会", "purpose": "团结\x00棋手"},
        },
    )
    assert response.status_code == 422, response.content
    assert "控制字符" in response.json()["errors"]["data"][0]
    assert AuditLog.objects.count() == before


def test_api_keeps_line_breaks_in_long_text_and_strips_invisible_characters(
    city, donggang_registrar, as_user
) -> None:
    response = as_user(donggang_registrar).post(
        "/organizations",
        organization_record(
            name="\u200b日照市东港区围棋协会\ufeff", purpose="第一条\r\n\t普及围棋。"
        ),
    )
    assert response.status_code == 201, response.content
    org = Organization.objects.get(name="日照市东港区围棋协会")
    assert org.purpose == "第一条\n\t普及围棋。"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organizations?q=%00",
        "/api/v1/organizations?q=%01",
        "/api/v1/organizations?%00=1",
        "/api/v1/organizations/%00",
        "/registry/organizations/?q=%00",
        "/registry/organizations/%00/",
    ],
)
def test_a_control_character_in_a_path_or_query_is_400(
    client, city, city_registrar, path: str
) -> None:
    response = login(client, city_registrar).get(path)
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_api_400_is_json(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get("/api/v1/organizations?q=%00")
    assert response.status_code == 400
    assert "控制字符" in response.json()["detail"]


# --- the pages -------------------------------------------------------------------------------


def test_form_refuses_a_control_character_next_to_the_field(client, city, city_registrar) -> None:
    before = written()
    response = login(client, city_registrar).post(
        reverse("registry:correction_propose", args=[city.city_org.uscc]),
        {"fields_to_change": ["domicile"], "new_domicile": "海曲路\x018号", "reason": "核对"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "控制字符" in form.errors["new_domicile"][0]
    assert written() == before


def test_nul_in_any_submitted_form_value_is_400(client, city, city_registrar) -> None:
    """A view may read a value without a form (the departments consulted on 受理)."""
    before = written()
    response = login(client, city_registrar).post(
        reverse("registry:correction_propose", args=[city.city_org.uscc]),
        {"fields_to_change": ["domicile"], "new_domicile": "海曲路\x008号", "reason": "核对"},
    )
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    assert written() == before


def test_form_keeps_line_breaks_in_a_reason(client, city, city_registrar) -> None:
    login(client, city_registrar).post(
        reverse("registry:correction_propose", args=[city.city_org.uscc]),
        {"fields_to_change": ["domicile"], "new_domicile": "海曲路8号", "reason": "核对\r\n档案"},
    )
    assert DataCorrection.objects.get().reason == "核对\n档案"


# --- every form and every API operation goes through the seam ---------------------------------


def _import_all() -> None:
    for module in pkgutil.walk_packages(socorg.__path__, "socorg."):
        if ".migrations" in module.name or module.name.endswith(("wsgi", "asgi")):
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def project_forms() -> list[type]:
    _import_all()
    return sorted(
        (c for c in _subclasses(forms.BaseForm) if c.__module__.startswith("socorg.")),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def test_the_project_has_forms_to_check() -> None:
    assert len(project_forms()) >= 10


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda c: c.__qualname__)
def test_every_form_goes_through_the_seam(form_class: type) -> None:
    assert issubclass(form_class, CleanInputMixin), f"{form_class} must derive from core.inputs"
    assert form_class.full_clean is CleanInputMixin.full_clean


def _text_fields(form_class: type) -> list[str]:
    return [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField)
    ]


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda c: c.__qualname__)
def test_every_form_refuses_a_control_character_in_each_text_field(form_class: type, db) -> None:
    """Forms that need more than their data to be built are covered by the test above."""
    for name in _text_fields(form_class):
        data = QueryDict(mutable=True)
        data[name] = "协会\x01"
        try:
            form = form_class(data=data)
        except TypeError:
            pytest.skip("the form needs more than its data")
        assert not form.is_valid()
        assert "控制字符" in str(form.errors.get(name)), (form_class, name, form.errors)


def test_every_admin_form_of_the_project_goes_through_the_seam(rf, db) -> None:
    request = rf.get("/admin/")
    request.user = User(is_superuser=True, is_staff=True)
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("socorg."):
            continue
        form = model_admin.get_form(request, None)
        assert issubclass(form, CleanInputMixin), model


def _input_models(annotation: Any) -> list[type]:
    args = getattr(annotation, "__args__", ())
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in args for m in _input_models(a)]


def operations() -> list[Any]:
    return [
        (path, operation)
        for _prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
    ]


@pytest.mark.parametrize(
    "path,operation",
    operations(),
    ids=[f"{'/'.join(op.methods)} {path}" for path, op in operations()],
)
def test_every_api_operation_input_goes_through_the_seam(path: str, operation: Any) -> None:
    """Path and query parameters pass the middleware; every body and form parameter is an
    ``InputSchema`` (files are checked by the attachment store)."""
    for model in operation.models:
        assert issubclass(model, ParamModel)
        source = model.__ninja_param_source__
        for name, field in model.model_fields.items():
            schemas = _input_models(field.annotation)
            for schema in schemas:
                assert issubclass(schema, InputSchema), f"{path} {name}: {schema}"
            if source in ("body", "form"):
                assert schemas, f"{path}: {source} parameter {name} is not an InputSchema"
