"""Forms of the cleanup campaign pages (DO-*): they parse and validate input, nothing more."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Styled(Form):
    """Bootstrap classes on the inputs, ``is-invalid`` on those with an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}-error"


class CampaignForm(_Styled):
    name = forms.CharField(label=_("专项行动名称"), max_length=100)
    jurisdiction = forms.ChoiceField(label=_("区划"))
    document = forms.CharField(label=_("部署文件"), max_length=200, required=False)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, jurisdictions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = jurisdictions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class RectificationDueForm(_Styled):
    due = forms.DateField(label=_("整改期限"), widget=DATE_INPUT)

    def clean_due(self) -> date:
        due: date = self.cleaned_data["due"]
        if due <= timezone.localdate():
            raise forms.ValidationError(_("整改期限应晚于今天。"))
        return due


class DecisionDocumentForm(_Styled):
    document = forms.CharField(label=_("撤销登记决定书文号"), max_length=100)


class PeriodForm(_Styled):
    """The period of the outcome statistics; defaults to 2020-01-01 through today."""

    start = forms.DateField(label=_("起始日期"), widget=DATE_INPUT, required=False)
    end = forms.DateField(label=_("截止日期"), widget=DATE_INPUT, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data
