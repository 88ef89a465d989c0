"""Forms of enforcement cases: opening a case, evidence, the penalty (intended, then decided),
the party's statement and hearing, the rectification notice, and the list's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.core.text import LONG_TEXT_MAX
from socorg.supervision.forms.credit import ServiceErrorsMixin, _blank
from socorg.supervision.models import CaseSource, CaseState, PenaltyKind


class CaseFilterForm(ServiceErrorsMixin, Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_blank(_("全部状态"), CaseState.choices)
    )
    q = forms.CharField(
        label=_("社会组织或案件编号"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("名称关键字或案件编号"), "type": "search"}),
    )


class CaseOpenForm(ServiceErrorsMixin, Form):
    organization = forms.CharField(
        label=_("当事组织（统一社会信用代码）"), max_length=18, min_length=18
    )
    source = forms.ChoiceField(label=_("案件来源"), choices=CaseSource.choices)
    facts = forms.CharField(
        label=_("违法事实"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class EvidenceForm(ServiceErrorsMixin, Form):
    file = forms.FileField(label=_("证据材料（PDF、图片、Word、Excel）"))


class PenaltyForm(ServiceErrorsMixin, Form):
    penalty = forms.ChoiceField(label=_("处罚种类"), choices=_blank("—", PenaltyKind.choices))
    fine_amount = forms.DecimalField(
        label=_("罚款金额（元）"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    suspension_months = forms.IntegerField(
        label=_("停止活动期限（月）"), required=False, min_value=1, max_value=12
    )
    legal_basis = forms.CharField(label=_("处罚依据"), max_length=200)


class StatementForm(ServiceErrorsMixin, Form):
    received_on = forms.DateField(
        label=_("收到陈述申辩日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    statement = forms.CharField(
        label=_("陈述申辩意见"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    answer = forms.CharField(
        label=_("复核意见"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hearing_requested = forms.BooleanField(
        label=_("当事人申请听证"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class HearingForm(ServiceErrorsMixin, Form):
    held_on = forms.DateField(
        label=_("听证日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class RectificationForm(ServiceErrorsMixin, Form):
    requirements = forms.CharField(
        label=_("整改要求"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("整改期限"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class DepartmentsForm(ServiceErrorsMixin, Form):
    departments = forms.TypedMultipleChoiceField(
        label=_("联合执法部门"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
        help_text=_("按住 Ctrl（Mac 上按 ⌘）可选择多个部门。"),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["departments"]
        field.choices = choices
