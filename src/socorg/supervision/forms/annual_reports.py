"""Forms of annual reports: the filing form built from the type's data dictionary
(``rules.annual_reports.FIELDS``), the audit-report upload, AR-3's falsified finding, AR-4's
revision and the staff list's filters. They parse input; the checks are the rules'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.supervision.models import AnnualReportState, Conclusion
from socorg.supervision.rules import annual_reports as rules

FLAG_CHOICES = (("", _("请选择")), ("true", rules.YES_LABEL), ("false", rules.NO_LABEL))
TEXT_MAX = 2000


def _form_field(f: rules.Field) -> forms.Field:
    common: dict[str, Any] = {"label": f.label, "required": False, "help_text": f.help}
    if f.kind == "money":
        return forms.CharField(
            max_length=24,
            widget=forms.TextInput(
                attrs={"class": "form-control text-end", "inputmode": "decimal", "data-money": ""}
            ),
            **common,
        )
    if f.kind == "count":
        return forms.CharField(
            max_length=12,
            widget=forms.TextInput(
                attrs={"class": "form-control text-end", "inputmode": "numeric"}
            ),
            **common,
        )
    if f.kind == "flag":
        return forms.ChoiceField(
            choices=FLAG_CHOICES, widget=forms.Select(attrs={"class": "form-select"}), **common
        )
    if f.kind == "choice":
        return forms.ChoiceField(
            choices=(("", _("请选择")), *f.choices),
            widget=forms.Select(attrs={"class": "form-select"}),
            **common,
        )
    if f.kind == "long_text":
        return forms.CharField(
            max_length=f.max_length or TEXT_MAX,
            widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
            **common,
        )
    return forms.CharField(
        max_length=f.max_length or 200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        **common,
    )


def initial_value(f: rules.Field, value: Any) -> Any:
    if f.kind == "flag" and value is not None:
        return "true" if value else "false"
    return value


class AnnualReportForm(Form):
    """One form per organization type: the type's fields, all optional while a draft (the
    submission checks what is required)."""

    def __init__(self, *args: Any, org_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org_type = org_type
        for f in rules.fields_for(org_type):
            self.fields[f.key] = _form_field(f)

    def data_values(self) -> dict[str, Any]:
        """The submitted values as the rules read them (blanks left out)."""
        return {k: v for k, v in self.cleaned_data.items() if not rules.is_blank(v)}

    def add_problems(self, problems: dict[str, str]) -> None:
        for key, message in problems.items():
            self.add_error(key if key in self.fields else None, message)


class AuditReportForm(Form):
    file = forms.FileField(
        label=_("财务审计报告（PDF）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,application/pdf"}
        ),
    )


class FalsifiedForm(Form):
    falsified = forms.ChoiceField(
        label=_("认定"),
        choices=(("true", _("认定提供虚假材料")), ("false", _("撤销该认定"))),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ReviseForm(Form):
    conclusion = forms.ChoiceField(
        label=_("更正后的结论"),
        choices=Conclusion.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ReportFilterForm(Form):
    year = forms.IntegerField(
        label=_("报告年度"),
        required=False,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=(("", _("全部状态")), *AnnualReportState.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    conclusion = forms.ChoiceField(
        label=_("年检结论"),
        required=False,
        choices=(("", _("全部结论")), *Conclusion.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year"),
            "state": data.get("state") or "",
            "conclusion": data.get("conclusion") or "",
        }
