"""Forms of the random-inspection pages (RI-*): they parse and validate input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from socorg.supervision.forms.campaigns import _Styled
from socorg.supervision.models import FindingResult


class PlanForm(_Styled):
    jurisdiction = forms.ChoiceField(label=_("登记管理机关"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, jurisdictions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = jurisdictions  # type: ignore[attr-defined]


class AssignForm(_Styled):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    inspector = forms.IntegerField(label=_("检查人员"), min_value=1)


class FindingForm(_Styled):
    subject = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    matter = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("检查结果"), choices=FindingResult.choices)
    description = forms.CharField(
        label=_("情况说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
