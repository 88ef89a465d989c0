"""Forms of principal candidate review and term transitions: they parse input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from socorg.registry import principal_rules as pr
from socorg.registry.models import Post, PrincipalCandidateReview
from socorg.registry.principal_services import CandidateInput

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}
CHECK = {"class": "form-check-input"}


class PrincipalReviewForm(forms.Form):
    election_on = forms.DateField(label=_("拟选举日期"), widget=DATE_INPUT)


class CandidateForm(forms.Form):
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


def _review_label(review: PrincipalCandidateReview) -> str:
    return str(
        _("#%(id)s · 选举日 %(day)s") % {"id": review.pk, "day": f"{review.election_on:%Y-%m-%d}"}
    )


class TermTransitionForm(forms.Form):
    review = forms.ModelChoiceField(
        label=_("已通过的负责人候选人审核"),
        queryset=PrincipalCandidateReview.objects.none(),
        empty_label=_("请选择"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    election_on = forms.DateField(label=_("选举日期"), widget=DATE_INPUT)
    starts_on = forms.DateField(label=_("新一届起始日期"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("新一届届满日期"), widget=DATE_INPUT)
    audit_report = forms.FileField(
        label=_("财务审计报告（PDF）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,application/pdf"}
        ),
    )

    def __init__(
        self, *args: Any, reviews: QuerySet[PrincipalCandidateReview], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["review"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reviews
        field.label_from_instance = _review_label  # type: ignore[method-assign,assignment]

    def add_service_errors(self, exc: Any) -> None:
        for name, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            self.add_error(name if name in self.fields else None, messages)


STATUS_CHOICES = [("", _("全部（即将届满及逾期）"))] + [
    (str(s), label) for s, label in pr.TERM_STATUS_LABELS.items() if s != pr.TermStatus.CURRENT
]


class TermFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("组织名称"), required=False, max_length=40, widget=forms.TextInput(attrs=TEXT)
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "q": ""}
        return {"status": self.cleaned_data["status"], "q": self.cleaned_data["q"].strip()}
