"""Forms of principal candidate review: they parse input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.registration.services.principals import CandidateInput
from socorg.registry.models import Post

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}
CHECK = {"class": "form-check-input"}


class PrincipalReviewForm(Form):
    election_on = forms.DateField(label=_("拟选举日期"), widget=DATE_INPUT)


class CandidateForm(Form):
    name = forms.CharField(label=_("姓名"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        widget=forms.TextInput(attrs={**TEXT, "class": "form-control font-monospace"}),
    )
    post = forms.ChoiceField(
        label=_("拟任职务"),
        choices=Post.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    is_legal_representative = forms.BooleanField(
        label=_("法定代表人"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    is_paid = forms.BooleanField(
        label=_("领取报酬"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    is_retired_cadre = forms.BooleanField(
        label=_("退（离）休领导干部"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    is_state_functionary = forms.BooleanField(
        label=_("现职国家工作人员"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )

    def candidate(self) -> CandidateInput:
        return CandidateInput(**self.cleaned_data)


CandidateFormSet = forms.formset_factory(CandidateForm, extra=5, max_num=60, validate_max=True)


def candidates_of(formset: Any) -> list[CandidateInput]:
    """The filled rows of the slate (blank rows are skipped)."""
    return [form.candidate() for form in formset.forms if form.has_changed() and form.cleaned_data]
