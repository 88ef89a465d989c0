"""Forms of the registry's staff pages: they parse and validate input, nothing more."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.core.text import LONG_TEXT_MAX
from socorg.registry import selectors
from socorg.registry.models import Category, Level, Organization, OrgStatus, OrgType
from socorg.registry.rules.changes import CORRECTABLE_FIELDS
from socorg.registry.rules.organizations import USCC_ALPHABET, normalize_uscc, uscc_problem

_USCC_SHAPE = re.compile(f"[{USCC_ALPHABET}]{{18}}")


def looks_like_uscc(term: str) -> bool:
    """An 18-character term made only of credit-code characters is searched as a code (ID-2);
    anything else as part of a name."""
    return bool(_USCC_SHAPE.fullmatch(normalize_uscc(term)))


def _mark_invalid(form: forms.Form) -> None:
    """Give inputs with errors Bootstrap's ``is-invalid`` class."""
    if not form.is_bound:
        return
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            classes = widget.attrs.get("class", "")
            if "is-invalid" not in classes:
                widget.attrs["class"] = f"{classes} is-invalid".strip()


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _model_field(name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", Organization._meta.get_field(name))


def _with_blank(blank: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", blank), *choices]


class OrganizationFilterForm(Form):
    """The organization list's search box and filters, bound to GET so a URL can be shared."""

    q = forms.CharField(
        label=_("名称或统一社会信用代码"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("名称关键字，或18位统一社会信用代码"),
                "type": "search",
            }
        ),
    )
    org_type = forms.ChoiceField(
        label=_("类型"), required=False, choices=_with_blank(_("全部类型"), OrgType.choices)
    )
    level = forms.ChoiceField(
        label=_("登记层级"), required=False, choices=_with_blank(_("全部层级"), Level.choices)
    )
    jurisdiction = forms.ChoiceField(label=_("区划"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_with_blank(_("全部状态"), OrgStatus.choices)
    )
    category = forms.ChoiceField(
        label=_("行业分类"), required=False, choices=_with_blank(_("全部分类"), Category.choices)
    )
    supervisory_unit = forms.ChoiceField(label=_("业务主管单位"), required=False)
    removed_from = forms.DateField(
        label=_("注销/撤销日期 从"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    removed_to = forms.DateField(
        label=_("注销/撤销日期 至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # Which book the list shows: registered organizations (default) or the community
    # organizations filed with a street office.
    book = forms.ChoiceField(
        required=False, choices=selectors.BOOK_CHOICES, widget=forms.HiddenInput
    )

    def __init__(self, data: Any, *, choices: selectors.FilterChoices) -> None:
        super().__init__(data)
        _choice_field(self, "jurisdiction").choices = _with_blank(
            _("全部区划"), choices.jurisdictions
        )
        _choice_field(self, "supervisory_unit").choices = _with_blank(
            _("全部主管单位"), choices.supervisory_units
        )
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
        _mark_invalid(self)

    def clean_sort(self) -> str:
        sort = self.cleaned_data.get("sort") or ""
        return sort if sort in selectors.SORTS else "name"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("removed_from"), data.get("removed_to")
        if start and end and start > end:
            self.add_error("removed_to", _("截止日期不能早于起始日期。"))
        return data

    @property
    def uscc_warning(self) -> str | None:
        """A searched credit code that fails its check character can match nothing; say why."""
        term = self.cleaned_data.get("q", "") if hasattr(self, "cleaned_data") else ""
        return uscc_problem(term) if term and looks_like_uscc(term) else None

    def filters(self) -> selectors.OrganizationFilters:
        """The valid part of the input; an invalid field is ignored (and shown as an error)."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        term = (data.pop("q", "") or "").strip()
        uscc = ""
        if looks_like_uscc(term):
            uscc, term = normalize_uscc(term), ""
        return selectors.OrganizationFilters(
            q=term,
            uscc=uscc,
            org_type=data.get("org_type", ""),
            level=data.get("level", ""),
            jurisdiction=data.get("jurisdiction", ""),
            status=data.get("status", ""),
            category=data.get("category", ""),
            supervisory_unit=data.get("supervisory_unit", ""),
            removed_from=data.get("removed_from"),
            removed_to=data.get("removed_to"),
            sort=data.get("sort") or "name",
            book=data.get("book") or selectors.BOOK_REGISTERED,
        )

    @property
    def active_filter_count(self) -> int:
        names = (
            "q",
            "org_type",
            "level",
            "jurisdiction",
            "status",
            "category",
            "supervisory_unit",
            "removed_from",
            "removed_to",
        )
        return sum(1 for name in names if self.data.get(name))


class CorrectionProposeForm(Form):
    """Pick registry fields (``rules.changes.CORRECTABLE_FIELDS``), enter their new values, and give a
    reason. Each field's input is the model field's own form field, so dates, amounts and
    categories are parsed and checked the same way as on entry."""

    fields_to_change = forms.MultipleChoiceField(
        label=_("更正字段"),
        required=True,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个要更正的字段。")},
    )
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("请填写更正理由。")},
    )

    def __init__(self, data: Any = None, *, organization: Organization) -> None:
        super().__init__(data)
        self.organization = organization
        names = list(CORRECTABLE_FIELDS)
        _choice_field(self, "fields_to_change").choices = [
            (n, selectors.field_label(n)) for n in names
        ]
        for name in names:
            self.fields[f"new_{name}"] = self._value_field(name)

    def _value_field(self, name: str) -> forms.Field:
        model_field = _model_field(name)
        field = model_field.formfield(required=False)
        assert field is not None
        field.label = model_field.verbose_name
        field.initial = getattr(self.organization, name)
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = 2
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
        field.widget.attrs["class"] = css
        return field

    def rows(self) -> list[dict[str, Any]]:
        """One row per correctable field: label, current value, checkbox state, new-value input."""
        data = cast(QueryDict, self.data)
        chosen = set(data.getlist("fields_to_change")) if self.is_bound else set()
        _mark_invalid(self)
        return [
            {
                "name": name,
                "label": selectors.field_label(name),
                "current": selectors.field_display(name, getattr(self.organization, name)),
                "checked": name in chosen,
                "input": self[f"new_{name}"],
            }
            for name in CORRECTABLE_FIELDS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in data.get("fields_to_change") or []:
            value = data.get(f"new_{name}")
            field = _model_field(name)
            text = isinstance(field, models.CharField | models.TextField)
            if value in (None, "") and not (field.blank and text):
                self.add_error(f"new_{name}", _("请填写更正后的值。"))
        return data

    def changes(self) -> dict[str, Any]:
        """New values of the chosen fields, as the service expects them."""
        out: dict[str, Any] = {}
        for name in self.cleaned_data["fields_to_change"]:
            value = self.cleaned_data.get(f"new_{name}")
            if isinstance(value, Decimal):
                value = value.quantize(Decimal("0.01"))
            out[name] = "" if value is None else value
        return out

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's refusal next to the input it concerns."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            target = field if field == "reason" else f"new_{field}"
            self.add_error(target if target in self.fields else None, errors)
