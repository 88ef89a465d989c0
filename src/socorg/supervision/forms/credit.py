"""Forms of the credit lists: the staff list's filters, a listing by decision, the
organization's answer to a notice and its delisting application, an officer's contact attempt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.core.text import LONG_TEXT_MAX
from socorg.supervision.models import (
    ContactKind,
    ContactResult,
    CreditList,
    ListingGround,
    ListingState,
)
from socorg.supervision.selectors.credit import ListingFilters

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTIVE_CHOICES = [("", _("全部")), ("true", _("在列")), ("false", _("已移出或未生效"))]


class ServiceErrorsMixin:
    """Bootstrap classes on the widgets; a service's refusal shown next to the field it names
    (or above the form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: Any = self
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", css)

    def add_service_errors(self, exc: ValidationError) -> None:
        form: Any = self
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for name, messages in errors.items():
            form.add_error(name if name in form.fields else None, messages)


def _blank(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *[(str(v), lbl) for v, lbl in choices]]


class ListingFilterForm(ServiceErrorsMixin, Form):
    """The two lists' filters, bound to GET so that a filtered list can be shared."""

    list = forms.ChoiceField(
        label=_("名录类别"), required=False, choices=_blank(_("两类名录"), CreditList.choices)
    )
    active = forms.ChoiceField(label=_("是否在列"), required=False, choices=ACTIVE_CHOICES)
    ground = forms.ChoiceField(
        label=_("列入事由"), required=False, choices=_blank(_("全部事由"), ListingGround.choices)
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_blank(_("全部状态"), ListingState.choices)
    )
    jurisdiction = forms.ChoiceField(label=_("区划"), required=False)
    organization = forms.CharField(
        label=_("社会组织"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("名称关键字或统一社会信用代码"), "type": "search"}
        ),
    )

    def __init__(self, data: Any, *, jurisdictions: Sequence[tuple[str, str]]) -> None:
        super().__init__(data)
        field = self.fields["jurisdiction"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _blank(_("全部区划"), jurisdictions)

    def filters(self) -> ListingFilters:
        """The valid filters (an invalid one is dropped and shown as an error on its field)."""
        data = self.cleaned_data if self.is_valid() else {}
        active = data.get("active", "")
        return ListingFilters(
            list=data.get("list", ""),
            active=True if active == "true" else False if active == "false" else None,
            ground=data.get("ground", ""),
            state=data.get("state", ""),
            jurisdiction=data.get("jurisdiction", ""),
            organization=data.get("organization", ""),
        )


class ManualListingForm(ServiceErrorsMixin, Form):
    """Listing by decision: the ground, the facts with their date, the decision document."""

    ground = forms.ChoiceField(
        label=_("列入事由"), choices=_blank(_("请选择"), ListingGround.choices)
    )
    facts_on = forms.DateField(label=_("事实发生日期"), required=False, widget=DATE)
    evidence_text = forms.CharField(
        label=_("事实与依据"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明认定的事实、证据材料及其日期。"),
    )
    decision_document = forms.CharField(
        label=_("决定书文号"),
        max_length=100,
        required=False,  # the service refuses a missing one with its own message
        help_text=_("人工列入须有决定书，例如：日民社决〔2026〕12号。"),
    )

    def clean_facts_on(self) -> Any:
        day = self.cleaned_data.get("facts_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("事实发生日期不能晚于今天。"))
        return day


class ResponseForm(ServiceErrorsMixin, Form):
    """The organization's statement on a notice (陈述申辩)."""

    response = forms.CharField(
        label=_("陈述申辩意见"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DelistingApplicationForm(ServiceErrorsMixin, Form):
    """The organization applies to leave a list after meeting its duty."""

    expected_state = forms.CharField(max_length=40, widget=forms.HiddenInput)
    statement = forms.CharField(
        label=_("申请说明"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明已履行的义务或已纠正的情况，例如已补报的年度报告。"),
    )


class ContactAttemptForm(ServiceErrorsMixin, Form):
    kind = forms.ChoiceField(label=_("联系方式"), choices=_blank(_("请选择"), ContactKind.choices))
    made_on = forms.DateField(label=_("日期"), widget=DATE)
    result = forms.ChoiceField(label=_("结果"), choices=_blank(_("请选择"), ContactResult.choices))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean_made_on(self) -> Any:
        day = self.cleaned_data.get("made_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("联系日期不能晚于今天。"))
        return day
